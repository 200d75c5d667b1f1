import { isIPv6 } from 'node:net';
import type { Queryable } from '../db';
import { ApiError } from '../errors';

/**
 * Fixed-window counters in `login_throttle` (migration 0030), shared by every per-key limit: failed
 * sign-ins (per account and address), Write with AI drafts (per practice), tracked-link clicks (per
 * address), rotating the inbound email secret (per practice). Each key is prefixed by its limit
 * (`account:`, `address:`, `ai-write:`, `link-click:`, `inbound-email-rotate:`).
 *
 * `takeSlots` counts one attempt on each key in ONE upsert: the statement locks each row until it
 * ends, so of N concurrent callers exactly the first `max` see a count within the limit, whatever
 * their timing, on PostgreSQL and PGlite alike. A window that has ended restarts at 1.
 */
export interface ThrottleCount {
  attempts: number;
  windowStart: string;
}

export async function takeSlots(q: Queryable, keys: readonly string[], windowSeconds: number): Promise<Map<string, ThrottleCount>> {
  const values = keys.map((_, i) => `($${i + 2}, now(), 1)`).join(', ');
  const rows = await q.query<{ key: string; attempts: number; window_start: string }>(
    `INSERT INTO login_throttle AS t (key, window_start, attempts) VALUES ${values}
     ON CONFLICT (key) DO UPDATE SET
       window_start = CASE WHEN t.window_start <= now() - make_interval(secs => $1) THEN now() ELSE t.window_start END,
       attempts = CASE WHEN t.window_start <= now() - make_interval(secs => $1) THEN 1 ELSE t.attempts + 1 END
     RETURNING key, attempts, window_start`,
    [windowSeconds, ...keys],
  );
  return new Map(rows.map((r) => [r.key, { attempts: r.attempts, windowStart: r.window_start }]));
}

/**
 * One slot of a single-key limit (AI drafts, secret rotations): over `max` in the window, RATE_LIMITED
 * with Retry-After, `refusal` saying why in words (given the minutes left).
 */
export async function takeSlot(q: Queryable, limit: { key: string; max: number; windowSeconds: number; refusal: (minutesLeft: number) => string }): Promise<void> {
  const count = (await takeSlots(q, [limit.key], limit.windowSeconds)).get(limit.key);
  if (!count || count.attempts <= limit.max) return;
  const retryAfter = retryAfterSeconds(count, limit.windowSeconds);
  throw new ApiError('RATE_LIMITED', limit.refusal(Math.ceil(retryAfter / 60)), { retryAfterSeconds: retryAfter });
}

/** Whole seconds (at least 1) until the counter's window ends: the Retry-After of a refusal. */
export function retryAfterSeconds(count: ThrottleCount, windowSeconds: number, now = Date.now()): number {
  const retryAt = Date.parse(count.windowStart) + windowSeconds * 1000;
  return Math.max(1, Math.ceil((retryAt - now) / 1000));
}

/**
 * The client an address limit counts: an IPv4 address as it is; an IPv6 address by its /64, the
 * block one subscriber is normally given (so rotating through it does not reset the limit).
 */
export function clientKey(ip: string): string {
  const v4Mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4Mapped) return v4Mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * Deletes counters whose window ended more than `olderThanSeconds` ago (the longest window any
 * limit uses): such a row counts exactly like a missing one, so the table holds only live windows
 * however many addresses have come by.
 */
export async function pruneThrottle(q: Queryable, olderThanSeconds: number): Promise<number> {
  const rows = await q.query(`DELETE FROM login_throttle WHERE window_start <= now() - make_interval(secs => $1) RETURNING 1`, [olderThanSeconds]);
  return rows.length;
}
