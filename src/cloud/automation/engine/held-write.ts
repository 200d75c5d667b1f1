import type { Database } from '../../db';
import { write, type UnitOfWork } from '../../db/unit-of-work';

/** The held transaction was rolled back as a deadlock victim after its change was handed out: the step is retried. */
export class HeldWriteLost extends Error {
  constructor() {
    super('The step’s transaction was rolled back by the database (a deadlock); the step is tried again');
    this.name = 'HeldWriteLost';
  }
}

/**
 * A unit of work opened on first use and kept open until the caller decides how it ends: `finish`
 * runs one more piece of work in it and commits, `abort` rolls it back. The engine uses it to make a
 * database-only action's change and the step's outcome one commit: the action's `dbEffect` writes
 * through `uow()`, the step is recorded with `finish`. While it is held, nothing else may wait for
 * this database from the same flow of work (PGlite has one connection: it would wait for ever).
 */
export class HeldWrite {
  private opened: Promise<UnitOfWork> | undefined;
  private end: ((next: ((uow: UnitOfWork) => Promise<unknown>) | Error) => void) | undefined;
  private committed: Promise<unknown> | undefined;

  constructor(
    private readonly db: Database,
    private readonly accountId: string,
  ) {}

  get isOpen(): boolean {
    return this.opened !== undefined;
  }

  uow(): Promise<UnitOfWork> {
    if (this.opened) return this.opened;
    let entered = false;
    const ended = new Promise<((uow: UnitOfWork) => Promise<unknown>) | Error>((resolve) => (this.end = resolve));
    this.opened = new Promise<UnitOfWork>((resolve, reject) => {
      this.committed = write(this.db, this.accountId, async (uow) => {
        if (entered) throw new HeldWriteLost(); // write() retries deadlock victims; the change was already handed out
        entered = true;
        resolve(uow);
        const next = await ended;
        if (next instanceof Error) throw next;
        return next(uow);
      });
      this.committed.catch(reject); // opening failed (no connection): uow() rejects too
    });
    return this.opened;
  }

  /** Runs `fn` in the held transaction and commits; its result once committed. */
  async finish<T>(fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    if (!this.end || !this.committed) throw new Error('HeldWrite.finish before uow()');
    this.end(fn);
    return (await this.committed) as T;
  }

  /** Rolls the held transaction back (nothing it wrote is kept). */
  async abort(): Promise<void> {
    if (!this.end || !this.committed) return;
    this.end(new Error('rolled back'));
    await this.committed.catch(() => undefined);
  }
}
