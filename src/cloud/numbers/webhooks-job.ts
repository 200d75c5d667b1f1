import type { PgBoss } from 'pg-boss';
import { write } from '../db/unit-of-work';
import type { NumbersDeps } from './deps';

/**
 * Points every active number at the cloud's current webhooks at Twilio: the ones bought before a
 * webhook was added (the voice fallback URL) or before the public URL moved. A number stores the
 * set it was pointed at (`webhooks_set`); purchase and restore store today's, so this only touches
 * the numbers behind. Idempotent (the same update twice changes nothing at Twilio), so two
 * instances running it at once do no harm; a number mid-operation (delete, restore) is left to
 * that operation; a failure is logged and tried again next run.
 */
export async function pointNumbersAtCloud(deps: NumbersDeps, options: { batch?: number } = {}): Promise<{ pointed: string[]; failed: string[] }> {
  const { db, log } = deps.ctx;
  const set = deps.webhooksSet();
  const behind = await db.query<{ id: string; account_id: string; twilio_sid: string; number: string }>(
    `SELECT id, account_id, twilio_sid, number FROM phone_numbers
      WHERE status = 'active' AND deleted_at IS NULL AND twilio_sid IS NOT NULL AND operation IS NULL AND webhooks_set IS DISTINCT FROM $1
      ORDER BY id LIMIT $2`,
    [set, options.batch ?? 100],
  );
  const pointed: string[] = [];
  const failed: string[] = [];
  for (const row of behind) {
    try {
      await deps.provider().update(row.twilio_sid, deps.webhooks());
    } catch (error) {
      log.warn({ err: error, numberId: row.id }, 'could not point a number at the current webhooks; tried again next run');
      failed.push(row.id);
      continue;
    }
    await write(db, row.account_id, async (uow) => {
      // Only if it is still the same number at Twilio (a restore may have bought it back meanwhile).
      const updated = await uow.q.query(`UPDATE phone_numbers SET webhooks_set = $2 WHERE id = $1 AND twilio_sid = $3 RETURNING id`, [row.id, set, row.twilio_sid]);
      if (updated.length > 0) await uow.audit(null, 'phone_number.webhooks_pointed', 'phone_number', row.id, { phoneNumber: row.number, webhooksSet: set });
    });
    pointed.push(row.id);
  }
  if (pointed.length > 0) log.info({ pointed: pointed.length }, 'pointed numbers at the current webhooks');
  return { pointed, failed };
}

/** pg-boss queue of the job above; the automation engine's pg-boss runs it. */
export const POINT_WEBHOOKS_QUEUE = 'numbers.point-webhooks';
/** Hourly at minute 37, and once at start (a deploy that changed the set points the numbers within minutes). */
export const POINT_WEBHOOKS_CRON = '37 * * * *';

export async function scheduleNumberWebhooks(boss: PgBoss, deps: NumbersDeps): Promise<void> {
  await boss.createQueue(POINT_WEBHOOKS_QUEUE, { retryLimit: 2, retryDelay: 60, expireInSeconds: 900, deleteAfterSeconds: 86_400 });
  await boss.work(POINT_WEBHOOKS_QUEUE, { pollingIntervalSeconds: 30 }, async () => {
    // A batch per run: thousands of numbers behind are pointed over the next runs, not in one burst at Twilio.
    const { failed } = await pointNumbersAtCloud(deps);
    if (failed.length > 0) deps.ctx.log.warn({ failed: failed.length }, 'some numbers still point at older webhooks');
  });
  await boss.schedule(POINT_WEBHOOKS_QUEUE, POINT_WEBHOOKS_CRON, null, { key: 'hourly' });
  await boss.send(POINT_WEBHOOKS_QUEUE, null);
}
