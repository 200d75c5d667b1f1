import type { CloudContext } from '../context';
import { ApiError } from '../errors';

/**
 * Failed sign-ins, limited per account (the email, known or not) and per client address (at 4×
 * the limit). An attempt takes its slot in ONE statement before the password is checked: the
 * upsert locks each throttle row for that statement only, so of N concurrent guesses at most the
 * limit get their password checked, whatever their timing. A successful sign-in gives its slots
 * back (the account's counter restarts; the address keeps its failures).
 */
const accountKey = (email: string): string => `account:${email}`;
const addressKey = (ip: string): string => `address:${ip}`;

export interface LoginSlot {
  /** The password was right: clear the account's failures and return the address's slot. */
  succeeded(): Promise<void>;
}

export async function reserveLoginAttempt(ctx: CloudContext, email: string, ip: string): Promise<LoginSlot> {
  const windowSeconds = ctx.config.loginWindowSeconds;
  const max = ctx.config.loginMaxFailures;
  const rows = await ctx.db.query<{ key: string; attempts: number; window_start: string }>(
    `INSERT INTO login_throttle AS t (key, window_start, attempts) VALUES ($1, now(), 1), ($2, now(), 1)
     ON CONFLICT (key) DO UPDATE SET
       window_start = CASE WHEN t.window_start <= now() - make_interval(secs => $3) THEN now() ELSE t.window_start END,
       attempts = CASE WHEN t.window_start <= now() - make_interval(secs => $3) THEN 1 ELSE t.attempts + 1 END
     RETURNING key, attempts, window_start`,
    [accountKey(email), addressKey(ip), windowSeconds],
  );
  const account = rows.find((r) => r.key === accountKey(email));
  const address = rows.find((r) => r.key === addressKey(ip));
  const over = account && account.attempts > max ? account : address && address.attempts > max * 4 ? address : undefined;
  if (over) {
    const retryAt = Date.parse(over.window_start) + windowSeconds * 1000;
    const retryAfterSeconds = Math.max(1, Math.ceil((retryAt - Date.now()) / 1000));
    throw new ApiError('RATE_LIMITED', 'Too many failed sign-in attempts. Try again later.', { retryAfterSeconds });
  }
  return {
    async succeeded() {
      await ctx.db.query(
        `WITH cleared AS (DELETE FROM login_throttle WHERE key = $1)
         UPDATE login_throttle SET attempts = greatest(attempts - 1, 0) WHERE key = $2`,
        [accountKey(email), addressKey(ip)],
      );
    },
  };
}
