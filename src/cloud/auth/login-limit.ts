import type { CloudContext } from '../context';
import { ApiError } from '../errors';
import { retryAfterSeconds, takeSlots } from '../http/throttle';

/**
 * Failed sign-ins, limited per account (the email, known or not) and per client address (at 4×
 * the limit). An attempt takes its slots in ONE statement before the password is checked
 * (http/throttle.ts), so of N concurrent guesses at most the limit get their password checked,
 * whatever their timing. A successful sign-in gives its slots back (the account's counter
 * restarts; the address keeps its failures).
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
  const counts = await takeSlots(ctx.db, [accountKey(email), addressKey(ip)], windowSeconds);
  const account = counts.get(accountKey(email));
  const address = counts.get(addressKey(ip));
  const over = account && account.attempts > max ? account : address && address.attempts > max * 4 ? address : undefined;
  if (over) throw new ApiError('RATE_LIMITED', 'Too many failed sign-in attempts. Try again later.', { retryAfterSeconds: retryAfterSeconds(over, windowSeconds) });
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
