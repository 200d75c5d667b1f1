import type { PgBoss } from 'pg-boss';
import type { CloudContext } from '../context';
import { deleteInBatches } from '../db';

/**
 * Sign-in housekeeping, daily on the automation engine's pg-boss: rows that can never be used again
 * are deleted, so the tables every signed-in request reads stay the size of the live sessions.
 * Without it, every sign-in and every token rotation (a desktop rotates once per access-token
 * lifetime) added a row for good, and a session's pair lookups scan all of that session's tokens.
 * - Refresh tokens a day past their expiry: refused whatever their state. A spent token is kept
 *   until then, because a spent token coming back is reuse and ends its session (sessions.ts).
 * - Sessions with no refresh token left, a day after they began: every token has expired and been
 *   deleted, so nothing can resume them (a signed-out session goes once its last token has
 *   expired). Their realtime tickets go with them. The audit log keeps their history.
 * - Sign-in attempts older than LOGIN_ATTEMPTS_KEPT_DAYS: kept that long for a security review.
 * In batches, so a large first purge never holds long locks.
 */
export const HOUSEKEEPING_QUEUE = 'auth.housekeeping';
export const HOUSEKEEPING_CRON = '17 4 * * *';
export const LOGIN_ATTEMPTS_KEPT_DAYS = 90;
const BATCH = 5000;

export interface HousekeepingResult {
  refreshTokens: number;
  sessions: number;
  loginAttempts: number;
}

export async function purgeDeadSignIns(ctx: Pick<CloudContext, 'db' | 'log'>): Promise<HousekeepingResult> {
  const result: HousekeepingResult = {
    refreshTokens: await deleteInBatches(ctx.db, BATCH, `DELETE FROM refresh_tokens WHERE token_hash IN (
        SELECT token_hash FROM refresh_tokens WHERE expires_at < now() - interval '1 day' LIMIT ${BATCH})`),
    sessions: await deleteInBatches(ctx.db, BATCH, `DELETE FROM sessions WHERE id IN (
        SELECT s.id FROM sessions s
         WHERE s.created_at < now() - interval '1 day'
           AND NOT EXISTS (SELECT 1 FROM refresh_tokens rt WHERE rt.session_id = s.id)
         LIMIT ${BATCH})`),
    loginAttempts: await deleteInBatches(ctx.db, BATCH, `DELETE FROM login_attempts WHERE id IN (
        SELECT id FROM login_attempts WHERE at < now() - make_interval(days => ${LOGIN_ATTEMPTS_KEPT_DAYS}) LIMIT ${BATCH})`),
  };
  if (result.refreshTokens + result.sessions + result.loginAttempts > 0) ctx.log.info(result, 'expired sign-ins purged');
  return result;
}

export async function scheduleSignInHousekeeping(boss: PgBoss, ctx: Pick<CloudContext, 'db' | 'log'>): Promise<void> {
  await boss.createQueue(HOUSEKEEPING_QUEUE, { retryLimit: 2, retryDelay: 600, expireInSeconds: 1800, deleteAfterSeconds: 7 * 86_400 });
  await boss.work(HOUSEKEEPING_QUEUE, { pollingIntervalSeconds: 60 }, async () => {
    await purgeDeadSignIns(ctx);
  });
  await boss.schedule(HOUSEKEEPING_QUEUE, HOUSEKEEPING_CRON, null, { key: 'daily' });
}
