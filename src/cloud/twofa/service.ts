import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import {
  TWO_FACTOR_RULES as RULES,
  maskEmail,
  maskPhone,
  type ChallengePurpose,
  type ChallengeView,
  type Refusal,
  type RefusalReason,
  type StartChallengeRequest,
  type StartResult,
  type TotpBeginResult,
  type TotpConfirmResult,
  type VerificationChannel,
  type VerificationStatus,
  type VerifyResult,
} from '../../shared/cloud/twofa';
import type { Principal } from '../context';
import type { Database, Queryable } from '../db';
import { ApiError, forbidden, notFound } from '../errors';
import { newId } from '../ids';
import { createNotification } from '../notifications/service';
import { write, type UnitOfWork } from '../db/unit-of-work';
import { generateBackupCode, generateCode, hashCode, normaliseBackupCode, sameHash, seal, unseal } from './codes';
import type { EmailSender, SmsSender } from './delivery';
import { generateTotpSecret, matchTotpStep, totpUri } from './totp';

export interface TwoFactorDeps {
  db: Database;
  log: Logger;
  /** Milliseconds since the epoch; tests move it. */
  now(): number;
  /** null: no mail server configured, email is not offered. */
  email: EmailSender | null;
  sms: SmsSender | null;
  /** The number SMS come from; unset: the account's first number. */
  smsFrom?: string | undefined;
  keys: TwoFactorKeys;
}

export interface TwoFactorKeys {
  /** HMAC key for codes and backup codes. */
  codes: Buffer;
  /** AES-256-GCM key for TOTP secrets at rest. */
  totp: Buffer;
}

