import type { Queryable } from '../db/database';
import { ApiError } from '../errors';

/**
 * A fixed-window limit on something a practice may do only so often (AI drafts, rotating a
 * secret). Shares `login_throttle` with sign-ins, each use under its own key prefix. The slot is
 * taken in ONE upsert (the row is locked for that statement only), so N concurrent requests can
 * never pass the limit whatever their timing. Over the limit: RATE_LIMITED with Retry-After, and
 * `refusal` says why in words (given the minutes left).
 */
export async function takeSlot(q: Queryable, limit: { key: string; max: number; windowSeconds: number; refusal: (minutesLeft: number) => string }): Promise<void> {
  const [row] = await q.query<{ attempts: number; window_start: string }>(
    `INSERT INTO login_throttle AS t (key, window_start, attempts) VALUES ($1, now(), 1)
     ON CONFLICT (key) DO UPDATE SET
       window_start = CASE WHEN t.window_start <= now() - make_interval(secs => $2) THEN now() ELSE t.window_start END,
       attempts = CASE WHEN t.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE t.attempts + 1 END
     RETURNING attempts, window_start`,
    [limit.key, limit.windowSeconds],
  );
  if (row && row.attempts > limit.max) {
    const retryAt = Date.parse(row.window_start) + limit.windowSeconds * 1000;
    const retryAfterSeconds = Math.max(1, Math.ceil((retryAt - Date.now()) / 1000));
    throw new ApiError('RATE_LIMITED', limit.refusal(Math.ceil(retryAfterSeconds / 60)), { retryAfterSeconds });
  }
}
