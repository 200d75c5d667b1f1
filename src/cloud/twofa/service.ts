import {
  TWO_FACTOR_RULES as RULES,
  maskEmail,
  maskPhone,
  type Refusal,
  type RefusalReason,
  type StartChallengeRequest,
  type StartResult,
  type TotpBeginResult,
  type TotpConfirmResult,
  type VerificationStatus,
  type VerifyResult,
} from '../../shared/cloud/twofa';
import type { Principal } from '../context';
import type { Queryable } from '../db';
import { write } from '../db/unit-of-work';
import { verifyPassword } from '../auth/passwords';
import { forbidden } from '../errors';
import { createPendingTotp, enableTotp } from './authenticator';
import { challengeView, closeChallenge, insertChallenge, newChallengeId, ownChallenge, replaceCode, supersedeOpen } from './challenges';
import { checkCode } from './code-check';
import { generateCode } from './codes';
import { deliverAll, type DeliverDeps } from './deliver';
import { applyDueHolds, cancelHeld, coolingOffEnds, holdPhoneChange, openHold, type HeldView } from './held';
import type { KeyRing } from '../keys/key-ring';
import { codeHash } from './keys';
import { attemptsToday, lockEndsAt, lockedUntil, recordFailure } from './limits';
import { codeMessage, mask, type Delivery } from './messages';
import { applyPhoneChange } from './phone-change';
import { chooseChannel, isSentChannel, offeredChannels, type Senders } from './policy';
import { loadChannelState, loadProfile, markVerified, type ProfileRow } from './profile-store';
import { textPolicyRefusal } from './text-policy';
import { matchTotpStep } from './totp';

export interface TwoFactorDeps extends DeliverDeps {
  keys: KeyRing;
}

const refuse = (reason: RefusalReason, message: string, retryAt?: number): Refusal => ({
  status: 'refused',
  reason,
  message,
  ...(retryAt !== undefined ? { retryAt: new Date(retryAt).toISOString() } : {}),
});
const TOO_MANY = 'Too many wrong codes. Try again later, or use a backup code or ask an admin.';

/**
 * The two-factor-protected profile changes: the operations the routes call. The rules live in
 * named modules beside this one — which channel may carry a code (`policy.ts`, pure), the
 * per-user limits (`limits.ts`), the challenge store (`challenges.ts`), the words sent
 * (`messages.ts`), checking a code (`code-check.ts`), the phone change itself (`phone-change.ts`)
 * and authenticator enrolment (`authenticator.ts`).
 *
 * Each operation runs in one transaction holding the target user's row lock, so concurrent
 * requests for the same user are serialised (two verifications of one code: exactly one wins).
 * Codes and notices are delivered after commit (`deliver.ts`).
 */
export class TwoFactorService {
  constructor(private readonly deps: TwoFactorDeps) {}

  private get senders(): Senders {
    return { email: this.deps.email !== null, sms: this.deps.sms !== null };
  }

  async status(principal: Principal, targetUserId?: string): Promise<VerificationStatus> {
    const targetId = authorizeTarget(principal, targetUserId);
    await loadProfile(this.deps.db, principal.accountId, targetId, false);
    // A held change that is due applies before anyone looks (the sweep may not have run yet).
    await this.applyDue(targetId);
    const profile = await loadProfile(this.deps.db, principal.accountId, targetId, false);
    return this.statusOf(this.deps.db, profile, this.deps.now());
  }

