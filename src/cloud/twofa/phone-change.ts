import { maskPhone } from '../../shared/cloud/twofa';
import type { Principal } from '../context';
import type { UnitOfWork } from '../db/unit-of-work';
import { createNotification } from '../notifications/service';
import { supersedeOpen, type ChallengeRow } from './challenges';
import { phoneChangedText, type Delivery } from './messages';
import type { Senders } from './policy';
import { nameOf, type ChannelState, type ProfileRow } from './profile-store';

/**
 * Applies a verified phone change: the new number goes on the profile unverified (the old
 * number's verification goes with it), every open challenge of the user closes, the change is
 * audited, the owner gets an in-app notification, and the channels verified BEFORE the change get
 * a notice (returned, to send after commit) — never the new number.
 */
export async function applyPhoneChange(
  uow: UnitOfWork,
  principal: Principal,
  profile: ProfileRow,
  before: ChannelState,
  challenge: ChallengeRow,
  senders: Senders,
  now: number,
): Promise<Delivery[]> {
  const oldPhone = profile.phone;
  const newPhone = challenge.new_phone!;
  await uow.q.query(`UPDATE users SET phone = $2, updated_at = $3 WHERE id = $1`, [profile.id, newPhone, new Date(now).toISOString()]);
  uow.touch('users', profile.id);
  await uow.q.query(`DELETE FROM user_verified_channels WHERE user_id = $1 AND kind = 'sms'`, [profile.id]);
  await supersedeOpen(uow.q, profile.id, null, now);
  // A change that applies (approved after the cooling-off period) replaces one still waiting.
  await uow.q.query(`UPDATE held_phone_changes SET closed_at = $2, closed_reason = 'superseded' WHERE user_id = $1 AND closed_at IS NULL`, [profile.id, new Date(now).toISOString()]);
  const by = principal.userId === profile.id ? null : await nameOf(uow.q, principal.userId);
  await uow.audit(principal.userId, 'user.phone_changed', 'user', profile.id, {
    challengeId: challenge.id,
    from: oldPhone ? maskPhone(oldPhone) : null,
    to: maskPhone(newPhone),
    via: challenge.channel,
    ...(by ? { byAdmin: principal.userId } : {}),
  });
  const text = phoneChangedText(oldPhone, newPhone, now, by);
  const notices: Delivery[] = [];
  if (before.emailVerified && senders.email) {
    notices.push({ channel: 'email', to: profile.email, subject: 'Your Aesthetix phone number was changed', body: text, kind: 'change_notice', challengeId: challenge.id });
  }
  if (before.phoneVerified && oldPhone && senders.sms) {
    notices.push({ channel: 'sms', to: oldPhone, subject: '', body: `Aesthetix: ${text}`, kind: 'change_notice', challengeId: challenge.id });
  }
  await createNotification(uow, { userId: profile.id, title: 'Phone number changed', message: text, redirect: 'profile', dedupeKey: `phone-changed:${challenge.id}` });
  return notices;
}
