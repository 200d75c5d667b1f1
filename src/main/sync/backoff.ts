/**
 * Exponential backoff with jitter: attempt 0 waits ~base, each further attempt doubles up to max,
 * and the wait is spread over [50 %, 150 %) so a practice's phones don't all retry in step after
 * an outage.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, baseMs = 1_000, maxMs = 60_000): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(exponential * (0.5 + random()));
}
