import { MAX_PUSH_BATCH, type MutationResult } from '../../shared/cloud';
import type { SyncStatus } from '../../shared/ipc/sync-status';
import type { Clock, TimerHandle } from '../../shared/time/clock';
import { isDiskFull } from '../cache/errors';
import { CloudError, type CloudApi } from '../cloud-client/cloud-client';
import type { SessionService } from '../session/session-service';
import { backoffDelay } from './backoff';
import type { SyncStore } from './sync-store';

const DEFAULT_PULL_PAGE = 5_000;

export interface SyncEngineOptions {
  store: SyncStore;
  cloud: CloudApi;
  session: SessionService;
  clock: Clock;
  random?: () => number;
  /** Changes per pull request; large pages make a first sync of a busy practice quick (cloud max 5,000). */
  pullPageSize?: number;
  onStatus?: (status: SyncStatus) => void;
  /** A mutation the cloud refused for good (e.g. a disposition deleted meanwhile): tell the user. */
  onRejected?: (result: Extract<MutationResult, { status: 'rejected' }>) => void;
  /** Pages were applied: views reading the cache should refresh. */
  onPulled?: (entities: string[]) => void;
  /** A cycle failed on this computer, not in the cloud: the details are for the log, not the status bar. */
  log?: (message: string, error: unknown) => void;
}

/** The status bar's words for a cycle that failed on this computer (a bug, the keychain): retried like any failure. */
export const LOCAL_SYNC_FAULT = 'Something on this computer stopped the sync. It will try again.';

/**
 * How long a realtime poke waits before its cycle starts. The pokes of one inbound call (its row,
 * its status, its notification) come in the 100 ms around its ring, the first ~40 ms before the
 * invite: one pull after them costs less than one each, and keeps off the ringing panel's first
 * frame, whose raster and display the pull's CPU (the cloud's and this process's) would otherwise
 * share the few cores with (ring bench, issue #21). History shows the call a fifth of a second later.
 */
export const POKE_COALESCE_MS = 200;

/**
 * Push the outbox, then pull by cursor, whenever something may have changed: at start, after a
 * local write, on a realtime poke, on power resume or network change. A failed cycle is retried
 * with exponential backoff and jitter; the outbox survives anything in between.
 */
export class SyncEngine {
  private running = false;
  private cycleInFlight: Promise<void> | undefined;
  private again = false;
  private timer: TimerHandle | undefined;
  /** When `timer` fires (clock ms). */
  private timerDueAt = 0;
  private failures = 0;
  /** The cloud asked us to come back later (503/429 + Retry-After): no cycle starts before this. */
  private busyUntil = 0;
  private current: SyncStatus;
  private readonly random: () => number;
  /**
   * How far the realtime socket said the cloud's changes go (its `hello`, each `changed`): a cycle
   * whose pull got that far needs no other for those pokes.
   */
  private announced = 0;
  /** Whether the last cycle got through its pull. */
  private pulled = false;
  /** Whether the last cycle got through (push, pull and the rows made due after it). */
  private synced = false;
  /** The connection came back during a cycle: one more at once if that cycle fails (connectionRestored). */
  private retryIfFailed = false;

  constructor(private readonly options: SyncEngineOptions) {
    this.random = options.random ?? Math.random;
    this.current = { state: 'offline', pending: 0, lastError: null, lastSyncedAt: null, failing: false, diskFull: false };
  }

  get status(): SyncStatus {
    return this.current;
  }

  start(): void {
    this.running = true;
    this.kick();
  }

