import { closeSync, fdatasyncSync, openSync } from 'node:fs';
import type Database from 'better-sqlite3';

/**
 * The WAL work that must not sit on a disposition's path.
 *
 * An outbox write commits with synchronous=NORMAL and then `WalSync` fdatasyncs the WAL file: one
 * data-only sync, where synchronous=FULL's fsync also flushes the inode (mtime) through the file
 * system's journal. Same guarantee: the commit's frames are on disk before the write returns, and
 * SQLite's recovery replays them at the next open.
 *
 * Two more syncs would otherwise land on some of those writes: SQLite's auto-checkpoint (at 1,000
 * WAL pages, run by whichever commit crosses it: it syncs the WAL and the database file), and the
 * WAL's restart after a full checkpoint (the first commit after it rewrites and syncs the WAL
 * header). `WalUpkeep` does both right after a write returns instead (next turn of the event loop):
 * every `CHECKPOINT_EVERY_WRITES` writes, after each pull page and on the periodic timer, it
 * checkpoints and, when the WAL was copied entirely, restarts it at once with a one-frame write.
 */
export const CHECKPOINT_EVERY_WRITES = 32;

/**
 * fdatasync of the cache's WAL file: makes the last commit (synchronous=NORMAL) durable. The file is
 * opened once, not per write: SQLite keeps the same WAL file (a checkpoint restarts or truncates it
 * in place) for as long as its connection is open, and `close` comes before the connection's.
 */
export class WalSync {
  private fd: number | undefined;

  constructor(private readonly databaseFile: string) {}

  sync(): void {
    this.fd ??= openSync(`${this.databaseFile}-wal`, 'r+');
    try {
      fdatasyncSync(this.fd);
    } catch (error) {
      this.close(); // the next write opens it again
      throw error;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export class WalUpkeep {
  private writes = 0;
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly db: Database.Database) {}

  /** A write committed (`weight` writes' worth; a pull page counts as a full batch). */
  wrote(weight = 1): void {
    this.writes += weight;
    if (this.writes >= CHECKPOINT_EVERY_WRITES && !this.scheduled) {
      this.scheduled = setImmediate(() => {
        this.scheduled = undefined;
        this.run();
      });
    }
  }

  /** Checkpoints (PASSIVE: never waits for readers) and restarts a fully copied WAL now. */
  run(): void {
    this.writes = 0;
    if (!this.db.open || this.db.inTransaction) return;
    try {
      const [result] = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
      if (result && result.busy === 0 && result.log > 0 && result.log === result.checkpointed) this.restart();
    } catch {
      // Busy (another connection checkpoints): the next round catches up.
    }
  }

  /**
   * Setting user_version to its own value writes one frame: SQLite restarts the WAL from its start
   * here (header write + sync), not in the next outbox commit.
   */
  private restart(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    const previous = this.db.pragma('synchronous', { simple: true }) as number;
    this.db.pragma('synchronous = NORMAL');
    try {
      this.db.pragma(`user_version = ${Math.trunc(version)}`);
    } finally {
      this.db.pragma(`synchronous = ${Math.trunc(previous)}`);
    }
  }

  dispose(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
  }
}
