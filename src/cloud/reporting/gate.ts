import type { Database, Queryable } from '../db';
import { ApiError } from '../errors';

/**
 * Reports are the heaviest reads the cloud serves. The gate keeps them from taking over: at most
 * `concurrent` run at once on this instance (the rest of the pool stays free for webhooks and
 * sync), at most `queued` wait, and anything beyond is refused with RATE_LIMITED at once.
 */
export class ReportGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrent: number,
    private readonly queued: number,
  ) {}

  get busy(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.enter();
    try {
      return await work();
    } finally {
      this.leave();
    }
  }

  /** For work that outlives one call (a streamed export): pair with the returned release. */
  async hold(): Promise<() => void> {
    await this.enter();
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.leave();
      }
    };
  }

  private async enter(): Promise<void> {
    if (this.running < this.concurrent) {
      this.running++;
      return;
    }
    if (this.waiting.length >= this.queued) {
      throw new ApiError('RATE_LIMITED', 'Too many reports are being prepared right now; try again in a moment', { retryAfterSeconds: 2 });
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private leave(): void {
    const next = this.waiting.shift();
    if (next) next(); // the slot passes straight to the next in line
    else this.running--;
  }
}

/** The longest a report statement may run on PostgreSQL before it is cancelled. */
export const REPORT_STATEMENT_TIMEOUT_MS = 20_000;

/**
 * Runs report reads. On PostgreSQL: one read-only transaction with a statement timeout (the work
 * happens in the server; this process only awaits it). On PGlite, which runs in this process and
 * serialises every query, each statement runs on its own so webhooks and sync can go in between.
 */
export async function reportReads<T>(db: Database, work: (q: Queryable) => Promise<T>): Promise<T> {
  if (db.kind === 'pglite') return work(db);
  return db.transaction(async (tx) => {
    await tx.exec(`SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = ${REPORT_STATEMENT_TIMEOUT_MS}`);
    return work(tx);
  });
}

/** Lets the event loop run whatever is waiting (between PGlite slices). */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
