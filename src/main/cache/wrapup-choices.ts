import type Database from 'better-sqlite3';
import type { CacheWrites } from './cache-writes';
import type { ChoiceLog, LoggedChoice } from './choice-log';
import type { Wrapup } from './types';
import { replayWrapupChoice, setWrapupChoice } from './wrapups';

/**
 * The receptionist's wrap-up choices, made durable through the choice log (choice-log.ts): a
 * choice's record in the log, synced, is its durable point; the cache's commit follows without a
 * sync of its own. Without the log (it could not be opened or replayed, e.g. a read-only folder)
 * each choice commits with the WAL's sync, as every other write does.
 */
export class WrapupChoices {
  constructor(
    private readonly db: Database.Database,
    private readonly writes: CacheWrites,
    private log: ChoiceLog | undefined,
  ) {}

  /** A checked choice set on its wrap-up, durably. Null if no such wrap-up. */
  store(sid: string, choice: { dispositionId: string | null; note: string | null }, now: number): Wrapup | null {
    const logged = this.append({ sid, dispositionId: choice.dispositionId, note: choice.note, at: now });
    if (logged === undefined) return this.writes.write(() => setWrapupChoice(this.db, sid, choice, now));
    let saved: Wrapup | null;
    try {
      saved = this.writes.commit(() => setWrapupChoice(this.db, sid, choice, now), 1);
    } catch (error) {
      this.cancel(logged);
      throw error;
    }
    if (!saved) this.cancel(logged);
    return saved;
  }

  /**
   * At open: the choices the log holds, whose commit may not have reached the disk, are set again
   * (each only on a wrap-up not changed since), committed with the WAL's sync, and the log is
   * cleared. If that fails (a read-only or full disk), the records stay for the next open and this
   * run does without the log (a new record would be written over them): choices sync the WAL.
   */
  replay(logged: readonly LoggedChoice[]): void {
    if (!this.log) return;
    try {
      if (logged.length > 0) this.writes.write(() => logged.forEach((choice) => replayWrapupChoice(this.db, choice)));
      this.log.clear();
    } catch {
      this.log.close();
      this.log = undefined;
    }
  }

  /** Every choice's commit is synced, so the log is cleared (else kept: replaying a record again is harmless). At close, and when the wrap-ups are gone. */
  settle(): void {
    if (!this.log?.hasRecords || !this.db.open) return;
    try {
      this.writes.syncWal();
      this.log.clear();
    } catch {
      // Kept for the next open.
    }
  }

  close(): void {
    this.settle();
    this.log?.close();
  }

  /** The choice's record written and synced; undefined when the log is missing or failed (e.g. the disk is gone): the caller syncs the WAL instead. */
  private append(choice: Omit<LoggedChoice, 'seq'>): number | undefined {
    if (!this.log) return undefined;
    try {
      return this.log.append(choice, this.writes.syncWal);
    } catch {
      return undefined;
    }
  }

  /** The commit after a logged choice failed or found no wrap-up: the record must not be replayed. */
  private cancel(logged: number): void {
    try {
      this.log?.cancel(logged, this.writes.syncWal);
    } catch {
      // Still written, not synced: replay at the next open would find the same refusal, or (disk full then, room now) apply a choice the picker showed as failed.
    }
  }
}
