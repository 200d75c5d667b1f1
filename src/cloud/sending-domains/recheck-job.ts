import type { PgBoss } from 'pg-boss';
import type { CloudContext } from '../context';
import { verifySendingDomain } from './service';

/**
 * The periodic re-check of sending domains, on the automation engine's pg-boss (it runs wherever
 * the workers run; pg-boss runs a cron job once across every process). A verified domain is looked
 * up again every 12 hours — records removed at the DNS provider stop its mail within a day — and a
 * pending or failed one every hour for its first 7 days, so it verifies by itself once its records
 * appear (after that, Verify in Settings). A batch per run keeps DNS traffic small.
 */
export const RECHECK_QUEUE = 'sending-domains.recheck';
export const RECHECK_CRON = '23 * * * *';
const BATCH = 50;

export async function recheckDueDomains(ctx: Pick<CloudContext, 'db' | 'config' | 'log'>): Promise<{ checked: number; failed: number }> {
  const due = await ctx.db.query<{ id: string; account_id: string }>(
    `SELECT id, account_id FROM sending_domains
      WHERE removed_at IS NULL
        AND (status = 'verified' OR created_at > now() - interval '7 days')
        AND (last_checked_at IS NULL OR last_checked_at < now() - CASE WHEN status = 'verified' THEN interval '12 hours' ELSE interval '50 minutes' END)
      ORDER BY last_checked_at NULLS FIRST, id LIMIT $1`,
    [BATCH],
  );
  let failed = 0;
  for (const row of due) {
    try {
      await verifySendingDomain(ctx, row.account_id, row.id, null);
    } catch (error) {
      failed += 1; // removed meanwhile, or the database: tried again next run
      ctx.log.warn({ err: error, sendingDomainId: row.id }, 'could not re-check a sending domain; tried again next run');
    }
  }
  return { checked: due.length - failed, failed };
}

export async function scheduleDomainRecheck(boss: PgBoss, ctx: Pick<CloudContext, 'db' | 'config' | 'log'>): Promise<void> {
  await boss.createQueue(RECHECK_QUEUE, { retryLimit: 1, retryDelay: 300, expireInSeconds: 900, deleteAfterSeconds: 86_400 });
  await boss.work(RECHECK_QUEUE, { pollingIntervalSeconds: 30 }, async () => {
    await recheckDueDomains(ctx);
  });
  await boss.schedule(RECHECK_QUEUE, RECHECK_CRON, null, { key: 'hourly' });
}
