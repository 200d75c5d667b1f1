import { describe, expect, it } from 'vitest';
import type { Mutation, PullResponse } from '../../shared/cloud';
import type { SyncStatus } from '../../shared/ipc/sync-status';
import { CloudError } from '../cloud-client/cloud-client';
import { createMemoryVault } from '../session/credential-vault';
import { SessionService } from '../session/session-service';
import { ManualClock } from '../../shared/testing/manual-clock';
import { createFakeCloud } from '../testing/fake-cloud';
import { emptyChanges, MemorySyncStore } from '../testing/memory-sync-store';
import { backoffDelay } from './backoff';
import { describeSyncStatus } from '../../shared/ipc/sync-status-label';
import { LOCAL_SYNC_FAULT, POKE_COALESCE_MS, SyncEngine } from './sync-engine';

type SyncEngineLog = (message: string, error: unknown) => void;

const disposition = (n: number): Mutation => ({
  type: 'call.setDisposition',
  idempotencyKey: `key-000${n}`,
  payload: { callId: `call_${n}`, dispositionId: 'dsp_1' },
});

async function setup(opts: { failPushes?: number; busyPushes?: number; pages?: PullResponse[]; pushGate?: Promise<void>; log?: SyncEngineLog } = {}) {
  const clock = new ManualClock();
  const store = new MemorySyncStore();
  const applied = new Map<string, number>();
  let failPushes = opts.failPushes ?? 0;
  let busyPushes = opts.busyPushes ?? 0;
  const pushTimes: number[] = [];
  const pullTimes: number[] = [];
  const pages = [...(opts.pages ?? [])];
  const cloud = createFakeCloud({
    push: async (_token, mutations) => {
      pushTimes.push(clock.now());
      await opts.pushGate;
      // An overloaded cloud: 503 with Retry-After 7 s, before anything is applied.
      if (busyPushes-- > 0) throw new CloudError(503, 'SERVICE_UNAVAILABLE', 'The server is busy (sync); try again in 7 s', 7000);
      if (failPushes-- > 0) throw new CloudError(0, 'NETWORK', 'The cloud could not be reached.');
      return {
        cursor: 1,
        results: mutations.map((m) => {
          const replayed = applied.has(m.idempotencyKey);
          applied.set(m.idempotencyKey, (applied.get(m.idempotencyKey) ?? 0) + (replayed ? 0 : 1));
          return m.payload && 'callId' in m.payload && m.payload.callId === 'call_gone'
            ? { idempotencyKey: m.idempotencyKey, status: 'rejected' as const, replayed, code: 'NOT_FOUND' as const, message: 'That call no longer exists.' }
            : { idempotencyKey: m.idempotencyKey, status: 'applied' as const, replayed, entity: 'calls', entityId: 'x' };
        }),
      };
    },
    pull: async (_token, cursor) => (pullTimes.push(clock.now()), pages.shift() ?? { changes: emptyChanges(), cursor, hasMore: false }),
  });
  const session = new SessionService({ cloud: cloud.api, vault: createMemoryVault(), clock, deviceName: 't' });
  await session.signIn('front@glow.example', 'correct horse');
  const statuses: SyncStatus[] = [];
  const rejected: string[] = [];
  const engine = new SyncEngine({
    store,
    cloud: cloud.api,
    session,
    clock,
    random: () => 0.5,
    onStatus: (s) => statuses.push(s),
    onRejected: (r) => rejected.push(r.message),
    ...(opts.log ? { log: opts.log } : {}),
  });
  return { clock, store, engine, applied, statuses, rejected, pushTimes, pullTimes };
}

describe('backoffDelay', () => {
  it('doubles per attempt up to the cap, spread by jitter', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, () => 0.5))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(20, () => 0.5)).toBe(60_000);
    expect(backoffDelay(2, () => 0)).toBe(2000);
    expect(backoffDelay(2, () => 0.999)).toBeLessThan(6000);
  });
});

