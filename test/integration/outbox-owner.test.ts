import { stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/cloud';
import type { Core } from '../../src/main/core';
import { defaultSettings } from '../../src/shared/settings';
import { waitForSync } from '../support/desktop-core';
import { useOfflineDesk } from '../support/offline-desk';

/**
 * Issue #13 items 1 and 2 against the real cloud (PGlite) through a proxy the test cuts: a change
 * made offline belongs to its user and cloud. Another user's sign-in at the same desk, or a start
 * with a damaged settings file, neither sends it elsewhere nor deletes it; it reaches its own
 * cloud once, when its user is back.
 */
const desk = useOfflineDesk('outbox-owner');

/** Signs Jordan in, cuts the network and logs a disposition: one change waiting. */
async function dispositionOffline(core: Core, key: string): Promise<{ callId: string; dispositionId: string }> {
  await core.session.signIn(DEMO_USERS.receptionist.email, DEMO_PASSWORD);
  await waitForSync(core, (s) => s.state === 'online' && s.lastSyncedAt !== null, 'online');
  const call = core.cache.calls.history({ limit: 1 }).items[0]!.call;
  const dispositionId = core.cache.dispositions.active().find((d) => d.label === 'Follow Up')!.id;
  await desk.cut();
  core.cache.calls.setDispositionLocally({ callId: call.id, dispositionId, note: `note ${key}`, idempotencyKey: key });
  core.sync.kick();
  await waitForSync(core, (s) => s.state === 'offline' && s.pending === 1, 'offline, one waiting');
  return { callId: call.id, dispositionId };
}

async function appliedInCloud(key: string): Promise<number> {
  const rows = await desk.cloud.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM applied_mutations WHERE idempotency_key = $1`, [key]);
  return rows[0]!.n;
}

describe('unsent changes belong to their user and cloud', () => {
  it('keeps them across a sign-out and another user’s sign-in, and sends them when their user is back', async () => {
    const core = await desk.start({ AESTHETIX_CLOUD_URL: desk.url });
    const key = 'owner-signout-0001';
    const { callId, dispositionId } = await dispositionOffline(core, key);

    await core.session.signOut();
    await desk.restore();
    await core.session.signIn(DEMO_USERS.receptionist2.email, DEMO_PASSWORD);
    await waitForSync(core, (s) => s.state === 'online' && s.lastSyncedAt !== null && s.pending === 0, 'Avery online');
    // Avery's sync neither sent Jordan's change nor deleted it.
    expect(await appliedInCloud(key)).toBe(0);
    expect(core.cache.outbox.unsent()).toMatchObject([{ idempotencyKey: key, ownerUser: DEMO_USERS.receptionist.id, state: 'pending' }]);

    await core.session.signOut();
    await core.session.signIn(DEMO_USERS.receptionist.email, DEMO_PASSWORD);
    await waitForSync(core, (s) => s.state === 'online' && s.pending === 0 && core.cache.outbox.unsent().length === 0, 'Jordan’s change delivered');
    expect(await appliedInCloud(key)).toBe(1);
    const rows = await desk.cloud.db.query<{ disposition_id: string }>(`SELECT disposition_id FROM calls WHERE id = $1`, [callId]);
    expect(rows[0]!.disposition_id).toBe(dispositionId);
  });

  it('a damaged settings file keeps the cloud address (last good copy), and the waiting change reaches that cloud', async () => {
    await writeFile(join(desk.userDataDir, 'settings.json'), JSON.stringify({ ...defaultSettings(), cloudUrl: desk.url }));
    const first = await desk.start();
    expect(first.cloud).toEqual({ mode: 'remote', url: desk.url });
    const key = 'owner-settings-0001';
    await dispositionOffline(first, key);
    await desk.stop(first);

    await writeFile(join(desk.userDataDir, 'settings.json'), '{"version": 2, "cloudUrl": "http://127.0');
    await desk.restore();
    // No embedded cloud can start here: falling back to the demo practice would throw.
    const second = await desk.start();
    expect(second.cloud).toEqual({ mode: 'remote', url: desk.url });
    expect(second.settings.get().cloudUrl).toBe(desk.url);
    expect(second.notices.list().map((n) => n.message).join(' ')).toMatch(/restored from the last good copy/);
    await waitForSync(second, (s) => s.state === 'online' && s.pending === 0, 'delivered');
    expect(await appliedInCloud(key)).toBe(1);
  });

  it('with no good copy left, keeps the cloud the last user signed in to, as the cache recorded it', async () => {
    await writeFile(join(desk.userDataDir, 'settings.json'), JSON.stringify({ ...defaultSettings(), cloudUrl: desk.url }));
    const first = await desk.start();
    const key = 'owner-settings-0002';
    await dispositionOffline(first, key);
    await desk.stop(first);

    await writeFile(join(desk.userDataDir, 'settings.json'), 'garbage');
    await writeFile(join(desk.userDataDir, 'settings.last-good.json'), 'garbage too');
    await desk.restore();
    const second = await desk.start();
    expect(second.cloud).toEqual({ mode: 'remote', url: desk.url });
    expect(second.notices.list().map((n) => n.message).join(' ')).toMatch(/keeps using the cloud you last signed in to \(127\.0\.0\.1:\d+\)/);
    await waitForSync(second, (s) => s.state === 'online' && s.pending === 0, 'delivered');
    expect(await appliedInCloud(key)).toBe(1);
  });

  it.each([
    ['half-truncated', (size: number) => Math.floor(size / 2)],
    ['zero bytes', () => 0],
  ])('a %s cache file: the app starts, rebuilds it from the cloud and still delivers the waiting change', async (_label, newSize) => {
    const first = await desk.start({ AESTHETIX_CLOUD_URL: desk.url });
    const key = `owner-damage-${newSize(100)}`.padEnd(16, '0');
    await dispositionOffline(first, key);
    await desk.stop(first);

    const file = join(desk.userDataDir, 'cache.sqlite');
    await truncate(file, newSize((await stat(file)).size));
    await desk.restore();
    const second = await desk.start({ AESTHETIX_CLOUD_URL: desk.url });
    expect(second.notices.list().find((n) => n.id === 'cache-recovered')?.message).toMatch(/1 unsent change was recovered/);
    await waitForSync(second, (s) => s.state === 'online' && s.pending === 0 && second.cache.outbox.unsent().length === 0, 'delivered');
    expect(await appliedInCloud(key)).toBe(1);
    expect(second.cache.calls.history({ limit: 1 }).items.length).toBe(1);
  });
});