  async start(principal: Principal, request: StartChallengeRequest): Promise<StartResult> {
    const now = this.deps.now();
    const targetId = authorizeTarget(principal, request.purpose === 'phone_change' ? request.targetUserId : undefined);
    const deliveries: Delivery[] = [];
    const result = await write(this.deps.db, principal.accountId, async (uow): Promise<StartResult> => {
      const profile = await loadProfile(uow.q, principal.accountId, targetId, true);
      const state = await loadChannelState(uow.q, profile, this.deps.keys);
      const refused = async (refusal: Refusal, detail: Record<string, unknown> = {}): Promise<Refusal> => {
        await uow.audit(principal.userId, 'twofa.start_refused', 'user', profile.id, { purpose: request.purpose, reason: refusal.reason, ...detail });
        return refusal;
      };
      const choice = chooseChannel({ request, profile, facts: state, senders: this.senders });
      if (!choice.ok) return refused(refuse(choice.reason, choice.message));
      const { channel, destination } = choice;
      const newPhone = request.purpose === 'phone_change' ? request.newPhone : null;
      // Defence in depth: whatever the policy decided, a code never goes to the new number.
      if (newPhone !== null && destination === newPhone) throw new Error('refusing to send a code to the new number');
      // The call policy's countries, before anything is written: a refused number gets no challenge, no code, no attempt.
      const texts: Array<[string, 'new_phone' | 'code']> = [];
      if (newPhone !== null) texts.push([newPhone, 'new_phone']);
      if (channel === 'sms' && destination) texts.push([destination, 'code']);
      for (const [to, what] of texts) {
        const offLimits = await textPolicyRefusal(uow.q, principal.accountId, to, what);
        if (offLimits) return refused(offLimits.refusal, { country: offLimits.country, to: maskPhone(to) });
      }

      const locked = await lockedUntil(uow.q, profile.id, now);
      if (locked !== null) return refused(refuse('too_many_failures', TOO_MANY, locked));
      const attempts = await attemptsToday(uow.q, profile.id, request.purpose, now);
      if (attempts.used >= RULES.maxAttemptsPerDay) {
        return refused(refuse('daily_limit', `Daily limit reached: ${RULES.maxAttemptsPerDay} attempts per day. Try again after the reset.`, attempts.resetsAt!));
      }

      await supersedeOpen(uow.q, profile.id, request.purpose, now);
      const id = newChallengeId();
      const code = isSentChannel(channel) ? generateCode() : null;
      await insertChallenge(uow.q, id, {
        accountId: principal.accountId, userId: profile.id, actorUserId: principal.userId, purpose: request.purpose, channel, destination, newPhone,
        codeHash: code ? codeHash(this.deps.keys, id, code) : null,
      }, now);
      await uow.audit(principal.userId, 'twofa.challenge_started', 'user', profile.id, {
        challengeId: id,
        purpose: request.purpose,
        channel,
        destination: mask(channel, destination),
        ...(newPhone ? { newPhone: maskPhone(newPhone) } : {}),
        attempt: attempts.used + 1,
      });
      if (code && destination && isSentChannel(channel)) deliveries.push(codeMessage(channel, destination, code, request.purpose, id));
      return { status: 'started', challenge: await challengeView(uow.q, id, now) };
    });
    if (result.status === 'started') {
      const failed = await deliverAll(this.deps, principal, deliveries);
      if (failed) return failed;
      return { status: 'started', challenge: await challengeView(this.deps.db, result.challenge.id, now) };
    }
    return result;
  }

