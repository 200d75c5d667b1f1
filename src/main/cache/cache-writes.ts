import type Database from 'better-sqlite3';
import { isDiskFull } from './errors';
import { toJournalEntry } from './open-or-rebuild';
import type { OutboxJournal } from './outbox-journal';
import type { UnsentEntry } from './outbox';
import { BULK_CACHE_SIZE, BULK_CHECKPOINT_PAGES } from './pull';
import { deferCallIndexes, restoreCallIndexes } from './deferred-call-indexes';
import { pauseCallIndexMerging, reindexCallById, resumeCallIndexMerging } from './search-index';
import type { SearchLater } from './overlay';
import type { OutboxEntry } from './types';
import { CHECKPOINT_EVERY_WRITES, WalSync, WalUpkeep } from './wal-upkeep';

/** Page cache in KiB (negative = KiB): connection.ts's everyday size (pull.ts has the bulk pull's). */
const DEFAULT_CACHE_SIZE = -32_000;

/**
 * How the cache writes: which transaction, which sync, and the upkeep after it (WAL checkpoints,
 * the disk-full notice, the outbox journal's spare copies, the search re-index of changed notes).
 * The ports (ports/*.ts) only validate and choose one of these; the SQL lives in the area modules.
 */
export class CacheWrites {
  private readonly checkpointTimer: NodeJS.Timeout;
  private diskFull = false;
  private bulk = false;
  private readonly upkeep: WalUpkeep;
  private readonly walSync: WalSync;
  /** BEGIN IMMEDIATE … COMMIT around a callback; made once (better-sqlite3 builds five wrappers per `transaction()`). */
  private readonly transaction: Database.Transaction<(fn: () => unknown) => unknown>;
  /** Calls whose note an outbox write changed, re-indexed for search just after it returned (`durable`). */
  private readonly searchBacklog = new Set<string>();
  private searchScheduled: NodeJS.Immediate | undefined;
  private readonly searchLater: SearchLater = (callId) => this.searchBacklog.add(callId);
  /** Told when each transaction has ended (pick-targets.ts re-reads the rows it touched). */
  private afterTransaction: (() => void) | undefined;

  constructor(
    private readonly db: Database.Database,
    file: string,
    private readonly journal: OutboxJournal,
    checkpointEveryMs: number,
    private readonly onDiskFull: ((full: boolean) => void) | undefined,
  ) {
    this.upkeep = new WalUpkeep(db);
    this.walSync = new WalSync(file);
    this.transaction = db.transaction((fn: () => unknown) => fn());
    // Commits no longer sync by themselves: `write` fdatasyncs the WAL after each one (same promise as FULL, see wal-upkeep.ts); pull pages skip it.
    db.pragma('synchronous = NORMAL');
    // A lost or damaged WAL then costs at most the last few minutes of pulls (the outbox is journaled too).
    this.checkpointTimer = setInterval(() => this.upkeep.run(), checkpointEveryMs);
    this.checkpointTimer.unref();
  }

  /**
   * Every write but a pull page: BEGIN IMMEDIATE … COMMIT, then the WAL file fdatasynced before it
   * returns (the connection commits at synchronous=NORMAL; this sync is what makes a returned write
   * durable, as synchronous=FULL's would, with no pragma switching per write). `weight`: how much WAL
   * it adds, in writes, for the checkpoint that follows off the write's path.
   */
  write<T>(fn: () => T, weight = 1): T {
    const result = this.commit(fn, weight);
    this.walSync.sync();
    return result;
  }

  /** `settle` runs after every transaction, committed or rolled back (before the WAL's sync, if any). */
  onTransactionEnd(settle: () => void): void {
    this.afterTransaction = settle;
  }

  /** The transaction alone (no sync of its own), with the disk-full bookkeeping and the WAL upkeep's count. */
  commit<T>(fn: () => T, weight: number): T {
    let result: T;
    try {
      result = this.transaction.immediate(fn) as T;
    } catch (error) {
      this.afterTransaction?.();
      // The transaction rolled back: everything stored before it stays. Say why, once.
      if (isDiskFull(error) && !this.diskFull) {
        this.diskFull = true;
        this.onDiskFull?.(true);
      }
      throw error;
    }
    this.afterTransaction?.();
    if (this.diskFull) {
      this.diskFull = false;
      this.onDiskFull?.(false);
    }
    this.upkeep.wrote(weight);
    return result;
  }