/** The service's keys, generated once per database and kept in server_secrets (shared by instances). */
export async function loadTwoFactorKeys(db: Database): Promise<TwoFactorKeys> {
  const load = async (name: string): Promise<Buffer> => {
    await db.query(`INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [name, randomBytes(32).toString('base64url')]);
    const rows = await db.query<{ value: string }>(`SELECT value FROM server_secrets WHERE name = $1`, [name]);
    return Buffer.from(rows[0]!.value, 'base64url');
  };
  return { codes: await load('twofa-hmac'), totp: await load('twofa-totp') };
}

type UserRow = {
  id: string;
  account_id: string;
  email: string;
  name: string;
  phone: string | null;
};

interface ChannelState {
  emailVerified: boolean;
  phoneVerified: boolean;
  totpEnabled: boolean;
  totpSecret: string | null;
  totpLastStep: number | null;
  totpPending: { secret: string; at: number } | null;
  backupCodesLeft: number;
}

type ChallengeRow = {
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

/** A message to deliver once the transaction that decided it has committed. */
interface Delivery {
  channel: 'email' | 'sms';
  to: string;
  subject: string;
  body: string;
  /** What the audit log calls it. */
  kind: 'code' | 'change_notice';
  challengeId: string | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const ms = (value: string): number => Date.parse(value);
const refuse = (reason: RefusalReason, message: string, retryAt?: number): Refusal => ({
  status: 'refused',
  reason,
  message,
  ...(retryAt !== undefined ? { retryAt: iso(retryAt) } : {}),
});

const purposeLabel: Record<ChallengePurpose, string> = {
  phone_change: 'change the phone number on your profile',
  verify_email: 'verify your email address',
  verify_phone: 'verify your phone number',
  totp_enrol: 'set up an authenticator app',
};

/**
 * The two-factor-protected profile changes. Every rule of issue [2fa] lives here:
 * - codes only to channels already verified (SMS only to the current verified phone, never to a new number);
 * - 6-digit CSPRNG codes, 10 minutes, single use, stored as HMACs;
 * - wrong codes counted per user across challenges and resends; too many locks verification;
 * - resend only after the timer; at most 5 attempts per user and purpose in a rolling day;
 * - TOTP ±1 step, each step once; backup codes single use;
 * - old channels notified after a change; every step audited.
 * Each operation runs in one transaction holding the target user's row lock, so concurrent
 * requests for the same user are serialised (two verifications of one code: exactly one wins).
 * Codes and notices are delivered after commit.
 */
export class TwoFactorService {
  constructor(private readonly deps: TwoFactorDeps) {}

  async status(principal: Principal, targetUserId?: string): Promise<VerificationStatus> {
    const targetId = this.authorizeTarget(principal, targetUserId);
    const user = await this.loadUser(this.deps.db, principal.accountId, targetId, false);
    return this.statusOf(this.deps.db, user, this.deps.now());
  }

  async start(principal: Principal, request: StartChallengeRequest): Promise<StartResult> {
    const now = this.deps.now();
    const targetId = this.authorizeTarget(principal, request.purpose === 'phone_change' ? request.targetUserId : undefined);
    const deliveries: Delivery[] = [];
    const result = await write(this.deps.db, principal.accountId, async (uow): Promise<StartResult> => {
      const user = await this.loadUser(uow.q, principal.accountId, targetId, true);
      const state = await this.channelState(uow.q, user);
      const refused = async (refusal: Refusal): Promise<Refusal> => {
        await uow.audit(principal.userId, 'twofa.start_refused', 'user', user.id, { purpose: request.purpose, reason: refusal.reason });
        return refusal;
      };

      let channel: VerificationChannel;
      let destination: string | null = null;
      let newPhone: string | null = null;
      switch (request.purpose) {
        case 'phone_change':
        case 'totp_enrol': {
          if (request.purpose === 'phone_change') {
            newPhone = request.newPhone;
            if (newPhone === user.phone) return refused(refuse('same_number', 'That is already the number on this profile.'));
          }
          const offered = this.offeredChannels(state);
          if (offered.length === 0 && state.backupCodesLeft === 0) {
            return refused(refuse('no_channel', 'No verification options available: set up an authenticator app or verify your email first.'));
          }
          channel = request.channel;
          if (channel === 'sms' && !offered.includes('sms')) {
            return refused(
              refuse(
                'sms_not_offered',
                user.phone ? 'The current phone is not verified: use email or the authenticator app, or verify the existing number first.' : 'There is no phone on this profile to text a code to: use email or the authenticator app.',
              ),
            );
          }
          if (channel === 'backup_code' ? state.backupCodesLeft === 0 : !offered.includes(channel)) {
            return refused(refuse('channel_unavailable', `${channelName(channel)} is not a verified channel on this profile.`));
          }
          if (channel === 'email') destination = user.email;
          if (channel === 'sms') destination = user.phone;
          break;
        }
        case 'verify_email':
          if (state.emailVerified) return refused(refuse('already_verified', 'This email address is already verified.'));
          if (!this.deps.email) return refused(refuse('channel_unavailable', 'Email cannot be sent from this server.'));
          channel = 'email';
          destination = user.email;
          break;
        case 'verify_phone':
          if (!user.phone) return refused(refuse('sms_not_offered', 'There is no phone number on this profile to verify.'));
          if (state.phoneVerified) return refused(refuse('already_verified', 'This phone number is already verified.'));
          if (!this.deps.sms) return refused(refuse('channel_unavailable', 'Text messages cannot be sent from this server.'));
          // The profile's own current number, verified in its own right; never a number from the request.
          channel = 'sms';
          destination = user.phone;
          break;
      }
      // Defence in depth: whatever the branches above decided, a code never goes to the new number.
      if (newPhone !== null && destination === newPhone) throw new Error('refusing to send a code to the new number');

      const lockedUntil = await this.lockedUntil(uow.q, user.id, now);
      if (lockedUntil !== null) {
        return refused(refuse('too_many_failures', 'Too many wrong codes. Try again later, or use a backup code or ask an admin.', lockedUntil));
      }
      const attempts = await this.attemptsToday(uow.q, user.id, request.purpose, now);
      if (attempts.used >= RULES.maxAttemptsPerDay) {
        return refused(refuse('daily_limit', `Daily limit reached: ${RULES.maxAttemptsPerDay} attempts per day. Try again after the reset.`, attempts.resetsAt!));
      }

      await uow.q.query(
        `UPDATE two_factor_challenges SET closed_at = $3, closed_reason = 'superseded' WHERE user_id = $1 AND purpose = $2 AND closed_at IS NULL`,
        [user.id, request.purpose, iso(now)],
      );
      const id = newId('tfc');
      const sends = channel === 'email' || channel === 'sms';
      const code = sends ? generateCode() : null;
      await uow.q.query(
        `INSERT INTO two_factor_challenges (id, account_id, user_id, actor_user_id, purpose, channel, destination, new_phone, code_hash, created_at, expires_at, last_sent_at, send_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          id,
          principal.accountId,
          user.id,
          principal.userId,
          request.purpose,
          channel,
          destination,
          newPhone,
          code ? hashCode(this.deps.keys.codes, id, code) : null,
          iso(now),
          iso(now + RULES.codeTtlSeconds * 1000),
          sends ? iso(now) : null,
          sends ? 1 : 0,
        ],
      );
      await uow.audit(principal.userId, 'twofa.challenge_started', 'user', user.id, {
        challengeId: id,
        purpose: request.purpose,
        channel,
        destination: mask(channel, destination),
        ...(newPhone ? { newPhone: maskPhone(newPhone) } : {}),
        attempt: attempts.used + 1,
      });
      if (code && destination) deliveries.push(this.codeMessage(channel as 'email' | 'sms', destination, code, request.purpose, id));
      return { status: 'started', challenge: await this.viewOf(uow.q, id, now) };
    });
    if (result.status === 'started') {
      const failed = await this.deliver(principal, deliveries);
      if (failed) return failed;
      return { status: 'started', challenge: await this.viewOf(this.deps.db, result.challenge.id, now) };
    }
    return result;
  }

  async resend(principal: Principal, challengeId: string): Promise<StartResult> {
    const now = this.deps.now();
    const deliveries: Delivery[] = [];
    const result = await write(this.deps.db, principal.accountId, async (uow): Promise<StartResult> => {
      const challenge = await this.ownChallenge(uow.q, principal, challengeId, true);
      const refused = async (refusal: Refusal): Promise<Refusal> => {
        await uow.audit(principal.userId, 'twofa.resend_refused', 'user', challenge.user_id, { challengeId, reason: refusal.reason });
        return refusal;
      };
      if (challenge.closed_at) return refused(refuse('challenge_closed', 'This verification is no longer open: start again.'));
      if (challenge.channel !== 'email' && challenge.channel !== 'sms') {
        return refused(refuse('challenge_closed', 'Nothing is sent for this channel: enter the code from your authenticator app or a backup code.'));
      }
      const lockedUntil = await this.lockedUntil(uow.q, challenge.user_id, now);
      if (lockedUntil !== null) return refused(refuse('too_many_failures', 'Too many wrong codes. Try again later.', lockedUntil));
      if (challenge.send_count >= RULES.maxSendsPerChallenge) {
        return refused(refuse('resend_limit', 'No more codes can be sent for this attempt: start again, or use another channel.'));
      }
      const resendAt = ms(challenge.last_sent_at!) + RULES.resendAfterSeconds * 1000;
      if (now < resendAt) return refused(refuse('resend_too_soon', 'Please wait before requesting a new code.', resendAt));
      const code = generateCode();
      // The new code replaces the old one (single use) and restarts the 10 minutes; failures are per user and stay.
      await uow.q.query(
        `UPDATE two_factor_challenges SET code_hash = $2, expires_at = $3, last_sent_at = $4, send_count = send_count + 1 WHERE id = $1`,
        [challengeId, hashCode(this.deps.keys.codes, challengeId, code), iso(now + RULES.codeTtlSeconds * 1000), iso(now)],
      );
      await uow.audit(principal.userId, 'twofa.code_resent', 'user', challenge.user_id, {
        challengeId,
        channel: challenge.channel,
        destination: mask(challenge.channel, challenge.destination),
        send: challenge.send_count + 1,
      });
      deliveries.push(this.codeMessage(challenge.channel, challenge.destination!, code, challenge.purpose, challengeId));
      return { status: 'started', challenge: await this.viewOf(uow.q, challengeId, now) };
    });
    if (result.status === 'started') {
      const failed = await this.deliver(principal, deliveries);
      if (failed) return failed;
    }
    return result;
  }

  async cancel(principal: Principal, challengeId: string): Promise<{ cancelled: boolean }> {
    const now = this.deps.now();
    return write(this.deps.db, principal.accountId, async (uow) => {
      const challenge = await this.ownChallenge(uow.q, principal, challengeId, true);
      if (challenge.closed_at) return { cancelled: false };
      await uow.q.query(`UPDATE two_factor_challenges SET closed_at = $2, closed_reason = 'cancelled' WHERE id = $1`, [challengeId, iso(now)]);
      await uow.audit(principal.userId, 'twofa.challenge_cancelled', 'user', challenge.user_id, { challengeId });
      return { cancelled: true };
    });
  }

  async verify(principal: Principal, challengeId: string, code: string): Promise<VerifyResult> {
    const now = this.deps.now();
    const deliveries: Delivery[] = [];
    const result = await write(this.deps.db, principal.accountId, async (uow): Promise<VerifyResult> => {
      const challenge = await this.ownChallenge(uow.q, principal, challengeId, true);
      const user = await this.loadUser(uow.q, principal.accountId, challenge.user_id, false);
      const state = await this.channelState(uow.q, user);
      if (challenge.closed_at) {
        await uow.audit(principal.userId, 'twofa.verify_refused', 'user', user.id, { challengeId, reason: 'challenge_closed' });
        return refuse('challenge_closed', 'This code was already used or replaced: start again.');
      }
      const lockedUntil = await this.lockedUntil(uow.q, user.id, now);
      if (lockedUntil !== null) {
        await uow.audit(principal.userId, 'twofa.verify_refused', 'user', user.id, { challengeId, reason: 'too_many_failures' });
        return refuse('too_many_failures', 'Too many wrong codes. Try again later, or use a backup code or ask an admin.', lockedUntil);
      }
      if (now >= ms(challenge.expires_at)) {
        await uow.audit(principal.userId, 'twofa.verify_refused', 'user', user.id, { challengeId, reason: 'code_expired' });
        return refuse('code_expired', 'This code has expired: request a new one.');
      }

      const check = await this.checkCode(uow, challenge, state, code, now);
      if (!check.ok) {
        await uow.q.query(`INSERT INTO two_factor_failures (user_id, challenge_id, at) VALUES ($1, $2, $3)`, [user.id, challengeId, iso(now)]);
        const failures = await this.failuresInWindow(uow.q, user.id, now);
        await uow.audit(principal.userId, 'twofa.verify_failed', 'user', user.id, { challengeId, channel: challenge.channel, failures: failures.length, why: check.why });
        if (failures.length >= RULES.maxFailures) {
          await uow.q.query(`UPDATE two_factor_challenges SET closed_at = $2, closed_reason = 'locked' WHERE id = $1`, [challengeId, iso(now)]);
          return refuse('too_many_failures', 'Too many wrong codes. Try again later, or use a backup code or ask an admin.', ms(failures[0]!) + RULES.failureWindowSeconds * 1000);
        }
        const left = RULES.maxFailures - failures.length;
        return refuse('code_invalid', `${check.why === 'replay' ? 'That code was already used.' : 'That code is not right.'} ${left} ${left === 1 ? 'try' : 'tries'} left.`);
      }

      // Single use, even against a concurrent request that got past the checks above.
      const closed = await uow.q.query(
        `UPDATE two_factor_challenges SET closed_at = $2, closed_reason = 'verified' WHERE id = $1 AND closed_at IS NULL RETURNING id`,
        [challengeId, iso(now)],
      );
      if (closed.length === 0) return refuse('challenge_closed', 'This code was already used or replaced: start again.');
      await uow.audit(principal.userId, 'twofa.verified', 'user', user.id, { challengeId, purpose: challenge.purpose, channel: challenge.channel });

      let enrolment: { secret: string; otpauthUri: string } | undefined;
      switch (challenge.purpose) {
        case 'phone_change':
          await this.applyPhoneChange(uow, principal, user, state, challenge, now, deliveries);
          break;
        case 'verify_email':
          await this.markVerified(uow.q, user.id, 'email', user.email, now);
          await uow.audit(principal.userId, 'twofa.channel_verified', 'user', user.id, { channel: 'email', address: maskEmail(user.email) });
          break;
        case 'verify_phone':
          if (!user.phone || user.phone !== challenge.destination) return refuse('challenge_closed', 'The phone number changed meanwhile: start again.');
          await this.markVerified(uow.q, user.id, 'sms', user.phone, now);
          await uow.audit(principal.userId, 'twofa.channel_verified', 'user', user.id, { channel: 'sms', address: maskPhone(user.phone) });
          break;
        case 'totp_enrol':
          enrolment = await this.createPendingTotp(uow, principal, user, now);
          break;
      }
      const profile = await this.statusOf(uow.q, await this.loadUser(uow.q, principal.accountId, user.id, false), now);
      return { status: 'verified', purpose: challenge.purpose, profile, ...(enrolment ? { enrolment } : {}) };
    });
    if (result.status === 'verified') await this.deliver(principal, deliveries);
    return result;
  }

  /** Authenticator enrolment without a step-up: only for a user with no verified channel yet. */
  async totpBegin(principal: Principal): Promise<TotpBeginResult> {
    const now = this.deps.now();
    return write(this.deps.db, principal.accountId, async (uow): Promise<TotpBeginResult> => {
      const user = await this.loadUser(uow.q, principal.accountId, principal.userId, true);
      const state = await this.channelState(uow.q, user);
      if (state.emailVerified || state.phoneVerified || state.totpEnabled) {
        await uow.audit(principal.userId, 'twofa.totp_enrol_refused', 'user', user.id, { reason: 'step_up_required' });
        return refuse('step_up_required', 'Verify with one of your channels before setting up an authenticator app.');
      }
      return { status: 'pending', enrolment: await this.createPendingTotp(uow, principal, user, now) };
    });
  }

  async totpConfirm(principal: Principal, code: string): Promise<TotpConfirmResult> {
    const now = this.deps.now();
    return write(this.deps.db, principal.accountId, async (uow): Promise<TotpConfirmResult> => {
      const user = await this.loadUser(uow.q, principal.accountId, principal.userId, true);
      const state = await this.channelState(uow.q, user);
      if (!state.totpPending || now - state.totpPending.at > RULES.codeTtlSeconds * 1000) {
        return refuse('totp_not_pending', 'Start the authenticator setup again.');
      }
      const lockedUntil = await this.lockedUntil(uow.q, user.id, now);
      if (lockedUntil !== null) return refuse('too_many_failures', 'Too many wrong codes. Try again later.', lockedUntil);
      const step = matchTotpStep(state.totpPending.secret, code, now);
      if (step === null) {
        await uow.q.query(`INSERT INTO two_factor_failures (user_id, challenge_id, at) VALUES ($1, NULL, $2)`, [user.id, iso(now)]);
        const failures = await this.failuresInWindow(uow.q, user.id, now);
        await uow.audit(principal.userId, 'twofa.verify_failed', 'user', user.id, { purpose: 'totp_confirm', failures: failures.length });
        if (failures.length >= RULES.maxFailures) {
          return refuse('too_many_failures', 'Too many wrong codes. Try again later.', ms(failures[0]!) + RULES.failureWindowSeconds * 1000);
        }
        return refuse('code_invalid', 'That code is not right: check the time on your phone and try the current code.');
      }
      await uow.q.query(
        `UPDATE user_totp SET secret_sealed = pending_sealed, enabled_at = $2, pending_sealed = NULL, pending_at = NULL, last_used_step = $3 WHERE user_id = $1`,
        [user.id, iso(now), step],
      );
      await uow.q.query(`DELETE FROM user_backup_codes WHERE user_id = $1`, [user.id]);
      const backupCodes = Array.from({ length: RULES.backupCodeCount }, generateBackupCode);
      for (const backup of backupCodes) {
        await uow.q.query(`INSERT INTO user_backup_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)`, [
          user.id,
          hashCode(this.deps.keys.codes, user.id, normaliseBackupCode(backup)),
          iso(now),
        ]);
      }
      await uow.audit(principal.userId, 'twofa.totp_enabled', 'user', user.id, { backupCodes: backupCodes.length });
      return { status: 'enabled', backupCodes, profile: await this.statusOf(uow.q, user, now) };
    });
  }

  // ---- rules ----

  private async checkCode(uow: UnitOfWork, challenge: ChallengeRow, state: ChannelState, code: string, now: number): Promise<{ ok: true } | { ok: false; why: 'wrong' | 'replay' }> {
    switch (challenge.channel) {
      case 'email':
      case 'sms':
        return challenge.code_hash && sameHash(challenge.code_hash, hashCode(this.deps.keys.codes, challenge.id, code)) ? { ok: true } : { ok: false, why: 'wrong' };
      case 'totp': {
        if (!state.totpEnabled || !state.totpSecret) return { ok: false, why: 'wrong' };
        const step = matchTotpStep(state.totpSecret, code, now);
        if (step === null) return { ok: false, why: 'wrong' };
        // Each step once: the step must be newer than the last accepted one (atomic compare-and-set).
        const moved = await uow.q.query(
          `UPDATE user_totp SET last_used_step = $2 WHERE user_id = $1 AND (last_used_step IS NULL OR last_used_step < $2) RETURNING user_id`,
          [challenge.user_id, step],
        );
        return moved.length === 1 ? { ok: true } : { ok: false, why: 'replay' };
      }
      case 'backup_code': {
        const hash = hashCode(this.deps.keys.codes, challenge.user_id, normaliseBackupCode(code));
        const used = await uow.q.query(
          `UPDATE user_backup_codes SET used_at = $3 WHERE id = (SELECT id FROM user_backup_codes WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL LIMIT 1) AND used_at IS NULL RETURNING id`,
          [challenge.user_id, hash, iso(now)],
        );
        if (used.length === 0) return { ok: false, why: 'wrong' };
        await uow.audit(null, 'twofa.backup_code_used', 'user', challenge.user_id, { challengeId: challenge.id });
        return { ok: true };
      }
    }
  }

  private async applyPhoneChange(uow: UnitOfWork, principal: Principal, user: UserRow, state: ChannelState, challenge: ChallengeRow, now: number, deliveries: Delivery[]): Promise<void> {
    const oldPhone = user.phone;
    const newPhone = challenge.new_phone!;
    await uow.q.query(`UPDATE users SET phone = $2, updated_at = $3 WHERE id = $1`, [user.id, newPhone, iso(now)]);
    uow.touch('users', user.id);
    // The old number's verification goes with it; the new number is not verified until it is in its own right.
    await uow.q.query(`DELETE FROM user_verified_channels WHERE user_id = $1 AND kind = 'sms'`, [user.id]);
    await uow.q.query(
      `UPDATE two_factor_challenges SET closed_at = $2, closed_reason = 'superseded' WHERE user_id = $1 AND closed_at IS NULL`,
      [user.id, iso(now)],
    );
    const by = principal.userId === user.id ? null : await this.nameOf(uow.q, principal.userId);
    await uow.audit(principal.userId, 'user.phone_changed', 'user', user.id, {
      challengeId: challenge.id,
      from: oldPhone ? maskPhone(oldPhone) : null,
      to: maskPhone(newPhone),
      via: challenge.channel,
      ...(by ? { byAdmin: principal.userId } : {}),
    });
    const text = `The phone number on your Aesthetix profile was changed${oldPhone ? ` from ${maskPhone(oldPhone)}` : ''} to ${maskPhone(newPhone)} on ${iso(now).slice(0, 16).replace('T', ' ')} UTC${by ? ` by ${by}` : ''}. If you did not ask for this, contact your account admin now.`;
    // Notices go to the channels verified before the change, never to the new number.
    if (state.emailVerified && this.deps.email) {
      deliveries.push({ channel: 'email', to: user.email, subject: 'Your Aesthetix phone number was changed', body: text, kind: 'change_notice', challengeId: challenge.id });
    }
    if (state.phoneVerified && oldPhone && this.deps.sms) {
      deliveries.push({ channel: 'sms', to: oldPhone, subject: '', body: `Aesthetix: ${text}`, kind: 'change_notice', challengeId: challenge.id });
    }
    await createNotification(uow, { userId: user.id, title: 'Phone number changed', message: text, redirect: 'profile', dedupeKey: `phone-changed:${challenge.id}` });
  }

  private async createPendingTotp(uow: UnitOfWork, principal: Principal, user: UserRow, now: number): Promise<{ secret: string; otpauthUri: string }> {
    const secret = generateTotpSecret();
    await uow.q.query(
      `INSERT INTO user_totp (user_id, pending_sealed, pending_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET pending_sealed = EXCLUDED.pending_sealed, pending_at = EXCLUDED.pending_at`,
      [user.id, seal(this.deps.keys.totp, secret), iso(now)],
    );
    await uow.audit(principal.userId, 'twofa.totp_enrol_started', 'user', user.id, {});
    return { secret, otpauthUri: totpUri(secret, user.email) };
  }

  private async markVerified(q: Queryable, userId: string, kind: 'email' | 'sms', address: string, now: number): Promise<void> {
    await q.query(
      `INSERT INTO user_verified_channels (user_id, kind, address, verified_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, kind) DO UPDATE SET address = EXCLUDED.address, verified_at = EXCLUDED.verified_at`,
      [userId, kind, address, iso(now)],
    );
  }

  private offeredChannels(state: ChannelState): ('email' | 'sms' | 'totp')[] {
    const channels: ('email' | 'sms' | 'totp')[] = [];
    if (state.emailVerified && this.deps.email) channels.push('email');
    if (state.phoneVerified && this.deps.sms) channels.push('sms');
    if (state.totpEnabled) channels.push('totp');
    return channels;
  }

  private async failuresInWindow(q: Queryable, userId: string, now: number): Promise<string[]> {
    const rows = await q.query<{ at: string }>(`SELECT at FROM two_factor_failures WHERE user_id = $1 AND at > $2 AND at <= $3 ORDER BY at`, [
      userId,
      iso(now - RULES.failureWindowSeconds * 1000),
      iso(now),
    ]);
    return rows.map((r) => r.at);
  }

  /** When verification unlocks for this user, or null when it is not locked. */
  private async lockedUntil(q: Queryable, userId: string, now: number): Promise<number | null> {
    const failures = await this.failuresInWindow(q, userId, now);
    if (failures.length < RULES.maxFailures) return null;
    // Unlocks when enough of the oldest failures have aged out of the window.
    return ms(failures[failures.length - RULES.maxFailures]!) + RULES.failureWindowSeconds * 1000;
  }

  private async attemptsToday(q: Queryable, userId: string, purpose: ChallengePurpose, now: number): Promise<{ used: number; resetsAt: number | null }> {
    const rows = await q.query<{ created_at: string }>(
      `SELECT created_at FROM two_factor_challenges WHERE user_id = $1 AND purpose = $2 AND created_at > $3 AND created_at <= $4 ORDER BY created_at`,
      [userId, purpose, iso(now - RULES.attemptWindowSeconds * 1000), iso(now)],
    );
    if (rows.length === 0) return { used: 0, resetsAt: null };
    // Rolling day: the limit frees a slot when the attempt that filled it is a day old.
    const pivot = rows.length >= RULES.maxAttemptsPerDay ? rows[rows.length - RULES.maxAttemptsPerDay]! : rows[0]!;
    return { used: rows.length, resetsAt: ms(pivot.created_at) + RULES.attemptWindowSeconds * 1000 };
  }

  // ---- reading ----

  private authorizeTarget(principal: Principal, targetUserId: string | undefined): string {
    if (!targetUserId || targetUserId === principal.userId) return principal.userId;
    if (principal.role !== 'admin') throw forbidden("Only account admins can change a team member's phone number");
    return targetUserId;
  }

  private async loadUser(q: Queryable, accountId: string, userId: string, lock: boolean): Promise<UserRow> {
    const rows = await q.query<UserRow>(
      `SELECT id, account_id, email, name, phone FROM users WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
      [userId, accountId],
    );
    if (rows.length === 0) throw notFound('User');
    return rows[0]!;
  }

  private async nameOf(q: Queryable, userId: string): Promise<string> {
    const rows = await q.query<{ name: string }>(`SELECT name FROM users WHERE id = $1`, [userId]);
    return rows[0]?.name ?? 'an admin';
  }

  private async channelState(q: Queryable, user: UserRow): Promise<ChannelState> {
    const verified = await q.query<{ kind: string; address: string }>(`SELECT kind, address FROM user_verified_channels WHERE user_id = $1`, [user.id]);
    const totp = (
      await q.query<{ secret_sealed: string | null; enabled_at: string | null; pending_sealed: string | null; pending_at: string | null; last_used_step: number | null }>(
        `SELECT secret_sealed, enabled_at, pending_sealed, pending_at, last_used_step FROM user_totp WHERE user_id = $1`,
        [user.id],
      )
    )[0];
    const backup = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM user_backup_codes WHERE user_id = $1 AND used_at IS NULL`, [user.id]);
    const key = this.deps.keys.totp;
    return {
      // Verified only while the address is still the profile's.
      emailVerified: verified.some((v) => v.kind === 'email' && v.address === user.email),
      phoneVerified: user.phone !== null && verified.some((v) => v.kind === 'sms' && v.address === user.phone),
      totpEnabled: Boolean(totp?.enabled_at && totp.secret_sealed),
      totpSecret: totp?.enabled_at && totp.secret_sealed ? unseal(key, totp.secret_sealed) : null,
      totpLastStep: totp?.last_used_step ?? null,
      totpPending: totp?.pending_sealed && totp.pending_at ? { secret: unseal(key, totp.pending_sealed), at: ms(totp.pending_at) } : null,
      backupCodesLeft: Number(backup[0]?.n ?? 0),
    };
  }

  private async statusOf(q: Queryable, user: UserRow, now: number): Promise<VerificationStatus> {
    const state = await this.channelState(q, user);
    const attempts = await this.attemptsToday(q, user.id, 'phone_change', now);
    const locked = await this.lockedUntil(q, user.id, now);
    return {
      userId: user.id,
      name: user.name,
      email: user.email,
      emailVerified: state.emailVerified,
      phone: user.phone,
      phoneVerified: state.phoneVerified,
      totpEnabled: state.totpEnabled,
      backupCodesLeft: state.backupCodesLeft,
      channels: this.offeredChannels(state),
      smsUnavailable: state.phoneVerified ? null : user.phone ? 'phone_unverified' : 'no_phone',
      attemptsToday: {
        used: attempts.used,
        limit: RULES.maxAttemptsPerDay,
        resetsAt: attempts.resetsAt !== null ? iso(attempts.resetsAt) : null,
      },
      lockedUntil: locked !== null ? iso(locked) : null,
    };
  }

  /** The challenge, if the principal started it (only the requester may resend or verify). */
  private async ownChallenge(q: Queryable, principal: Principal, id: string, lockUser: boolean): Promise<ChallengeRow> {
    const rows = await q.query<ChallengeRow>(`SELECT * FROM two_factor_challenges WHERE id = $1 AND account_id = $2 AND actor_user_id = $3`, [
      id,
      principal.accountId,
      principal.userId,
    ]);
    const challenge = rows[0];
    if (!challenge) throw notFound('Verification');
    if (lockUser) {
      await this.loadUser(q, principal.accountId, challenge.user_id, true);
      // Re-read under the lock: another request may have closed it meanwhile.
      return (await q.query<ChallengeRow>(`SELECT * FROM two_factor_challenges WHERE id = $1`, [id]))[0]!;
    }
    return challenge;
  }

  private async viewOf(q: Queryable, id: string, now: number): Promise<ChallengeView> {
    const c = (await q.query<ChallengeRow>(`SELECT * FROM two_factor_challenges WHERE id = $1`, [id]))[0];
    if (!c) throw new ApiError('INTERNAL', 'challenge vanished');
    const failures = await this.failuresInWindow(q, c.user_id, now);
    const sends = c.channel === 'email' || c.channel === 'sms';
    return {
      id: c.id,
      purpose: c.purpose,
      channel: c.channel,
      targetUserId: c.user_id,
      destination: mask(c.channel, c.destination),
      newPhone: c.new_phone,
      expiresAt: iso(ms(c.expires_at)),
      resendAvailableAt: sends && c.last_sent_at ? iso(ms(c.last_sent_at) + RULES.resendAfterSeconds * 1000) : null,
      sendsLeft: sends ? Math.max(0, RULES.maxSendsPerChallenge - c.send_count) : 0,
      failuresLeft: Math.max(0, RULES.maxFailures - failures.length),
    };
  }

  // ---- delivery ----

  private codeMessage(channel: 'email' | 'sms', to: string, code: string, purpose: ChallengePurpose, challengeId: string): Delivery {
    const minutes = RULES.codeTtlSeconds / 60;
    return channel === 'email'
      ? {
          channel,
          to,
          subject: 'Your Aesthetix verification code',
          body: `Your Aesthetix verification code is ${code}\n\nUse it to ${purposeLabel[purpose]}. It expires in ${minutes} minutes and works once.\nIf you did not ask for it, ignore this email and tell your account admin.`,
          kind: 'code',
          challengeId,
        }
      : { channel, to, subject: '', body: `Aesthetix code: ${code}. Use it to ${purposeLabel[purpose]}; it expires in ${minutes} min. Never share it.`, kind: 'code', challengeId };
  }

  /** Sends after commit. A code that cannot be sent closes its challenge (the attempt still counts). */
  private async deliver(principal: Principal, deliveries: Delivery[]): Promise<Refusal | null> {
    for (const d of deliveries) {
      try {
        if (d.channel === 'email') {
          if (!this.deps.email) throw new Error('no mail server configured');
          await this.deps.email.send({ to: d.to, subject: d.subject, text: d.body });
        } else {
          if (!this.deps.sms) throw new Error('no SMS sender configured');
          await this.deps.sms.send({ to: d.to, from: await this.smsFrom(principal.accountId), body: d.body });
        }
        await write(this.deps.db, principal.accountId, (uow) =>
          uow.audit(principal.userId, d.kind === 'code' ? 'twofa.code_delivered' : 'twofa.change_notice_sent', 'challenge', d.challengeId, { channel: d.channel, to: mask(d.channel, d.to) }),
        );
      } catch (error) {
        this.deps.log.warn({ err: error, channel: d.channel, kind: d.kind }, 'two-factor delivery failed');
        await write(this.deps.db, principal.accountId, async (uow) => {
          await uow.audit(principal.userId, 'twofa.delivery_failed', 'challenge', d.challengeId, { channel: d.channel, kind: d.kind, to: mask(d.channel, d.to) });
          if (d.kind === 'code' && d.challengeId) {
            await uow.q.query(`UPDATE two_factor_challenges SET closed_at = $2, closed_reason = 'delivery_failed' WHERE id = $1 AND closed_at IS NULL`, [d.challengeId, iso(this.deps.now())]);
          }
        });
        if (d.kind === 'code') {
          return refuse('delivery_failed', `The code could not be ${d.channel === 'email' ? 'emailed' : 'texted'}: try again later or choose another channel.`);
        }
      }
    }
    return null;
  }

  private async smsFrom(accountId: string): Promise<string> {
    if (this.deps.smsFrom) return this.deps.smsFrom;
    const rows = await this.deps.db.query<{ number: string }>(`SELECT number FROM phone_numbers WHERE account_id = $1 AND deleted_at IS NULL ORDER BY created_at, number LIMIT 1`, [accountId]);
    if (!rows[0]) throw new Error('the account has no number to send SMS from');
    return rows[0].number;
  }
}

function mask(channel: VerificationChannel, destination: string | null): string | null {
  if (!destination) return null;
  return channel === 'email' ? maskEmail(destination) : maskPhone(destination);
}

function channelName(channel: VerificationChannel): string {
  return { email: 'Email', sms: 'Text message', totp: 'Authenticator app', backup_code: 'A backup code' }[channel];
}
