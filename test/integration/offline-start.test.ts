import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS, sandboxConfig, startCloud, type RunningCloud } from '../../src/cloud';
import type { Core, CorePorts } from '../../src/main/core';
import { testCorePorts } from '../support/core-ports';
import { startCutProxy } from '../support/cut-proxy';
import { startTestCore, waitForSync } from '../support/desktop-core';

/**
 * Issue #13 item 4 against the real cloud (PGlite) behind a proxy the test cuts: starting while the
 * cloud cannot be reached resumes the last session from the cache — signed in, history and the
 * outbox there, "Offline · N waiting" — and recovers by itself when the network returns (the
 * waiting change is delivered once, the phone gets its Twilio token).
 */
let cloud: RunningCloud;
let proxy: Awaited<ReturnType<typeof startCutProxy>>;
let userDataDir: string;
let ports: CorePorts;
let networkCut = false;
const cores: Core[] = [];

beforeAll(async () => {
  cloud = await startCloud({ config: sandboxConfig({ dataDir: 'memory://', logLevel: 'silent', argon2: { memoryCost: 1024, timeCost: 1 } }), seed: true });
  proxy = await startCutProxy(cloud.port);
});
afterAll(async () => {
  await proxy?.close();
  await cloud?.stop();
});
beforeEach(async () => {
  userDataDir = await mkdtemp(join(tmpdir(), 'offline-start-'));
  ports = testCorePorts();
});
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
  if (networkCut) await proxy.restore();
  networkCut = false;
  await rm(userDataDir, { recursive: true, force: true });
});

async function start(): Promise<Core> {
  const core = await startTestCore({ userDataDir, ports, env: { AESTHETIX_CLOUD_URL: proxy.url } });
  cores.push(core);
  return core;
}

function nextVoiceToken(core: Core, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no Twilio token')), timeoutMs);
    const off = core.events.addSink((event) => {
      if (event !== 'voice.token') return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

describe('a cold start while the cloud cannot be reached', () => {
  it('resumes from the cache, says "Offline · 1 waiting", and recovers by itself', async () => {
    const first = await start();
    await first.session.signIn(DEMO_USERS.receptionist.email, DEMO_PASSWORD);
    await waitForSync(first, (s) => s.state === 'online' && s.lastSyncedAt !== null, 'online');
    const call = first.cache.calls.history({ limit: 1 }).items[0]!.call;
    const dispositionId = first.cache.dispositions.active().find((d) => d.label === 'Follow Up')!.id;
    await proxy.cut();
    networkCut = true;
    const key = 'offline-start-0001';
    first.cache.calls.setDispositionLocally({ callId: call.id, dispositionId, note: 'offline start', idempotencyKey: key });
    first.sync.kick();
    await waitForSync(first, (s) => s.state === 'offline' && s.pending === 1, 'offline, one waiting');
    cores.splice(cores.indexOf(first), 1);
    await first.dispose();

    // The computer restarts; the network is still down.
    const second = await start();
    expect(second.session.state).toMatchObject({ status: 'signed-in', user: { id: DEMO_USERS.receptionist.id } });
    expect(second.notices.list().find((n) => n.id === 'session-restore')?.message).toMatch(/started from this computer’s copy/);
    expect(second.cache.calls.history({ limit: 5 }).items.length).toBeGreaterThan(0);
    expect(second.cache.dispositions.active().length).toBeGreaterThan(0);
    const offline = await waitForSync(second, (s) => s.state === 'offline' && s.pending === 1 && s.failing, 'offline, one waiting after the restart');
    expect(offline.lastError).toMatch(/could not be reached/);

    const token = nextVoiceToken(second);
    await proxy.restore();
    networkCut = false;
    await waitForSync(second, (s) => s.state === 'online' && s.pending === 0, 'recovered', 60_000);
    await token;
    expect(second.session.state.status).toBe('signed-in');
    const applied = await cloud.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM applied_mutations WHERE idempotency_key = $1`, [key]);
    expect(applied[0]!.n).toBe(1);
  }, 120_000);

  it('a start without any saved session stays signed out', async () => {
    await proxy.cut();
    networkCut = true;
    const core = await start();
    expect(core.session.state.status).toBe('signed-out');
  });
});
