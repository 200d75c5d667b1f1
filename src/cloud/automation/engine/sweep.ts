import type { Logger } from 'pino';
import type { PgBoss } from 'pg-boss';
import type { Database } from '../../db';
import type { Clock } from '../actions/types';
import { sendStepJob } from './jobs';

/** A step this overdue has lost its job (pg-boss gave up on a worker killed again and again, or a job was deleted). */
const STALE_MS = 2 * 60_000;
/** Re-deliver the same step at most this often. */
const RENUDGE_MS = 10 * 60_000;
const LIMIT = 1000;

/**
 * The backstop that keeps any run from getting stuck: steps pending or running past their lease,
 * and waits past their deadline, get a fresh job. A step whose job was only late runs once anyway —
 * the claim takes it once, the ledger performs each effect once. Runs every minute (pg-boss cron).
 */
export async function sweepLostSteps(db: Database, boss: PgBoss, clock: Clock, log: Logger): Promise<number> {
  const now = clock.now();
  const stale = new Date(now - STALE_MS).toISOString();
  const renudge = new Date(now - RENUDGE_MS).toISOString();
  const count = await db.transaction(async (tx) => {
    const rows = await tx.query<{ run_id: string; step_key: string }>(
      `UPDATE run_steps SET nudged_at = $3 WHERE (run_id, step_key) IN (
         SELECT run_id, step_key FROM run_steps
          WHERE ((status = 'pending' AND created_at < $1) OR (status = 'running' AND lease_until < $1) OR (status = 'waiting' AND wait_until < $1))
            AND (nudged_at IS NULL OR nudged_at < $2)
          LIMIT ${LIMIT} FOR UPDATE SKIP LOCKED)
       RETURNING run_id, step_key`,
      [stale, renudge, new Date(now).toISOString()],
    );
    for (const row of rows) await sendStepJob(boss, tx, { runId: row.run_id, stepKey: row.step_key }, now);
    return rows.length;
  });
  if (count > 0) log.warn({ count }, 'workflow steps re-delivered by the sweep (their jobs were lost or late)');
  return count;
}
