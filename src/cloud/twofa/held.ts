import { TWO_FACTOR_RULES as RULES, maskPhone } from '../../shared/cloud/twofa';
import type { Principal } from '../context';
import type { Database, Queryable } from '../db';
import { write, type UnitOfWork } from '../db/unit-of-work';
import { forbidden, notFound } from '../errors';
import { newId } from '../ids';
import { createNotification } from '../notifications/service';
import type { KeyRing } from '../keys/key-ring';
import type { ChallengeRow } from './challenges';
import { deliverAll, type DeliverDeps } from './deliver';
import type { Delivery } from './messages';
import { applyPhoneChange } from './phone-change';
import type { Senders } from './policy';
import { loadChannelState, loadProfile, type ProfileRow } from './profile-store';

/**
 * The cooling-off period (issue [security] #2). A phone change approved while the user's
 * authenticator app is younger than `coolingOffHours` is held until the app is that old: a session
 * thief who sets up an app of their own cannot move the phone number at once. While it waits the
 * addresses on file hear about it (email on file, the current phone by SMS if verified, an in-app
 * notification to the user and to every admin of the account), and the user or an admin can cancel
 * it. It is applied by a sweep every minute and whenever the user's 2FA status is read.
 */

const HOUR = 60 * 60 * 1000;
const iso = (ms: number): string => new Date(ms).toISOString();

export interface HeldView {
  id: string;
  newPhone: string;
  appliesAt: string;
}

type HeldRow = { id: string; account_id: string; user_id: string; actor_user_id: string; challenge_id: string; new_phone: string; applies_at: string };

/** When a phone change approved now must wait until, or null when it may apply at once. */
export async function coolingOffEnds(q: Queryable, userId: string, now: number): Promise<number | null> {
  const rows = await q.query<{ enabled_at: string | null }>(`SELECT enabled_at FROM user_totp WHERE user_id = $1 AND secret_sealed IS NOT NULL`, [userId]);
  const enabledAt = rows[0]?.enabled_at ? Date.parse(rows[0].enabled_at) : null;
  if (enabledAt === null) return null;
  const ends = enabledAt + RULES.coolingOffHours * HOUR;
  return ends > now ? ends : null;
}

export async function openHold(q: Queryable, userId: string): Promise<HeldView | null> {
  const rows = await q.query<HeldRow>(`SELECT * FROM held_phone_changes WHERE user_id = $1 AND closed_at IS NULL`, [userId]);
  const row = rows[0];
  return row ? { id: row.id, newPhone: row.new_phone, appliesAt: iso(Date.parse(row.applies_at)) } : null;
}

/** Holds a verified phone change until `appliesAt`; returns the notices to send after commit. */
export async function holdPhoneChange(
  uow: UnitOfWork,
  principal: Principal,
  profile: ProfileRow,
  challenge: ChallengeRow,
  appliesAt: number,
  senders: Senders,
  now: number,
): Promise<{ held: HeldView; notices: Delivery[] }> {
  await uow.q.query(`UPDATE held_phone_changes SET closed_at = $2, closed_reason = 'superseded' WHERE user_id = $1 AND closed_at IS NULL`, [profile.id, iso(now)]);
  const id = newId('hpc');
  const newPhone = challenge.new_phone!;
  await uow.q.query(
    `INSERT INTO held_phone_changes (id, account_id, user_id, actor_user_id, challenge_id, new_phone, held_at, applies_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [id, principal.accountId, profile.id, principal.userId, challenge.id, newPhone, iso(now), iso(appliesAt)],
  );
  await uow.audit(principal.userId, 'twofa.phone_change_held', 'user', profile.id, { heldId: id, challengeId: challenge.id, to: maskPhone(newPhone), appliesAt: iso(appliesAt) });
  const when = iso(appliesAt).slice(0, 16).replace('T', ' ');
  const text =
    `A change of the phone number on your Aesthetix profile to ${maskPhone(newPhone)} was requested with an authenticator app set up less than ${RULES.coolingOffHours} hours ago. ` +
    `It takes effect on ${when} UTC unless it is cancelled. If this was not you, change your password, cancel it under My profile, or ask your account admin now.`;
  const notices: Delivery[] = [];
  // The email on file is the sign-in address: told even when not verified (it may be the only way to reach the owner).
  if (senders.email) notices.push({ channel: 'email', to: profile.email, subject: 'A phone number change on your Aesthetix profile is waiting', body: text, kind: 'change_notice', challengeId: challenge.id });
  const state = await uow.q.query<{ address: string }>(`SELECT address FROM user_verified_channels WHERE user_id = $1 AND kind = 'sms'`, [profile.id]);
  if (senders.sms && profile.phone && state[0]?.address === profile.phone) {
    notices.push({ channel: 'sms', to: profile.phone, subject: '', body: `Aesthetix: ${text}`, kind: 'change_notice', challengeId: challenge.id });
  }
  await createNotification(uow, { userId: profile.id, title: 'Phone number change waiting', message: text, redirect: 'profile', dedupeKey: `phone-held:${id}` });
  const admins = await uow.q.query<{ id: string }>(`SELECT id FROM users WHERE account_id = $1 AND role = 'admin' AND deleted_at IS NULL AND id <> $2`, [principal.accountId, profile.id]);
  for (const admin of admins) {
    await createNotification(uow, {
      userId: admin.id,
      title: `Phone change waiting for ${profile.name}`,
      message: `${profile.name}'s phone number is set to change to ${maskPhone(newPhone)} on ${when} UTC (approved with an authenticator app set up less than ${RULES.coolingOffHours} hours ago). Cancel it from their profile if they did not ask for it.`,
      redirect: 'profile',
      dedupeKey: `phone-held:${id}`,
    });
  }
  return { held: { id, newPhone, appliesAt: iso(appliesAt) }, notices };
}