  /**
   * No new cycle starts. Resolves when a cycle already under way has settled (bounded by
   * `waitMs`, since a request can hang until its timeout), so the cache can be closed after it; a
   * cycle that still runs into a closed cache afterwards ends quietly (see runCycle).
   */
  async stop(waitMs = 5_000): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const inFlight = this.cycleInFlight;
    if (!inFlight) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([inFlight, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
  }

  /** Sync as soon as possible; calls during a cycle coalesce into one more cycle. */
  kick(): void {
    if (!this.running) return;
    // A local change was just queued: the count is true at once, even while a request hangs.
    if (this.options.store.pendingCount() !== this.current.pending) this.setStatus({});
    if (this.cycleInFlight) {
      this.again = true;
      return;
    }
    // An overloaded cloud said when to come back: local writes and pokes meanwhile wait for that.
    this.schedule(Math.max(0, this.busyUntil - this.options.clock.now()));
  }

  /**
   * Something changed in the cloud (a realtime poke): a cycle in POKE_COALESCE_MS, which the pokes
   * that follow join. A local write's kick still goes at once; a cycle already due sooner is kept.
   * A poke that names the cloud's `cursor` asks for nothing this cache has already pulled (the
   * echo of its own push, the socket's hello after a pull); during a cycle it asks for one more only
   * if that cycle's pull ends short of it. Without a cursor, a poke during a cycle always asks for one more.
   */
  poked(cursor?: number): void {
    if (!this.running) return;
    if (cursor !== undefined) {
      if (this.pulledTo(cursor)) return;
      this.announced = Math.max(this.announced, cursor);
    }
    if (this.cycleInFlight) {
      if (cursor === undefined) this.again = true;
      return;
    }
    const delay = Math.max(POKE_COALESCE_MS, this.busyUntil - this.options.clock.now());
    if (this.timer !== undefined && this.timerDueAt <= this.options.clock.now() + delay) return;
    this.schedule(delay);
  }

  /**
   * The connection is back (the realtime socket reconnected, the network or the machine woke up):
   * forget every backoff, the engine's and each waiting row's, and push everything now.
   */
  connectionRestored(): void {
    if (!this.running) return;
    this.failures = 0;
    this.options.store.makeAllDue(this.options.clock.now());
    // A cycle under way that gets through does all a new one would: it pushes every due row, pulls,
    // and pushes the rows made due after its pull. So it is followed by another only if it fails:
    // at once, not after its backoff. (At every start the realtime socket connects during the start's
    // own cycle, and this used to run a second, empty push and pull beside the page's start: issue #21.)
    if (this.cycleInFlight) {
      this.retryIfFailed = true;
      return;
    }
    this.kick();
  }

  /**
   * The local cache could not write for lack of disk space (true), or wrote again (false). What is
   * already stored stays; the status says so instead of "Offline".
   */
  setDiskFull(full: boolean): void {
    if (full !== this.current.diskFull) this.setStatus({ diskFull: full });
  }

  /** Runs one cycle now and resolves when it is done (tests, "sync now" in the UI). */
  async syncNow(): Promise<void> {
    if (this.cycleInFlight) {
      this.again = true;
      await this.cycleInFlight;
    }
    await this.runCycle();
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timerDueAt = this.options.clock.now() + delayMs;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      void this.runCycle();
    }, delayMs);
  }

  private runCycle(): Promise<void> {
    this.cycleInFlight ??= this.cycle()
      .catch((error: unknown) => {
        // Stopped mid-cycle (signing out, quitting): the cache may already be closed under it.
        if (this.running) throw error;
      })
      .finally(() => {
        this.cycleInFlight = undefined;
        if (!this.running) return;
        // Pokes with a cursor during a cycle that pulled: one more cycle if it ended short of them,
        // once (then they are forgotten). A cycle that failed has its backoff scheduled already.
        const behind = this.pulled && this.announced > 0 && !this.pulledTo(this.announced);
        if (this.pulled) this.announced = 0;
        const retry = this.retryIfFailed && !this.synced;
        this.retryIfFailed = false;
        if (this.again || behind || retry) {
          this.again = false;
          // Not before an overloaded cloud's Retry-After, as for a kick.
          this.schedule(Math.max(0, this.busyUntil - this.options.clock.now()));
        }
      });
    return this.cycleInFlight;
  }

  /** Whether the cache's pulls have reached `cursor` (an unreadable cursor counts as not: pulling again is safe). */
  private pulledTo(cursor: number): boolean {
    try {
      return this.options.store.getCursor() >= cursor;
    } catch {
      return false;
    }
  }

  private async cycle(): Promise<void> {
    this.pulled = false;
    this.synced = false;
    if (this.options.session.state.status !== 'signed-in') {
      this.setStatus({ state: 'offline', lastError: 'Signed out' });
      return;
    }
    this.setStatus({ state: 'syncing' });
    try {
      await this.pushAll();
      await this.pullAll();
      this.pulled = true;
      // The cloud answers again: rows still waiting out an earlier failure's backoff go now.
      if (this.options.store.makeAllDue(this.options.clock.now()) > 0) await this.pushAll();
      this.synced = true;
      this.failures = 0;
      this.setStatus({ state: 'online', lastError: null, failing: false, lastSyncedAt: new Date(this.options.clock.now()).toISOString() });
      const nextDue = this.options.store.nextDueAt();
      if (nextDue !== undefined && this.running) this.schedule(Math.max(0, nextDue - this.options.clock.now()));
    } catch (error) {
      const diskFull = isDiskFull(error);
      // Offline only when the cloud could not be reached; a refused, truncated or unwritable answer is
      // "not saved", not offline. So is a fault on this computer, which no network would mend.
      const unreachable = error instanceof CloudError && error.retryable;
      const local = !(error instanceof CloudError) && !diskFull;
      if (local) this.options.log?.('A sync cycle failed on this computer', error);
      const message = local ? LOCAL_SYNC_FAULT : error instanceof Error ? error.message : String(error);
      this.setStatus({ state: unreachable ? 'offline' : 'online', lastError: message, failing: true, ...(diskFull ? { diskFull } : {}) });
      if (this.running && !(error instanceof CloudError && error.needsSignIn)) {
        const retryAfterMs = error instanceof CloudError ? error.retryAfterMs : undefined;
        const wait = retryAfterMs ? retryAfterMs : backoffDelay(this.failures, this.random);
        if (retryAfterMs) this.busyUntil = this.options.clock.now() + retryAfterMs;
        this.failures += 1;
        this.schedule(wait);
      }
    }
  }

  private async pushAll(): Promise<void> {
    for (;;) {
      const now = this.options.clock.now();
      const due = this.options.store.dueOutbox(MAX_PUSH_BATCH, now);
      if (due.length === 0) return;
      let response;
      try {
        response = await this.options.session.authed((token) => this.options.cloud.push(token, due.map((entry) => entry.mutation)));
      } catch (error) {
        const attempts = Math.max(...due.map((entry) => entry.attempts));
        const message = error instanceof Error ? error.message : String(error);
        // Never sooner than the cloud's Retry-After (a busy cloud refused the batch; nothing was applied).
        const retryAfterMs = (error instanceof CloudError && error.retryAfterMs) || 0;
        this.options.store.deferOutbox(due.map((e) => e.idempotencyKey), message, now + Math.max(retryAfterMs, backoffDelay(attempts, this.random)));
        throw error;
      }
      this.options.store.completeOutbox(response.results);
      // A push went through, so the connection is back: the whole backlog is due, not just this batch.
      this.options.store.makeAllDue(now);
      for (const result of response.results) {
        if (result.status === 'rejected') this.options.onRejected?.(result);
      }
      this.setStatus({});
      // The cloud answered every key of the batch; anything it skipped stays for the next round.
      const answered = new Set(response.results.map((r) => r.idempotencyKey));
      if (due.some((entry) => !answered.has(entry.idempotencyKey))) return;
    }
  }

  /**
   * Pages stream: the request for the next page (from the cursor the current page names) is sent
   * before the current one is written, so the cloud prepares page n+1 while the cache writes page n.
   * The stored cursor still moves only with each written page, so a failure anywhere re-pulls from
   * the last page on disk. In a bulk pull the cache store writes on its own thread, so parsing page
   * n+1 here overlaps writing page n there.
   */
  private async pullAll(): Promise<void> {
    const changed = new Set<string>();
    const { store } = this.options;
    const fetchPage = (cursor: number) =>
      this.options.session.authed((token) => this.options.cloud.pull(token, cursor, this.options.pullPageSize ?? DEFAULT_PULL_PAGE));
    let next = fetchPage(store.getCursor());
    let bulk = false;
    try {
      for (;;) {
        const page = await next;
        if (page.hasMore) {
          next = fetchPage(page.cursor);
          // Not awaited until the page is written: a failure surfaces then, never as an unhandled rejection.
          next.catch(() => undefined);
          // Let the request leave (token, socket write) before the synchronous write blocks the loop.
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (!bulk) {
            bulk = true;
            await store.bulkPull?.(true);
          }
        }
        await store.applyPull(page);
        for (const [entity, rows] of Object.entries(page.changes)) if (rows.length > 0) changed.add(entity);
        if (!page.hasMore) break;
      }
    } finally {
      if (bulk) await store.bulkPull?.(false);
    }
    if (changed.size > 0) this.options.onPulled?.([...changed]);
  }

  private setStatus(patch: Partial<SyncStatus>): void {
    this.current = { ...this.current, ...patch, pending: this.options.store.pendingCount() };
    this.options.onStatus?.(this.current);
  }
}