describe('SyncEngine', () => {
  it('stop waits for the cycle under way, and a cycle that then meets a closed cache ends quietly', async () => {
    let releasePush!: () => void;
    const { store, engine, applied } = await setup({ pushGate: new Promise<void>((resolve) => (releasePush = resolve)) });
    store.enqueue(disposition(1));
    engine.start();
    const cycle = engine.syncNow();
    await new Promise((resolve) => setTimeout(resolve, 0));
    let stopped = false;
    const stopping = engine.stop(60_000).then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stopped).toBe(false);
    // Quitting closes the cache while the push is still out: every store call throws from now on.
    const closed = () => {
      throw new TypeError('The database connection is not open');
    };
    Object.assign(store, { pendingCount: closed, completeOutbox: closed, makeAllDue: closed, dueOutbox: closed });
    releasePush();
    await stopping;
    await expect(cycle).resolves.toBeUndefined();
    expect(stopped).toBe(true);
    expect([...applied.keys()]).toEqual(['key-0001']);
  });

  it('stop gives up waiting on a hung cycle after its bound', async () => {
    const { store, engine } = await setup({ pushGate: new Promise<void>(() => undefined) });
    store.enqueue(disposition(1));
    engine.start();
    void engine.syncNow();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await expect(engine.stop(20)).resolves.toBeUndefined();
  });

  it('pushes the outbox, then pulls every page, and reports online', async () => {
    const page1: PullResponse = { changes: emptyChanges(), cursor: 5, hasMore: true };
    const page2: PullResponse = { changes: emptyChanges(), cursor: 9, hasMore: false };
    const { store, engine, applied, statuses } = await setup({ pages: [page1, page2] });
    store.enqueue(disposition(1));
    store.enqueue(disposition(2));
    engine.start();
    await engine.syncNow();
    expect([...applied.keys()]).toEqual(['key-0001', 'key-0002']);
    expect(store.outbox).toEqual([]);
    expect(store.cursor).toBe(9);
    expect(statuses.at(-1)).toMatchObject({ state: 'online', pending: 0, lastError: null });
  });

  it('keeps the outbox while offline, backs off with jitter, and delivers exactly once on reconnect', async () => {
    const { clock, store, engine, applied, statuses } = await setup({ failPushes: 2 });
    store.enqueue(disposition(1));
    engine.start();
    await clock.advanceAsync(0);
    expect(statuses.at(-1)).toMatchObject({ state: 'offline', pending: 1, lastError: 'The cloud could not be reached.' });
    expect(store.outbox[0]!.attempts).toBe(1);
    await clock.advanceAsync(1000);
    expect(statuses.at(-1)).toMatchObject({ state: 'offline', pending: 1 });
    await clock.advanceAsync(2000);
    expect(statuses.at(-1)).toMatchObject({ state: 'online', pending: 0 });
    expect(applied.get('key-0001')).toBe(1);
  });

  it('a cycle that fails on this computer (a bug, not the network) says "Not saved yet — retrying", never "Offline", and logs the details (UX review 41 #2)', async () => {
    const logged: unknown[] = [];
    const { clock, store, engine, statuses, pullTimes } = await setup({ log: (_message, error) => logged.push(error) });
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const write = store.applyPull.bind(store);
    let failures = 1;
    store.applyPull = (page) => {
      if (failures-- > 0) throw bug;
      write(page);
    };
    engine.start();
    await clock.advanceAsync(0);
    expect(statuses.at(-1)).toMatchObject({ state: 'online', failing: true, lastError: LOCAL_SYNC_FAULT });
    expect(describeSyncStatus(statuses.at(-1)!).text).toBe('Not saved yet — retrying');
    expect(logged).toEqual([bug]);
    // Retried with backoff like any failed cycle.
    await clock.advanceAsync(1000);
    expect(pullTimes).toHaveLength(2);
    expect(statuses.at(-1)).toMatchObject({ state: 'online', failing: false, lastError: null });
  });

  it('honours Retry-After from a busy cloud: nothing is retried sooner, even on a kick, then it is applied exactly once', async () => {
    const { clock, store, engine, applied, statuses, pushTimes } = await setup({ busyPushes: 1 });
    store.enqueue(disposition(5));
    const t0 = clock.now();
    engine.start();
    await clock.advanceAsync(0);
    expect(statuses.at(-1)).toMatchObject({ state: 'offline', pending: 1, lastError: 'The server is busy (sync); try again in 7 s' });
    // Backoff alone would retry after 1 s; a local write and a realtime poke come meanwhile.
    await clock.advanceAsync(1500);
    store.enqueue(disposition(6));
    engine.kick();
    await clock.advanceAsync(3000);
    engine.kick();
    await clock.advanceAsync(2000);
    expect(pushTimes.map((t) => t - t0)).toEqual([0]);
    expect(store.outbox.map((e) => e.idempotencyKey)).toEqual(['key-0005', 'key-0006']);
    await clock.advanceAsync(1000); // 7 s after the refusal
    expect(pushTimes.map((t) => t - t0)).toEqual([0, 7000]);
    expect(statuses.at(-1)).toMatchObject({ state: 'online', pending: 0 });
    expect(applied.get('key-0005')).toBe(1);
    expect(applied.get('key-0006')).toBe(1);
  });

  it('the connection coming back during a cycle asks for another only if that cycle fails, and then at once', async () => {
    // The start: the realtime socket connects while the start's own cycle is under way.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { clock, store, engine, applied, pushTimes, pullTimes } = await setup({ pushGate: gate });
    store.enqueue(disposition(1));
    engine.start();
    await clock.advanceAsync(0);
    engine.connectionRestored();
    release();
    for (let i = 0; i < 5; i++) await new Promise((settled) => setImmediate(settled)); // the cycle under way ends
    await clock.advanceAsync(POKE_COALESCE_MS * 3);
    expect(pushTimes).toHaveLength(1);
    expect(pullTimes).toHaveLength(1);
    expect(applied.get('key-0001')).toBe(1);

    // Offline: a cycle that fails would wait out its backoff (1 s); the connection comes back during it.
    let reconnect!: () => void;
    const offline = await setup({ failPushes: 1, pushGate: new Promise<void>((resolve) => (reconnect = resolve)) });
    const t0 = offline.clock.now();
    offline.store.enqueue(disposition(2));
    offline.engine.start();
    await offline.clock.advanceAsync(0);
    offline.engine.connectionRestored();
    reconnect();
    for (let i = 0; i < 5; i++) await new Promise((settled) => setImmediate(settled));
    await offline.clock.advanceAsync(0);
    expect(offline.pushTimes.map((t) => t - t0)).toEqual([0, 0]);
    expect(offline.applied.get('key-0002')).toBe(1);
    expect(offline.statuses.at(-1)).toMatchObject({ state: 'online', pending: 0 });
  });

  it('drops a permanently rejected mutation and tells the user why', async () => {
    const { store, engine, rejected } = await setup();
    store.enqueue({ type: 'call.setDisposition', idempotencyKey: 'key-gone1', payload: { callId: 'call_gone', dispositionId: 'dsp_1' } });
    engine.start();
    await engine.syncNow();
    expect(store.outbox).toEqual([]);
    expect(rejected).toEqual(['That call no longer exists.']);
  });

  it.each(['kick', 'poked'] as const)('coalesces %s calls during a cycle into one more cycle', async (call) => {
    const { clock, store, engine, applied } = await setup();
    engine.start();
    const first = engine.syncNow();
    store.enqueue(disposition(3));
    engine[call]();
    engine[call]();
    await first;
    await clock.advanceAsync(0);
    expect(applied.get('key-0003')).toBe(1);
  });

  it('pulls POKE_COALESCE_MS after a realtime poke, once for a burst of pokes, never sooner than a kick already due', async () => {
    const { clock, engine, pullTimes: pulls } = await setup();
    engine.start();
    await clock.advanceAsync(0); // the start's own cycle
    pulls.length = 0;
    const t0 = clock.now();
    engine.poked(); // the call's row
    await clock.advanceAsync(10);
    engine.poked(); // its status
    engine.poked(); // its notification
    await clock.advanceAsync(POKE_COALESCE_MS - 11);
    expect(pulls).toEqual([]);
    await clock.advanceAsync(1);
    expect(pulls.map((t) => t - t0)).toEqual([POKE_COALESCE_MS]);
    // A local write's kick goes at once; a poke just after it does not push that cycle back.
    const t1 = clock.now();
    engine.kick();
    engine.poked();
    await clock.advanceAsync(0);
    expect(pulls.map((t) => t - t1).slice(1)).toEqual([0]);
    await clock.advanceAsync(POKE_COALESCE_MS * 2);
    expect(pulls).toHaveLength(2);
  });

  it('a poke naming a cursor the cache has already pulled starts no cycle (an own push\'s echo, the hello after a pull)', async () => {
    const pages = [5, 6].map((cursor) => ({ changes: emptyChanges(), cursor, hasMore: false }));
    const { clock, store, engine, pullTimes: pulls } = await setup({ pages });
    engine.start();
    await clock.advanceAsync(0);
    expect(store.getCursor()).toBe(5);
    pulls.length = 0;
    engine.poked(5);
    engine.poked(3);
    await clock.advanceAsync(POKE_COALESCE_MS * 3);
    expect(pulls).toEqual([]);
    const t0 = clock.now();
    engine.poked(6);
    await clock.advanceAsync(POKE_COALESCE_MS * 3);
    expect(pulls.map((t) => t - t0)).toEqual([POKE_COALESCE_MS]);
    expect(store.getCursor()).toBe(6);
  });

  it('during a cycle, a poke with a cursor asks for one more only if that cycle\'s pull ended short of it, and only once', async () => {
    const pages = [5, 7].map((cursor) => ({ changes: emptyChanges(), cursor, hasMore: false }));
    const { clock, engine, pullTimes: pulls } = await setup({ pages });
    engine.start();
    await clock.advanceAsync(0); // the start's own cycle: to 5
    const reaching = engine.syncNow();
    engine.poked(7); // the pull under way gets there
    await reaching;
    await clock.advanceAsync(POKE_COALESCE_MS * 3);
    expect(pulls).toHaveLength(2);
    // This cycle's pull stays at 7 (nothing new in this fake cloud): one more cycle for the poke's 9, then no other.
    const short = engine.syncNow();
    engine.poked(9);
    await short;
    await clock.advanceAsync(POKE_COALESCE_MS * 3);
    expect(pulls).toHaveLength(4);
    // A poke without a cursor (a notification) still always asks for one more.
    const plain = engine.syncNow();
    engine.poked();
    await plain;
    await clock.advanceAsync(POKE_COALESCE_MS * 3);
    expect(pulls).toHaveLength(6);
  });

  it('does nothing while signed out', async () => {
    const { store, engine, applied, statuses } = await setup();
    store.enqueue(disposition(4));
    await (engine as unknown as { options: { session: SessionService } }).options.session.signOut();
    engine.start();
    await engine.syncNow();
    expect(applied.size).toBe(0);
    expect(statuses.at(-1)).toMatchObject({ state: 'offline', pending: 1, lastError: 'Signed out' });
  });

  it('streams pages: asks for page n+1 (from page n\'s cursor) before writing page n, in bulk mode, which ends even when a write fails', async () => {
    const pages: PullResponse[] = [
      { changes: emptyChanges(), cursor: 5, hasMore: true },
      { changes: emptyChanges(), cursor: 9, hasMore: true },
      { changes: emptyChanges(), cursor: 12, hasMore: false },
    ];
    const { store, engine, events } = await streamingSetup(pages);
    engine.start();
    await engine.syncNow();
    expect(events).toEqual(['pull 0', 'pull 5', 'bulk on', 'write 5', 'pull 9', 'write 9', 'write 12', 'bulk off']);
    expect(store.cursor).toBe(12);

    // A page that cannot be written: bulk mode still ends, the cursor stays at the last written page.
    const failing = await streamingSetup([{ changes: emptyChanges(), cursor: 5, hasMore: true }, { changes: emptyChanges(), cursor: 9, hasMore: false }], 9);
    failing.engine.start();
    await failing.engine.syncNow();
    expect(failing.events).toEqual(['pull 0', 'pull 5', 'bulk on', 'write 5', 'write 9 failed', 'bulk off']);
    expect(failing.store.cursor).toBe(5);
  });
});

async function streamingSetup(pages: PullResponse[], failAtCursor?: number) {
  const clock = new ManualClock();
  const events: string[] = [];
  const store = new MemorySyncStore();
  const write = store.applyPull.bind(store);
  store.applyPull = (page) => {
    if (page.cursor === failAtCursor) {
      events.push(`write ${page.cursor} failed`);
      throw new Error('SQLITE_FULL: database or disk is full');
    }
    events.push(`write ${page.cursor}`);
    write(page);
  };
  (store as MemorySyncStore & { bulkPull(active: boolean): void }).bulkPull = (active) => events.push(`bulk ${active ? 'on' : 'off'}`);
  const queue = [...pages];
  const cloud = createFakeCloud({
    pull: async (_token, cursor) => {
      events.push(`pull ${cursor}`);
      return queue.shift() ?? { changes: emptyChanges(), cursor, hasMore: false };
    },
  });
  const session = new SessionService({ cloud: cloud.api, vault: createMemoryVault(), clock, deviceName: 't' });
  await session.signIn('front@glow.example', 'correct horse');
  const engine = new SyncEngine({ store, cloud: cloud.api, session, clock, random: () => 0.5 });
  return { store, engine, events };
}