  /** Every commit so far made durable: the WAL file fdatasynced (what the choice log runs before it wraps). */
  readonly syncWal = (): void => this.walSync.sync();

  /**
   * Pull pages commit without a sync of their own (still atomic and consistent in WAL mode): a page
   * lost to a power cut takes its cursor with it and is simply pulled again. The next `write`'s
   * sync of the WAL syncs these frames too.
   */
  pullWrite<T>(fn: () => T, weight = CHECKPOINT_EVERY_WRITES): T {
    // During a bulk pull the WAL is checkpointed in large steps (bulkPull), not after each page.
    return this.commit(fn, this.bulk ? 0 : weight);
  }

  /**
   * An outbox write (a disposition, a note, a task action…): what the UI shows as saved once this
   * returns. ONE sync on its path: the transaction commits with synchronous=NORMAL and the WAL file
   * is fdatasynced (wal-upkeep.ts says why that is the same guarantee, cheaper); the journal's copy
   * is written before returning and synced in the background. Derived work stays off the path: a
   * changed note is re-indexed for search right after (`fn` gets `searchLater` for it); a process
   * that dies in between has it redone at the next open (callsWithLocalChanges).
   */
  durable(fn: (searchLater: SearchLater) => UnsentEntry): OutboxEntry {
    const stored = this.write(() => fn(this.searchLater));
    if (this.searchBacklog.size > 0 && !this.searchScheduled) {
      this.searchScheduled = setImmediate(() => {
        this.searchScheduled = undefined;
        this.indexSearchBacklog();
      });
    }
    try {
      this.journal.add(toJournalEntry(stored));
    } catch {
      // The row is committed in the cache; the journal is only its spare copy (e.g. the disk is full).
    }
    const { ownerUser: _user, ownerCloud: _cloud, ...entry } = stored;
    return entry;
  }

  /** Outbox rows the cloud answered or the user dismissed: done in the journal too. */
  journalDone(keys: readonly string[]): void {
    this.journal.done(keys);
  }

  /** Calls to re-index for search with the next backlog round (e.g. notes changed just before the last run ended). */
  reindexLater(callIds: readonly string[]): void {
    for (const id of callIds) this.searchBacklog.add(id);
  }

  /** Re-indexes the notes outbox writes changed (a commit without a sync of its own, like a pull page's). */
  indexSearchBacklog(): void {
    if (this.searchBacklog.size === 0 || !this.db.open) return;
    const ids = [...this.searchBacklog];
    try {
      // Weighs as the few writes it is (a pull page weighs a whole batch): else every note change would bring a checkpoint.
      this.pullWrite(() => {
        for (const id of ids) reindexCallById(this.db, id);
      }, ids.length);
      for (const id of ids) this.searchBacklog.delete(id);
    } catch {
      // E.g. the disk is full: kept for the next round (the next outbox write, a search, close); the next open redoes it anyway.
    }
  }

  bulkPull(active: boolean): void {
    if (active === this.bulk || !this.db.open) return;
    this.bulk = active;
    this.db.pragma(`wal_autocheckpoint = ${active ? BULK_CHECKPOINT_PAGES : 1000}`);
    this.db.pragma(`cache_size = ${active ? BULK_CACHE_SIZE : DEFAULT_CACHE_SIZE}`);
    if (active) {
      this.pullWrite(() => {
        pauseCallIndexMerging(this.db);
        deferCallIndexes(this.db);
      });
      return;
    }
    try {
      this.pullWrite(() => restoreCallIndexes(this.db));
      this.pullWrite(() => resumeCallIndexMerging(this.db));
    } catch {
      // E.g. the disk is full: the pull's own error says so; the next open merges (resumeInterruptedMerging).
    }
    this.upkeep.run();
  }

  /** The backlog indexed and the timers stopped; the WAL's descriptor and the journal closed. The connection stays open for the caller. */
  close(): void {
    if (this.searchScheduled) clearImmediate(this.searchScheduled);
    this.searchScheduled = undefined;
    this.indexSearchBacklog();
    clearInterval(this.checkpointTimer);
    this.upkeep.dispose();
  }

  /** After the choice log is settled (it may still sync the WAL): the WAL's descriptor and the journal closed. */
  closeFiles(): void {
    this.walSync.close();
    this.journal.close();
  }
}
