import { TWO_FACTOR_RULES as RULES, type ChallengePurpose, type ChallengeView, type VerificationChannel } from '../../shared/cloud/twofa';
import type { Principal } from '../context';
import type { Queryable } from '../db';
import { ApiError, notFound } from '../errors';
import { newId } from '../ids';
import { failuresInWindow } from './limits';
import { mask } from './messages';
import { isSentChannel } from './policy';
import { loadProfile } from './profile-store';

/** The challenge store: one row per verification attempt, its code kept only as an HMAC. */

export type ChallengeRow = {
  id: string;
  account_id: string;
  user_id: string;
  actor_user_id: string;
  purpose: ChallengePurpose;
  channel: VerificationChannel;
  destination: string | null;
  new_phone: string | null;
  code_hash: string | null;
  created_at: string;
  expires_at: string;
  last_sent_at: string | null;
  send_count: number;
  closed_at: string | null;
};

export type CloseReason = 'verified' | 'cancelled' | 'superseded' | 'delivery_failed' | 'locked';

const iso = (ms: number): string => new Date(ms).toISOString();

export interface NewChallenge {
  accountId: string;
  userId: string;
  actorUserId: string;
  purpose: ChallengePurpose;
  channel: VerificationChannel;
  destination: string | null;
  newPhone: string | null;
  /** The code's HMAC (sent channels); null for the authenticator and backup codes. */
  codeHash: string | null;
}

/** A new id for a challenge (the code hash is salted with it, so it is chosen before insert). */
export const newChallengeId = (): string => newId('tfc');

/** Closes the user's open challenges of a purpose (a new attempt replaces them). */
export async function supersedeOpen(q: Queryable, userId: string, purpose: ChallengePurpose | null, now: number): Promise<void> {
  await q.query(
    `UPDATE two_factor_challenges SET closed_at = $3, closed_reason = 'superseded' WHERE user_id = $1 AND ($2::text IS NULL OR purpose = $2) AND closed_at IS NULL`,
    [userId, purpose, iso(now)],
  );
}

export async function insertChallenge(q: Queryable, id: string, c: NewChallenge, now: number): Promise<void> {
  const sends = isSentChannel(c.channel);
  await q.query(
    `INSERT INTO two_factor_challenges (id, account_id, user_id, actor_user_id, purpose, channel, destination, new_phone, code_hash, created_at, expires_at, last_sent_at, send_count)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [id, c.accountId, c.userId, c.actorUserId, c.purpose, c.channel, c.destination, c.newPhone, c.codeHash, iso(now),
      iso(now + RULES.codeTtlSeconds * 1000), sends ? iso(now) : null, sends ? 1 : 0],
  );
}

/** A resent code replaces the old one (single use) and restarts the 10 minutes. */
export async function replaceCode(q: Queryable, id: string, codeHash: string, now: number): Promise<void> {
  await q.query(
    `UPDATE two_factor_challenges SET code_hash = $2, expires_at = $3, last_sent_at = $4, send_count = send_count + 1 WHERE id = $1`,
    [id, codeHash, iso(now + RULES.codeTtlSeconds * 1000), iso(now)],
  );
}

/** Closes an open challenge; false when it was already closed (single use under concurrency). */
export async function closeChallenge(q: Queryable, id: string, reason: CloseReason, now: number): Promise<boolean> {
  const rows = await q.query(`UPDATE two_factor_challenges SET closed_at = $2, closed_reason = $3 WHERE id = $1 AND closed_at IS NULL RETURNING id`, [id, iso(now), reason]);
  return rows.length > 0;
}

/**
 * The challenge, if the principal started it (only the requester may resend or verify). With
 * `lockUser`, the protected user's row lock is taken and the challenge re-read under it.
 */
export async function ownChallenge(q: Queryable, principal: Principal, id: string, lockUser: boolean): Promise<ChallengeRow> {
  const rows = await q.query<ChallengeRow>(`SELECT * FROM two_factor_challenges WHERE id = $1 AND account_id = $2 AND actor_user_id = $3`, [
    id,
    principal.accountId,
    principal.userId,
  ]);
  const challenge = rows[0];
  if (!challenge) throw notFound('Verification');
  if (lockUser) {
    await loadProfile(q, principal.accountId, challenge.user_id, true);
    // Re-read under the lock: another request may have closed it meanwhile.
    return (await q.query<ChallengeRow>(`SELECT * FROM two_factor_challenges WHERE id = $1`, [id]))[0]!;
  }
  return challenge;
}

/** What the client sees of a challenge (destination masked, never the code). */
export async function challengeView(q: Queryable, id: string, now: number): Promise<ChallengeView> {
  const c = (await q.query<ChallengeRow>(`SELECT * FROM two_factor_challenges WHERE id = $1`, [id]))[0];
  if (!c) throw new ApiError('INTERNAL', 'challenge vanished');
  const failures = await failuresInWindow(q, c.user_id, now);
  const sends = isSentChannel(c.channel);
  return {
    id: c.id,
    purpose: c.purpose,
    channel: c.channel,
    targetUserId: c.user_id,
    destination: mask(c.channel, c.destination),
    newPhone: c.new_phone,
    expiresAt: iso(Date.parse(c.expires_at)),
    resendAvailableAt: sends && c.last_sent_at ? iso(Date.parse(c.last_sent_at) + RULES.resendAfterSeconds * 1000) : null,
    sendsLeft: sends ? Math.max(0, RULES.maxSendsPerChallenge - c.send_count) : 0,
    failuresLeft: Math.max(0, RULES.maxFailures - failures.length),
  };
}
