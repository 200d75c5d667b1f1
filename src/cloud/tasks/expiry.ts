import type { Logger } from 'pino';
import type { Database } from '../db';
import { write } from '../db/unit-of-work';
import { recordDomainEvent } from '../events/domain-events';

/**
 * Task expiry: an open task past its `expires_at` is marked `expired` by a sweep, which writes
 * `task.finished` (outcome expired) so the workflow step waiting for it records "Manual Call task
 * expired" and the run moves on. Every cloud process sweeps; the conditional UPDATE makes each
 * task expire exactly once however many sweep at the same time.
 */
const BATCH = 200;

/** Expires the open tasks due at `now` (at most a batch); returns how many this call expired. */
export async function expireDueTasks(db: Database, now: Date = new Date()): Promise<number> {
  const due = await db.query<{ id: string; account_id: string }>(
    `SELECT id, account_id FROM tasks WHERE expires_at <= $1 AND status IN ('queued', 'in_progress') ORDER BY expires_at, id LIMIT ${BATCH}`,
    [now.toISOString()],
  );
  let expired = 0;
  for (const task of due) {
    const done = await write(db, task.account_id, async (uow) => {
      const rows = await uow.q.query<{ run_id: string | null; contact_id: string; step_key: string | null }>(
        `UPDATE tasks SET status = 'expired', reason = 'Not worked before it expired', finished_at = now(), updated_at = now()
          WHERE id = $1 AND status IN ('queued', 'in_progress') AND expires_at <= $2 RETURNING run_id, contact_id, step_key`,
        [task.id, now.toISOString()],
      );
      const row = rows[0];
      if (!row) return false; // worked, or expired by another sweep, meanwhile
      uow.touch('tasks', task.id);
      await uow.audit(null, 'task.expired', 'task', task.id, {});
      recordDomainEvent(uow, {
        accountId: task.account_id, type: 'task.finished', taskId: task.id, runId: row.run_id, contactId: row.contact_id, actorUserId: null,
        payload: { stepKey: row.step_key, outcome: 'expired', reason: 'Not worked before it expired' },
      });
      return true;
    });
    if (done) expired += 1;
  }
  return expired;
}

/** Sweeps every `everyMs` until stopped (a sweep in progress is awaited); `alsoEachSweep` runs after each (e.g. stranded texts). */
export function startTaskExpiry(db: Database, log: Logger, everyMs = 60_000, alsoEachSweep?: () => Promise<unknown>): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(() => expireDueTasks(db))
      .catch((error: unknown) => log.error({ err: error }, 'task expiry sweep failed'))
      .then(() => alsoEachSweep?.())
      .catch((error: unknown) => log.error({ err: error }, 'stranded task texts sweep failed'));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