  async resend(principal: Principal, challengeId: string): Promise<StartResult> {
    const now = this.deps.now();
    const deliveries: Delivery[] = [];
    const result = await write(this.deps.db, principal.accountId, async (uow): Promise<StartResult> => {
      const challenge = await ownChallenge(uow.q, principal, challengeId, true);
      const refused = async (refusal: Refusal): Promise<Refusal> => {
        await uow.audit(principal.userId, 'twofa.resend_refused', 'user', challenge.user_id, { challengeId, reason: refusal.reason });
        return refusal;
      };
      if (challenge.closed_at) return refused(refuse('challenge_closed', 'This verification is no longer open: start again.'));
      if (!isSentChannel(challenge.channel)) {
        return refused(refuse('challenge_closed', 'Nothing is sent for this channel: enter the code from your authenticator app or a backup code.'));
      }
      const locked = await lockedUntil(uow.q, challenge.user_id, now);
      if (locked !== null) return refused(refuse('too_many_failures', 'Too many wrong codes. Try again later.', locked));
      // The policy may have changed since the first code: checked again before the new one replaces it (the first stays valid until it expires).
      if (challenge.channel === 'sms' && challenge.destination) {
        const offLimits = await textPolicyRefusal(uow.q, principal.accountId, challenge.destination, 'code');
        if (offLimits) return refused(offLimits.refusal);
      }
      if (challenge.send_count >= RULES.maxSendsPerChallenge) {
        return refused(refuse('resend_limit', 'No more codes can be sent for this attempt: start again, or use another channel.'));
      }
      const resendAt = Date.parse(challenge.last_sent_at!) + RULES.resendAfterSeconds * 1000;
      if (now < resendAt) return refused(refuse('resend_too_soon', 'Please wait before requesting a new code.', resendAt));
      const code = generateCode();
      // The new code replaces the old one; failures are per user and stay.
      await replaceCode(uow.q, challengeId, codeHash(this.deps.keys, challengeId, code), now);
      await uow.audit(principal.userId, 'twofa.code_resent', 'user', challenge.user_id, {
        challengeId,
        channel: challenge.channel,
        destination: mask(challenge.channel, challenge.destination),
        send: challenge.send_count + 1,
      });
      deliveries.push(codeMessage(challenge.channel, challenge.destination!, code, challenge.purpose, challengeId));
      return { status: 'started', challenge: await challengeView(uow.q, challengeId, now) };
    });
    if (result.status === 'started') {
      const failed = await deliverAll(this.deps, principal, deliveries);
      if (failed) return failed;
    }
    return result;
  }

  async cancel(principal: Principal, challengeId: string): Promise<{ cancelled: boolean }> {
    const now = this.deps.now();
    return write(this.deps.db, principal.accountId, async (uow) => {
      const challenge = await ownChallenge(uow.q, principal, challengeId, true);
      if (challenge.closed_at) return { cancelled: false };
      await closeChallenge(uow.q, challengeId, 'cancelled', now);
      await uow.audit(principal.userId, 'twofa.challenge_cancelled', 'user', challenge.user_id, { challengeId });
      return { cancelled: true };
    });
  }

