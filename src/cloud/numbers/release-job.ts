import type { PgBoss } from 'pg-boss';
import { write } from '../db/unit-of-work';
import type { NumbersDeps } from './deps';
import { HOLD_DAYS } from './lifecycle-rules';
import { markReleased, releaseAtTwilio } from './lifecycle';
import { claimNumber } from './operations';

/**
 * The automatic release (seed 001: "after 10 days it may be permanently released"): every held
 * number whose 10 days have passed is given back to Twilio and marked released, audited with no
 * actor. Safe to run anywhere and often: each number is claimed before Twilio is called, so two
 * instances (or an admin restoring at the last second) never act on the same number; a failed
 * release is left held and tried again next run.
 */
export async function releaseDueNumbers(deps: NumbersDeps, options: { batch?: number } = {}): Promise<{ released: string[]; failed: string[] }> {
  const { db, log } = deps.ctx;
  const due = await db.query<{ id: string; account_id: string }>(
    `SELECT id, account_id FROM phone_numbers
      WHERE status = 'held' AND release_due_at <= now() AND (operation IS NULL OR operation_at < now() - interval '5 minutes')
      ORDER BY release_due_at LIMIT $1`,
    [options.batch ?? 100],
  );
  const released: string[] = [];
  const failed: string[] = [];
  for (const { id, account_id: accountId } of due) {
    const row = await claimNumber(db, accountId, id, 'releasing', ['held'], 'release_due_at <= now()');
    if (!row) continue; // restored or released meanwhile
    try {
      await releaseAtTwilio(deps, row, id);
    } catch (error) {
      log.warn({ err: error, numberId: id }, 'automatic release failed; the number stays held and is tried again next run');
      failed.push(id);
      continue;
    }
    await write(db, accountId, async (uow) => {
      await markReleased(uow, id, null, false);
      await uow.audit(null, 'phone_number.auto_release', 'phone_number', id, { phoneNumber: row.number, heldDays: HOLD_DAYS, deletedDueAt: row.release_due_at });
    });
    released.push(id);
  }
  if (released.length > 0) log.info({ released: released.length }, 'released held numbers whose 10 days had passed');
  return { released, failed };
}

/** pg-boss queue of the automatic release; the automation engine's pg-boss runs it (`npm run cloud` and `npm run cloud:worker`). */
export const RELEASE_QUEUE = 'numbers.release-due';
/** Hourly, at minute 7: a number is released at most an hour after its 10 days end (a restore is refused from the due time on). */
export const RELEASE_CRON = '7 * * * *';

/**
 * Registers the automatic release on the cloud's pg-boss: the queue, its worker and its hourly
 * schedule (pg-boss runs a cron job once across every process sharing the database).
 */
export async function scheduleNumberRelease(boss: PgBoss, deps: NumbersDeps): Promise<void> {
  await boss.createQueue(RELEASE_QUEUE, { retryLimit: 2, retryDelay: 60, expireInSeconds: 900, deleteAfterSeconds: 86_400 });
  await boss.work(RELEASE_QUEUE, { pollingIntervalSeconds: 30 }, async () => {
    const { failed } = await releaseDueNumbers(deps);
    // Failures stay held and are tried at the next run; nothing to retry now.
    if (failed.length > 0) deps.ctx.log.warn({ failed: failed.length }, 'some held numbers could not be released this run');
  });
  await boss.schedule(RELEASE_QUEUE, RELEASE_CRON, null, { key: 'hourly' });
}
