import type { Logger } from 'pino';
import { deleteInBatches, type Database } from '../../db';
import type { Clock } from '../actions/types';

const BATCH = 5000;
const DEFAULT_RETENTION_DAYS = 365;

/**
 * Purges what is older than each account's log retention (Settings: default one year): finished
 * runs with their execution log, ledger and metrics; dispatched domain events; consumed or
 * orphaned signals. In batches, so a large purge never holds long locks. Daily (pg-boss cron).
 */
export async function purgeExpired(db: Database, clock: Clock, log: Logger): Promise<{ runs: number; events: number; signals: number }> {
  const accounts = await db.query<{ id: string; days: number | null }>(
    `SELECT a.id, s.log_retention_days AS days FROM accounts a LEFT JOIN automation_settings s ON s.account_id = a.id`,
  );
  const totals = { runs: 0, events: 0, signals: 0 };
  for (const account of accounts) {
    const cutoff = new Date(clock.now() - (account.days ?? DEFAULT_RETENTION_DAYS) * 86_400_000).toISOString();
    totals.runs += await deleteInBatches(db, BATCH, `DELETE FROM workflow_runs WHERE id IN (
        SELECT id FROM workflow_runs WHERE account_id = $1 AND finished_at < $2 LIMIT ${BATCH})`, [account.id, cutoff]);
    totals.events += await deleteInBatches(db, BATCH, `DELETE FROM domain_events WHERE id IN (
        SELECT id FROM domain_events WHERE account_id = $1 AND dispatched_at < $2 LIMIT ${BATCH})`, [account.id, cutoff]);
    totals.signals += await deleteInBatches(db, BATCH, `DELETE FROM step_signals WHERE id IN (
        SELECT id FROM step_signals WHERE account_id = $1 AND created_at < $2 LIMIT ${BATCH})`, [account.id, cutoff]);
  }
  if (totals.runs + totals.events + totals.signals > 0) log.info(totals, 'automation log purged past retention');
  return totals;
}