  async verify(principal: Principal, challengeId: string, code: string): Promise<VerifyResult> {
    const now = this.deps.now();
    let deliveries: Delivery[] = [];
    const result = await write(this.deps.db, principal.accountId, async (uow): Promise<VerifyResult> => {
      const challenge = await ownChallenge(uow.q, principal, challengeId, true);
      const profile = await loadProfile(uow.q, principal.accountId, challenge.user_id, false);
      const state = await loadChannelState(uow.q, profile, this.deps.keys);
      const refusedBefore = async (reason: RefusalReason, message: string, retryAt?: number): Promise<Refusal> => {
        await uow.audit(principal.userId, 'twofa.verify_refused', 'user', profile.id, { challengeId, reason });
        return refuse(reason, message, retryAt);
      };
      if (challenge.closed_at) return refusedBefore('challenge_closed', 'This code was already used or replaced: start again.');
      const locked = await lockedUntil(uow.q, profile.id, now);
      if (locked !== null) return refusedBefore('too_many_failures', TOO_MANY, locked);
      if (now >= Date.parse(challenge.expires_at)) return refusedBefore('code_expired', 'This code has expired: request a new one.');

      const check = await checkCode(uow, this.deps.keys, challenge, state, code, now);
      if (!check.ok) {
        const failures = await recordFailure(uow.q, profile.id, challengeId, now);
        await uow.audit(principal.userId, 'twofa.verify_failed', 'user', profile.id, { challengeId, channel: challenge.channel, failures: failures.length, why: check.why });
        if (failures.length >= RULES.maxFailures) {
          await closeChallenge(uow.q, challengeId, 'locked', now);
          return refuse('too_many_failures', TOO_MANY, lockEndsAt(failures));
        }
        const left = RULES.maxFailures - failures.length;
        return refuse('code_invalid', `${check.why === 'replay' ? 'That code was already used.' : 'That code is not right.'} ${left} ${left === 1 ? 'try' : 'tries'} left.`);
      }

      // Single use, even against a concurrent request that got past the checks above.
      if (!(await closeChallenge(uow.q, challengeId, 'verified', now))) return refuse('challenge_closed', 'This code was already used or replaced: start again.');
      await uow.audit(principal.userId, 'twofa.verified', 'user', profile.id, { challengeId, purpose: challenge.purpose, channel: challenge.channel });

      let enrolment: { secret: string; otpauthUri: string } | undefined;
      let held: HeldView | undefined;
      switch (challenge.purpose) {
        case 'phone_change': {
          const holdUntil = await coolingOffEnds(uow.q, profile.id, now);
          if (holdUntil !== null) {
            ({ held, notices: deliveries } = await holdPhoneChange(uow, principal, profile, challenge, holdUntil, this.senders, now));
          } else {
            deliveries = await applyPhoneChange(uow, principal, profile, state, challenge, this.senders, now);
          }
          break;
        }
        case 'verify_email':
          await markVerified(uow.q, profile.id, 'email', profile.email, now);
          await uow.audit(principal.userId, 'twofa.channel_verified', 'user', profile.id, { channel: 'email', address: maskEmail(profile.email) });
          break;
        case 'verify_phone':
          if (!profile.phone || profile.phone !== challenge.destination) return refuse('challenge_closed', 'The phone number changed meanwhile: start again.');
          await markVerified(uow.q, profile.id, 'sms', profile.phone, now);
          await uow.audit(principal.userId, 'twofa.channel_verified', 'user', profile.id, { channel: 'sms', address: maskPhone(profile.phone) });
          break;
        case 'totp_enrol':
          enrolment = await createPendingTotp(uow, this.deps.keys, principal, profile, now);
          break;
      }
      const after = await this.statusOf(uow.q, await loadProfile(uow.q, principal.accountId, profile.id, false), now);
      return { status: 'verified', purpose: challenge.purpose, profile: after, ...(enrolment ? { enrolment } : {}), ...(held ? { held } : {}) };
    });
    if (result.status === 'verified') await deliverAll(this.deps, principal, deliveries);
    return result;
  }