/** Cancels a held change: its owner, or an admin of the account. */
export async function cancelHeld(db: Database, principal: Principal, heldId: string, now: number): Promise<{ cancelled: boolean }> {
  return write(db, principal.accountId, async (uow) => {
    const rows = await uow.q.query<HeldRow & { closed_at: string | null }>(`SELECT * FROM held_phone_changes WHERE id = $1 AND account_id = $2`, [heldId, principal.accountId]);
    const row = rows[0];
    if (!row) throw notFound('Held phone change');
    if (row.user_id !== principal.userId && principal.role !== 'admin') throw forbidden("Only account admins can cancel a team member's phone change");
    await loadProfile(uow.q, principal.accountId, row.user_id, true);
    const closed = await uow.q.query(
      `UPDATE held_phone_changes SET closed_at = $2, closed_reason = 'cancelled', closed_by = $3 WHERE id = $1 AND closed_at IS NULL RETURNING id`,
      [heldId, iso(now), principal.userId],
    );
    if (closed.length === 0) return { cancelled: false };
    await uow.audit(principal.userId, 'twofa.held_phone_change_cancelled', 'user', row.user_id, { heldId });
    return { cancelled: true };
  });
}

export interface ApplyDeps extends DeliverDeps {
  keys: KeyRing;
  senders: Senders;
}

/**
 * Applies every held change that is due (of one user, or all): each in its own transaction under
 * the user's row lock, re-checked there, so two sweeps (two instances) apply it once.
 */
export async function applyDueHolds(deps: ApplyDeps, userId?: string): Promise<number> {
  const now = deps.now();
  const due = await deps.db.query<HeldRow>(
    `SELECT * FROM held_phone_changes WHERE closed_at IS NULL AND applies_at <= $1 AND ($2::text IS NULL OR user_id = $2) ORDER BY applies_at LIMIT 100`,
    [iso(now), userId ?? null],
  );
  let applied = 0;
  for (const hold of due) {
    const actor: Principal = { userId: hold.actor_user_id, accountId: hold.account_id, role: 'user', sessionId: 'held-change' };
    const notices = await write(deps.db, hold.account_id, async (uow): Promise<Delivery[] | null> => {
      const profile = await loadProfile(uow.q, hold.account_id, hold.user_id, true);
      const closed = await uow.q.query(`UPDATE held_phone_changes SET closed_at = $2, closed_reason = 'applied' WHERE id = $1 AND closed_at IS NULL RETURNING id`, [hold.id, iso(now)]);
      if (closed.length === 0) return null;
      if (profile.phone === hold.new_phone) return [];
      const challenge = (await uow.q.query<ChallengeRow>(`SELECT * FROM two_factor_challenges WHERE id = $1`, [hold.challenge_id]))[0]!;
      const before = await loadChannelState(uow.q, profile, deps.keys);
      const notices = await applyPhoneChange(uow, actor, profile, before, { ...challenge, new_phone: hold.new_phone }, deps.senders, now);
      await uow.audit(null, 'twofa.held_phone_change_applied', 'user', profile.id, { heldId: hold.id });
      return notices;
    });
    if (notices === null) continue;
    applied++;
    await deliverAll(deps, actor, notices);
  }
  return applied;
}
