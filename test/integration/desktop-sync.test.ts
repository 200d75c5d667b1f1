import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS, sandboxConfig, startCloud, type RunningCloud } from '../../src/cloud';
import type { SyncStatus } from '../../src/shared/ipc/sync-status';
import { createCore, type Core } from '../../src/main/core';
import { testCorePorts, testHost } from '../support/core-ports';
import { startCutProxy } from '../support/cut-proxy';
import { testSchemaTemplate } from '../support/schema-template';

/**
 * The desktop core against the real cloud API (PGlite) through a proxy the test can cut: sign-in,
 * initial pull into a real SQLite file, a disposition made while offline, and its delivery exactly
 * once after the network comes back.
 */
let cloud: RunningCloud;
let proxy: Awaited<ReturnType<typeof startCutProxy>>;
let userDataDir: string;
let core: Core;
const statuses: SyncStatus[] = [];

function waitForStatus(predicate: (s: SyncStatus) => boolean, label: string, timeoutMs = 30_000): Promise<SyncStatus> {
  return new Promise((resolve, reject) => {
    if (predicate(core.sync.status)) return resolve(core.sync.status);
    const timer = setTimeout(() => reject(new Error(`timed out waiting for sync ${label}; last: ${JSON.stringify(core.sync.status)}`)), timeoutMs);
    const off = core.events.addSink((event, payload) => {
      if (event === 'sync.status' && predicate(payload as SyncStatus)) {
        clearTimeout(timer);
        off();
        resolve(payload as SyncStatus);
      }
    });
  });
}

beforeAll(async () => {
  cloud = await startCloud({ config: sandboxConfig({ dataDir: 'memory://', logLevel: 'silent', argon2: { memoryCost: 1024, timeCost: 1 } }), seed: true, pgliteTemplate: testSchemaTemplate });
  proxy = await startCutProxy(cloud.port);
  userDataDir = await mkdtemp(join(tmpdir(), 'desktop-sync-'));
  core = await createCore({
    appVersion: '0.0.0-test',
    env: { AESTHETIX_CLOUD_URL: proxy.url },
    platform: 'test',
    isTrustedSender: () => true,
    userDataDir,
    ports: testCorePorts(),
    host: testHost,
    log: () => undefined,
  });
  core.events.addSink((event, payload) => {
    if (event === 'sync.status') statuses.push(payload as SyncStatus);
  });
});

afterAll(async () => {
  await core?.dispose();
  await proxy?.close();
  await cloud?.stop();
  await rm(userDataDir, { recursive: true, force: true });
});

describe('desktop core ↔ cloud', () => {
  it('signs in and pulls the practice into the local cache', async () => {
    await core.session.signIn(DEMO_USERS.receptionist.email, DEMO_PASSWORD);
    await waitForStatus((s) => s.state === 'online' && s.lastSyncedAt !== null, 'online');
    expect(core.cache.dispositions.active().map((d) => d.label)).toEqual([
      'Booked',
      'Requested Appointment',
      'Follow Up',
      'Requested Callback',
      'Not Interested',
      'Spam call',
    ]);
    expect(core.cache.calls.history({ limit: 5 }).items.length).toBeGreaterThan(0);
    expect(core.cache.session.user()?.email).toBe(DEMO_USERS.receptionist.email);
  });

  it('keeps a disposition made offline and delivers it exactly once when the network returns', async () => {
    const call = core.cache.calls.history({ limit: 1 }).items[0]!.call;
    const followUp = core.cache.dispositions.active().find((d) => d.label === 'Follow Up')!;
    await proxy.cut();
    core.sync.kick();
    await waitForStatus((s) => s.state === 'offline', 'offline');

    core.cache.calls.setDispositionLocally({ callId: call.id, dispositionId: followUp.id, note: 'Wants a Friday slot', idempotencyKey: 'offline-disp-0001' });
    core.sync.kick();
    await waitForStatus((s) => s.state === 'offline' && s.pending === 1, 'offline with one pending');
    // The local view already shows the choice.
    expect(core.cache.calls.get(call.id)?.call.dispositionId).toBe(followUp.id);

    await proxy.restore();
    core.sync.kick();
    await waitForStatus((s) => s.state === 'online' && s.pending === 0, 'delivered');
    const rows = await cloud.db.query<{ disposition_id: string; note: string }>(`SELECT disposition_id, note FROM calls WHERE id = $1`, [call.id]);
    expect(rows).toEqual([{ disposition_id: followUp.id, note: 'Wants a Friday slot' }]);
    const applied = await cloud.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM applied_mutations WHERE idempotency_key = 'offline-disp-0001'`);
    expect(applied[0]!.n).toBe(1);
  });
});
