import { TWO_FACTOR_RULES as RULES, type ChallengePurpose } from '../../shared/cloud/twofa';
import type { Queryable } from '../db';

/**
 * The per-user limits: wrong codes in a rolling hour (too many locks verification) and
 * challenges started per purpose in a rolling day. Read and written inside the caller's
 * transaction, which holds the user's row lock, so concurrent requests see each other's counts.
 */

const iso = (ms: number): string => new Date(ms).toISOString();

/** Times of this user's wrong codes still inside the window, oldest first. */
export async function failuresInWindow(q: Queryable, userId: string, now: number): Promise<number[]> {
  const rows = await q.query<{ at: string }>(`SELECT at FROM two_factor_failures WHERE user_id = $1 AND at > $2 AND at <= $3 ORDER BY at`, [
    userId,
    iso(now - RULES.failureWindowSeconds * 1000),
    iso(now),
  ]);
  return rows.map((r) => Date.parse(r.at));
}

/** When verification unlocks, given the failures in the window (oldest first); null when not locked. */
export function lockedUntilFrom(failures: readonly number[]): number | null {
  if (failures.length < RULES.maxFailures) return null;
  // Unlocks when enough of the oldest failures have aged out of the window.
  return failures[failures.length - RULES.maxFailures]! + RULES.failureWindowSeconds * 1000;
}

export async function lockedUntil(q: Queryable, userId: string, now: number): Promise<number | null> {
  return lockedUntilFrom(await failuresInWindow(q, userId, now));
}

/** Records a wrong code (challengeId null: an authenticator confirmation) and returns the failures now in the window. */
export async function recordFailure(q: Queryable, userId: string, challengeId: string | null, now: number): Promise<number[]> {
  await q.query(`INSERT INTO two_factor_failures (user_id, challenge_id, at) VALUES ($1, $2, $3)`, [userId, challengeId, iso(now)]);
  return failuresInWindow(q, userId, now);
}

/** When the lock that `failures` just reached ends (the oldest failure leaves the window). */
export const lockEndsAt = (failures: readonly number[]): number => failures[0]! + RULES.failureWindowSeconds * 1000;

export interface DailyAttempts {
  used: number;
  /** When a slot frees up (the limit is full) or the oldest attempt leaves the window; null when none. */
  resetsAt: number | null;
}

/** Challenges of this purpose started in the rolling day, from their start times (oldest first). */
export function dailyAttemptsFrom(startedAt: readonly number[]): DailyAttempts {
  if (startedAt.length === 0) return { used: 0, resetsAt: null };
  // Rolling day: the limit frees a slot when the attempt that filled it is a day old.
  const pivot = startedAt.length >= RULES.maxAttemptsPerDay ? startedAt[startedAt.length - RULES.maxAttemptsPerDay]! : startedAt[0]!;
  return { used: startedAt.length, resetsAt: pivot + RULES.attemptWindowSeconds * 1000 };
}

export async function attemptsToday(q: Queryable, userId: string, purpose: ChallengePurpose, now: number): Promise<DailyAttempts> {
  const rows = await q.query<{ created_at: string }>(
    `SELECT created_at FROM two_factor_challenges WHERE user_id = $1 AND purpose = $2 AND created_at > $3 AND created_at <= $4 ORDER BY created_at`,
    [userId, purpose, iso(now - RULES.attemptWindowSeconds * 1000), iso(now)],
  );
  return dailyAttemptsFrom(rows.map((r) => Date.parse(r.created_at)));
}
