import type { Logger } from 'pino';
import type { PgBoss } from 'pg-boss';
import type { Database } from '../../db';
import { DOMAIN_EVENT_COLUMNS, toDomainEvent } from '../../events/domain-events';
import type { Clock } from '../actions/types';
import { eventHandlers } from '../triggers/handlers';

/**
 * Events per transaction. Small on purpose: a batch's runs commit all together or not at all, and
 * a worker killed mid-batch loses the whole batch's work — with 100, workers restarted every few
 * seconds on a loaded machine never committed one (found by the crash test).
 */
const BATCH = 10;

/**
 * Dispatches domain events to workflows (the transactional outbox's reader). Woken by NOTIFY on
 * commit of any event, by a LISTEN gap, and every minute by the sweep job as a backstop. Any number
 * of dispatchers (one per worker process) share the work: each batch is claimed with SKIP LOCKED and
 * handled in one transaction with the runs it starts, so an event starts its runs exactly once.
 */
export class Dispatcher {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly deps: { db: Database; boss: PgBoss; clock: Clock; log: Logger; wakeWorkers?: (count: number) => void }) {}

  /** Coalesces wake-ups: one drain at a time, and one more if woken while draining. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          for (let n = BATCH; !this.stopped && n === BATCH; ) {
            n = await this.batch(); // a full batch: there may be more
            // The batch's runs and woken waits committed with it: wake step workers for them (about
            // one step job per event; a woken worker that fetches a full batch keeps fetching).
            if (n > 0) this.deps.wakeWorkers?.(n);
          }
        } catch (error) {
          this.deps.log.error({ err: error }, 'domain event dispatch failed; retried on the next wake');
        }
      } while (this.again && !this.stopped);
      this.running = null;
    })();
  }

  /** Resolves once no drain is in progress (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  /** Dispatches up to one batch; returns how many events it claimed. */
  async batch(): Promise<number> {
    const { db, boss, clock, log } = this.deps;
    return db.transaction(async (tx) => {
      const rows = await tx.query(
        `SELECT ${DOMAIN_EVENT_COLUMNS} FROM domain_events e WHERE e.dispatched_at IS NULL ORDER BY e.id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) return 0;
      const failed = new Map<number, string>();
      const env = { boss, nowMs: clock.now() };
      for (const event of rows.map(toDomainEvent)) {
        const handle = eventHandlers[event.type];
        if (!handle) continue;
        await tx.query('SAVEPOINT dispatch_event');
        try {
          await handle(tx, env, event);
          await tx.query('RELEASE SAVEPOINT dispatch_event');
        } catch (error) {
          await tx.query('ROLLBACK TO SAVEPOINT dispatch_event');
          log.error({ err: error, eventId: event.id, type: event.type }, 'a domain event could not be dispatched');
          failed.set(event.id, error instanceof Error ? error.message : String(error));
        }
      }
      const ids = rows.map((r) => Number(r.id));
      await tx.query(`UPDATE domain_events SET dispatched_at = $2 WHERE id = ANY($1::bigint[])`, [ids, new Date(env.nowMs).toISOString()]);
      for (const [id, error] of failed) await tx.query(`UPDATE domain_events SET dispatch_error = $2 WHERE id = $1`, [id, error.slice(0, 2000)]);
      return rows.length;
    });
  }
}