  /**
   * Authenticator enrolment without a step-up: only for a user with no verified channel yet, and
   * only with the password re-entered (a signed-in session alone must not add a channel). A wrong
   * password counts as a wrong code (the same per-user lock).
   */
  async totpBegin(principal: Principal, password: string): Promise<TotpBeginResult> {
    const now = this.deps.now();
    const hash = (await this.deps.db.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE id = $1 AND account_id = $2`, [principal.userId, principal.accountId]))[0]?.password_hash;
    // Checked before the transaction: argon2 is slow, and the row lock should not wait on it.
    const passwordOk = hash !== undefined && (await verifyPassword(hash, password));
    return write(this.deps.db, principal.accountId, async (uow): Promise<TotpBeginResult> => {
      const profile = await loadProfile(uow.q, principal.accountId, principal.userId, true);
      const state = await loadChannelState(uow.q, profile, this.deps.keys);
      if (state.emailVerified || state.phoneVerified || state.totpEnabled) {
        await uow.audit(principal.userId, 'twofa.totp_enrol_refused', 'user', profile.id, { reason: 'step_up_required' });
        return refuse('step_up_required', 'Verify with one of your channels before setting up an authenticator app.');
      }
      const locked = await lockedUntil(uow.q, profile.id, now);
      if (locked !== null) return refuse('too_many_failures', 'Too many wrong attempts. Try again later.', locked);
      if (!passwordOk) {
        const failures = await recordFailure(uow.q, profile.id, null, now);
        await uow.audit(principal.userId, 'twofa.totp_enrol_refused', 'user', profile.id, { reason: 'password_invalid', failures: failures.length });
        if (failures.length >= RULES.maxFailures) return refuse('too_many_failures', 'Too many wrong attempts. Try again later.', lockEndsAt(failures));
        return refuse('password_invalid', 'That password is not right. Enter the password you sign in with.');
      }
      return { status: 'pending', enrolment: await createPendingTotp(uow, this.deps.keys, principal, profile, now) };
    });
  }

  async totpConfirm(principal: Principal, code: string): Promise<TotpConfirmResult> {
    const now = this.deps.now();
    return write(this.deps.db, principal.accountId, async (uow): Promise<TotpConfirmResult> => {
      const profile = await loadProfile(uow.q, principal.accountId, principal.userId, true);
      const state = await loadChannelState(uow.q, profile, this.deps.keys);
      if (!state.totpPending || now - state.totpPending.at > RULES.codeTtlSeconds * 1000) {
        return refuse('totp_not_pending', 'Start the authenticator setup again.');
      }
      const locked = await lockedUntil(uow.q, profile.id, now);
      if (locked !== null) return refuse('too_many_failures', 'Too many wrong codes. Try again later.', locked);
      const step = matchTotpStep(state.totpPending.secret, code, now);
      if (step === null) {
        const failures = await recordFailure(uow.q, profile.id, null, now);
        await uow.audit(principal.userId, 'twofa.verify_failed', 'user', profile.id, { purpose: 'totp_confirm', failures: failures.length });
        if (failures.length >= RULES.maxFailures) return refuse('too_many_failures', 'Too many wrong codes. Try again later.', lockEndsAt(failures));
        return refuse('code_invalid', 'That code is not right: check the time on your phone and try the current code.');
      }
      const backupCodes = await enableTotp(uow, this.deps.keys, principal, profile.id, step, now);
      return { status: 'enabled', backupCodes, profile: await this.statusOf(uow.q, profile, now) };
    });
  }

  /** Cancels a phone change held for the cooling-off period (its owner, or an admin). */
  cancelHeld(principal: Principal, heldId: string): Promise<{ cancelled: boolean }> {
    return cancelHeld(this.deps.db, principal, heldId, this.deps.now());
  }

  /** Applies held phone changes that are due (one user's, or all); the sweep calls it every minute. */
  applyDue(userId?: string): Promise<number> {
    return applyDueHolds({ ...this.deps, senders: this.senders }, userId);
  }

  private async statusOf(q: Queryable, profile: ProfileRow, now: number): Promise<VerificationStatus> {
    const state = await loadChannelState(q, profile, this.deps.keys);
    const attempts = await attemptsToday(q, profile.id, 'phone_change', now);
    const locked = await lockedUntil(q, profile.id, now);
    return {
      userId: profile.id,
      name: profile.name,
      email: profile.email,
      emailVerified: state.emailVerified,
      phone: profile.phone,
      phoneVerified: state.phoneVerified,
      totpEnabled: state.totpEnabled,
      backupCodesLeft: state.backupCodesLeft,
      channels: offeredChannels(state, this.senders),
      smsUnavailable: state.phoneVerified ? null : profile.phone ? 'phone_unverified' : 'no_phone',
      attemptsToday: {
        used: attempts.used,
        limit: RULES.maxAttemptsPerDay,
        resetsAt: attempts.resetsAt !== null ? new Date(attempts.resetsAt).toISOString() : null,
      },
      lockedUntil: locked !== null ? new Date(locked).toISOString() : null,
      heldPhoneChange: await openHold(q, profile.id),
    };
  }
}

/** The user a request is about: oneself, or (admins only) a member of the account. */
function authorizeTarget(principal: Principal, targetUserId: string | undefined): string {
  if (!targetUserId || targetUserId === principal.userId) return principal.userId;
  if (principal.role !== 'admin') throw forbidden("Only account admins can change a team member's phone number");
  return targetUserId;
}
