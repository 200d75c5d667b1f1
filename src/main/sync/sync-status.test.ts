import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { contact, page, seedPage, user } from '../../../test/support/cache-fixtures';
import type { Mutation, PushResponse } from '../../shared/cloud';
import type { SyncStatus } from '../../shared/ipc/sync-status';
import { describeSyncStatus } from '../../shared/ipc/sync-status-label';
import { ManualClock } from '../../shared/testing/manual-clock';
import { openCache, type CallCache } from '../cache';
import { CloudError } from '../cloud-client/cloud-client';
import { createMemoryVault } from '../session/credential-vault';
import { SessionService } from '../session/session-service';
import { createFakeCloud } from '../testing/fake-cloud';
import { emptyChanges, MemorySyncStore } from '../testing/memory-sync-store';
import { cacheSyncStore } from './cache-sync-store';
import { SyncEngine } from './sync-engine';

/** Issue #13 item 7: one status model, from the outbox and the last push result, checked against each fault. */
const note = (n: number): Mutation => ({ type: 'call.setNote', idempotencyKey: `status-key-${n}`.padEnd(16, '0'), payload: { callId: `call_${n}`, note: 'x' } });

async function engineWith(push: (mutations: Mutation[]) => Promise<PushResponse>, store = new MemorySyncStore()) {
  const clock = new ManualClock();
  const cloud = createFakeCloud({ push: async (_token, mutations) => push(mutations), pull: async (_t, cursor) => ({ changes: emptyChanges(), cursor, hasMore: false }) });
  const session = new SessionService({ cloud: cloud.api, vault: createMemoryVault(), clock, deviceName: 't' });
  await session.signIn('front@glow.example', 'correct horse');
  const statuses: SyncStatus[] = [];
  const engine = new SyncEngine({ store, cloud: cloud.api, session, clock, random: () => 0.5, onStatus: (s) => statuses.push(s) });
  const label = () => describeSyncStatus(engine.status).text;
  return { clock, store, engine, statuses, label };
}

describe('the status bar tells the truth', () => {
  it('truncated answers to every push: never "Saved" while the change waits', async () => {
    const { store, engine, label } = await engineWith(async () => {
      throw new CloudError(200, 'BAD_RESPONSE', 'The cloud sent something that is not JSON for /v1/sync/push.');
    });
    store.enqueue(note(1));
    engine.start();
    await engine.syncNow();
    expect(engine.status).toMatchObject({ failing: true, pending: 1 });
    expect(label()).toBe('Not saved yet — retrying · 1 waiting');
  });

  it('a push that hangs: a change made meanwhile is counted at once', async () => {
    const { store, engine, label, clock } = await engineWith(() => new Promise<PushResponse>(() => undefined));
    store.enqueue(note(1));
    engine.start();
    await clock.advanceAsync(0);
    expect(label()).toBe('Syncing… · 1 waiting');
    store.enqueue(note(2));
    engine.kick();
    expect(label()).toBe('Syncing… · 2 waiting');
  });

  it('unreachable: "Offline · N waiting"; back: "Saved"', async () => {
    let down = true;
    const { store, engine, label } = await engineWith(async (mutations) => {
      if (down) throw new CloudError(0, 'NETWORK', 'The cloud could not be reached.');
      return { cursor: 1, results: mutations.map((m) => ({ idempotencyKey: m.idempotencyKey, status: 'applied' as const, replayed: false, entity: 'calls', entityId: 'x' })) };
    });
    store.enqueue(note(1));
    engine.start();
    await engine.syncNow();
    expect(label()).toBe('Offline · 1 waiting');
    down = false;
    await engine.syncNow();
    expect(label()).toBe('Saved');
  });
});

describe('a full disk', () => {
  let dir: string | undefined;
  let cache: CallCache | undefined;
  afterEach(() => {
    cache?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    cache = dir = undefined;
  });

  it('says "Disk full — changes cannot be saved", keeps what is saved, and clears when writes work again', async () => {
    dir = mkdtempSync(join(tmpdir(), 'disk-full-'));
    const file = join(dir, 'cache.sqlite');
    const first = openCache({ file });
    first.applyPull(seedPage());
    first.session.setUser(user('usr_1'), { cloud: 'embedded' });
    first.outbox.enqueue(note(1));
    first.close();
    const probe = new Database(file, { readonly: true });
    const pages = (probe.pragma('page_count', { simple: true }) as number) + 1;
    probe.close();

    const events: boolean[] = [];
    const followers: Array<(full: boolean) => void> = [];
    cache = openCache({ file, maxPageCount: pages, onDiskFull: (full) => (events.push(full), followers.forEach((f) => f(full))) });
    const big = Array.from({ length: 400 }, (_, i) => contact(`con_${i}`, `Contact ${i} ${'x'.repeat(150)}`, null));
    const setup = await engineWith(async (m) => ({ cursor: 1, results: m.map((x) => ({ idempotencyKey: x.idempotencyKey, status: 'applied' as const, replayed: false, entity: 'calls', entityId: 'x' })) }), undefined);
    const engine = new SyncEngine({
      store: { ...cacheSyncStore(cache), getCursor: () => 10, applyPull: () => void cache!.applyPull(page({ contacts: big }, 11)) },
      cloud: createFakeCloud({ pull: async () => page({ contacts: big }, 11) }).api,
      session: (setup.engine as unknown as { options: { session: SessionService } }).options.session,
      clock: setup.clock,
      random: () => 0.5,
    });
    followers.push((full) => engine.setDiskFull(full));
    // A local change cannot be stored: the write fails, nothing already saved is touched.
    expect(() => {
      for (let i = 0; i < 200; i++) cache!.outbox.enqueue({ type: 'contact.create', idempotencyKey: `disk-full-${String(i).padStart(4, '0')}`, payload: { name: 'y'.repeat(200) } });
    }).toThrow(/full/);
    expect(events).toEqual([true]);
    expect(describeSyncStatus(engine.status).text).toMatch(/^Disk full — changes cannot be saved/);
    expect(cache.outbox.unsent().some((e) => e.idempotencyKey === note(1).idempotencyKey)).toBe(true);

    // A pull that cannot be stored is a full disk too, not "Offline".
    engine.start();
    await engine.syncNow();
    expect(engine.status).toMatchObject({ diskFull: true, state: 'online', failing: true });
    expect(describeSyncStatus(engine.status).text).toMatch(/^Disk full/);
    engine.stop();

    // A write that needs no new space works again: the flag clears.
    cache.session.setUser(user('usr_1'), { cloud: 'embedded' });
    expect(events).toEqual([true, false]);
    expect(engine.status.diskFull).toBe(false);
  });
});
