import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TWO_FACTOR_RULES as RULES, type ChallengeView, type StartResult } from '../../src/shared/cloud/twofa';
import { backends, stopTestPostgres } from '../support/cloud-harness';
import { email, startTwoFactorCloud, userId, type TwoFactorCloud, type Who } from '../support/twofa-harness';

afterAll(stopTestPostgres);

const NEW = '+13105550177';
const NEWER = '+13105550188';

function started(result: StartResult): ChallengeView {
  if (result.status !== 'started') throw new Error(`expected a started challenge, got ${result.reason}: ${result.message}`);
  return result.challenge;
}

describe.each(backends)('2FA-protected profile changes on %s', (backend) => {
  let t: TwoFactorCloud;
  beforeAll(async () => {
    t = await startTwoFactorCloud(backend);
  });
  afterAll(async () => t?.stop());
  beforeEach(async () => t.reset());

  /** Gives `who` a verified email, then a phone set through email and verified by SMS. */
  async function withVerifiedPhone(who: Who, phone: string): Promise<void> {
    await t.verifyEmail(who);
    const c = started(await t.start(who, { purpose: 'phone_change', newPhone: phone, channel: 'email' }));
    expect((await t.verify(who, c.id, t.outbox.lastCode(email(who)))).status).toBe('verified');
    const v = started(await t.start(who, { purpose: 'verify_phone' }));
    expect((await t.verify(who, v.id, t.outbox.lastCode(phone))).status).toBe('verified');
  }

  it('tells a user with no verified channel to set up TOTP or verify email first, before anything is sent', async () => {
    const status = await t.status('receptionist');
    expect(status).toMatchObject({ channels: [], emailVerified: false, phone: null, smsUnavailable: 'no_phone', totpEnabled: false });
    const result = await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' });
    expect(result).toMatchObject({ status: 'refused', reason: 'no_channel' });
    expect(t.outbox.count).toBe(0);
    expect(await t.audit(userId('receptionist'))).toContain('twofa.start_refused');
  });

  it('verifies the email, then changes the phone with an emailed code; the new number gets nothing; codes are stored hashed', async () => {
    await t.verifyEmail('receptionist');
    expect((await t.status('receptionist')).channels).toEqual(['email']);
    const c = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' }));
    expect(c).toMatchObject({ channel: 'email', destination: 'j•••@glowmedspa.example', newPhone: NEW });
    const code = t.outbox.lastCode(email('receptionist'));
    expect(code).toMatch(/^\d{6}$/);
    const stored = await t.cloud.db.query<{ code_hash: string }>(`SELECT code_hash FROM two_factor_challenges WHERE id = $1`, [c.id]);
    expect(stored[0]!.code_hash).not.toContain(code);
    expect(stored[0]!.code_hash.length).toBeGreaterThan(20);
    const result = await t.verify('receptionist', c.id, code);
    expect(result).toMatchObject({ status: 'verified', purpose: 'phone_change', profile: { phone: NEW, phoneVerified: false, smsUnavailable: 'phone_unverified' } });
    expect(t.outbox.to(NEW)).toEqual([]);
    // The old verified channel (email) gets a notice of the change.
    expect(t.outbox.emails.at(-1)).toMatchObject({ to: email('receptionist'), subject: 'Your Aesthetix phone number was changed' });
    const me = await t.api(await t.token('receptionist'), 'GET', '/v1/me');
    expect(me.body.phone ?? me.body.phoneNumber ?? NEW).toBe(NEW);
    const actions = await t.audit(userId('receptionist'));
    for (const step of ['twofa.challenge_started', 'twofa.code_delivered', 'twofa.verified', 'user.phone_changed', 'twofa.change_notice_sent', 'twofa.channel_verified']) {
      expect(actions).toContain(step);
    }
  });

  it('offers SMS only for a verified current phone, sends it only there, and notifies the old number after the change', async () => {
    await t.verifyEmail('receptionist');
    const c = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' }));
    await t.verify('receptionist', c.id, t.outbox.lastCode(email('receptionist')));
    // The new number is unusable for codes until verified in its own right.
    expect(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEWER, channel: 'sms' })).toMatchObject({ status: 'refused', reason: 'sms_not_offered' });
    expect(t.outbox.to(NEW)).toEqual([]);
    const v = started(await t.start('receptionist', { purpose: 'verify_phone' }));
    expect(v.destination).toBe('•••• 0177');
    expect((await t.verify('receptionist', v.id, t.outbox.lastCode(NEW))).status).toBe('verified');
    expect((await t.status('receptionist')).channels).toEqual(['email', 'sms']);

    const sms = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEWER, channel: 'sms' }));
    expect(sms.destination).toBe('•••• 0177');
    const smsCode = t.outbox.lastCode(NEW);
    expect(t.outbox.to(NEWER)).toEqual([]);
    expect(await t.verify('receptionist', sms.id, smsCode)).toMatchObject({ status: 'verified', profile: { phone: NEWER, phoneVerified: false, channels: ['email'] } });
    expect(t.outbox.sms.at(-1)!.to).toBe(NEW);
    expect(t.outbox.sms.at(-1)!.body).toMatch(/changed from •••• 0177 to •••• 0188/);
    expect(t.outbox.sms.at(-1)!.from).toMatch(/^\+1/);
    expect(t.outbox.to(NEWER)).toEqual([]);
  });

  it('texts codes only where the call policy lets the practice’s texts go: a refused number gets no challenge, no code, no attempt', async () => {
    const JAMAICA = '+18765550123'; // +1 876 is Jamaica, not the US: the number's own country decides
    const UK = '+442079460123'; // a London number
    const admin = await t.token('admin');
    const allow = async (allowedCountries: string[] | null) => expect((await t.api(admin, 'PUT', '/v1/call-policy', { allowedCountries })).status).toBe(200);
    const challenges = async () => (await t.cloud.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM two_factor_challenges WHERE user_id = $1`, [userId('receptionist')]))[0]!.n;
    const refusals = async () =>
      t.cloud.db.query<{ details: { purpose: string; reason: string; country: string; to: string } }>(
        `SELECT details FROM audit_log WHERE action = 'twofa.start_refused' AND entity_id = $1 AND details->>'reason' = 'destination_not_allowed' ORDER BY id`,
        [userId('receptionist')],
      );
    await t.verifyEmail('receptionist');
    const before = { challenges: await challenges(), sent: t.outbox.count };

    // A change to a number abroad: refused before a code is sent anywhere (it could only be verified by a text the policy refuses).
    expect(await t.start('receptionist', { purpose: 'phone_change', newPhone: JAMAICA, channel: 'email' })).toMatchObject({
      status: 'refused',
      reason: 'destination_not_allowed',
      message: expect.stringMatching(/^That number cannot be verified by text message\. Texts to Jamaica \(JM\) are not allowed .*Settings → Call policy/),
    });
    // A phone already abroad (set before the policy was narrowed): verifying it texts nothing.
    await t.cloud.db.query(`UPDATE users SET phone = $2 WHERE id = $1`, [userId('receptionist'), UK]);
    expect(await t.start('receptionist', { purpose: 'verify_phone' })).toMatchObject({ reason: 'destination_not_allowed', message: expect.stringContaining('United Kingdom (GB)') });
    expect(t.outbox.count).toBe(before.sent);
    expect(await challenges()).toBe(before.challenges);
    expect((await t.status('receptionist')).attemptsToday.used).toBe(0);
    expect((await refusals()).map((r) => r.details)).toEqual([
      { purpose: 'phone_change', reason: 'destination_not_allowed', country: 'JM', to: '•••• 0123' },
      { purpose: 'verify_phone', reason: 'destination_not_allowed', country: 'GB', to: '•••• 0123' },
    ]);

    // The admin allows the UK: the same request texts the code, and the phone is verified.
    await allow(['US', 'GB']);
    const v = started(await t.start('receptionist', { purpose: 'verify_phone' }));
    expect((await t.verify('receptionist', v.id, t.outbox.lastCode(UK))).status).toBe('verified');
    const bySms = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'sms' }));
    const textedToUk = t.outbox.to(UK).length;

    // Narrowed again: neither a resend nor a new step-up texts the verified UK phone; email still works.
    await allow(null);
    t.clock.advance(RULES.resendAfterSeconds);
    expect(await t.resend('receptionist', bySms.id)).toMatchObject({ reason: 'destination_not_allowed', message: expect.stringMatching(/^The code cannot be texted to this number\./) });
    expect(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'sms' })).toMatchObject({ reason: 'destination_not_allowed' });
    expect(t.outbox.to(UK)).toHaveLength(textedToUk);
    const stored = await t.cloud.db.query<{ send_count: number; closed_at: string | null }>(`SELECT send_count, closed_at FROM two_factor_challenges WHERE id = $1`, [bySms.id]);
    expect(stored).toEqual([{ send_count: 1, closed_at: null }]); // the refused resend changed nothing
    expect(await t.audit(userId('receptionist'))).toContain('twofa.resend_refused');
    started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' }));
  });

  it('refuses channels that are not verified and a change to the same number', async () => {
    await t.verifyEmail('receptionist');
    expect(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'totp' })).toMatchObject({ reason: 'channel_unavailable' });
    expect(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'backup_code' })).toMatchObject({ reason: 'channel_unavailable' });
    const c = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' }));
    await t.verify('receptionist', c.id, t.outbox.lastCode(email('receptionist')));
    expect(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' })).toMatchObject({ reason: 'same_number' });
    const bad = await t.api(await t.token('receptionist'), 'POST', '/v1/2fa/challenges', { purpose: 'phone_change', newPhone: '555-0101', channel: 'email' });
    expect(bad.status).toBe(400);
  });

  it('codes are valid for 10 minutes and work once', async () => {
    await t.verifyEmail('receptionist');
    const a = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' }));
    const code = t.outbox.lastCode(email('receptionist'));
    t.clock.advance(RULES.codeTtlSeconds);
    expect(await t.verify('receptionist', a.id, code)).toMatchObject({ status: 'refused', reason: 'code_expired' });

    const b = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' }));
    const codeB = t.outbox.lastCode(email('receptionist'));
    t.clock.advance(RULES.codeTtlSeconds - 1);
    expect((await t.verify('receptionist', b.id, codeB)).status).toBe('verified');
    expect(await t.verify('receptionist', b.id, codeB)).toMatchObject({ status: 'refused', reason: 'challenge_closed' });
  });

  it('counts wrong codes per user across resends and challenges, then locks until the window passes', async () => {
    await t.verifyEmail('receptionist');
    const a = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' }));
    const right = t.outbox.lastCode(email('receptionist'));
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 2; i++) {
      expect(await t.verify('receptionist', a.id, wrong)).toMatchObject({ reason: 'code_invalid', message: expect.stringContaining(`${RULES.maxFailures - i} tries left`) });
    }
    t.clock.advance(RULES.resendAfterSeconds);
    started(await t.resend('receptionist', a.id)); // a resend does not reset the count
    expect(await t.verify('receptionist', a.id, right)).toMatchObject({ reason: 'code_invalid' }); // the old code died with the resend
    const b = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' })); // nor does a new attempt
    expect(b.failuresLeft).toBe(2);
    const codeB = t.outbox.lastCode(email('receptionist'));
    expect(await t.verify('receptionist', b.id, wrong)).toMatchObject({ reason: 'code_invalid' });
    const locked = await t.verify('receptionist', b.id, wrong);
    expect(locked).toMatchObject({ status: 'refused', reason: 'too_many_failures' });
    // Locked: even the right code is refused, and no new attempt can start.
    expect(await t.verify('receptionist', b.id, codeB)).toMatchObject({ reason: 'challenge_closed' });
    expect(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' })).toMatchObject({ reason: 'too_many_failures' });
    expect((await t.status('receptionist')).lockedUntil).not.toBeNull();
    // Another user is not affected.
    await t.verifyEmail('receptionist2');
    t.clock.advance(RULES.failureWindowSeconds);
    const c = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' }));
    expect((await t.verify('receptionist', c.id, t.outbox.lastCode(email('receptionist')))).status).toBe('verified');
  });

  it('resends only after the timer, with a fresh code, a limited number of times', async () => {
    await t.verifyEmail('receptionist');
    const c = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' }));
    expect(Date.parse(c.resendAvailableAt!) - t.clock.ms).toBe(RULES.resendAfterSeconds * 1000);
    const early = await t.resend('receptionist', c.id);
    expect(early).toMatchObject({ status: 'refused', reason: 'resend_too_soon', retryAt: c.resendAvailableAt });
    t.clock.advance(RULES.resendAfterSeconds - 1);
    expect(await t.resend('receptionist', c.id)).toMatchObject({ reason: 'resend_too_soon' });
    const sent = t.outbox.count;
    for (let i = 1; i < RULES.maxSendsPerChallenge; i++) {
      t.clock.advance(RULES.resendAfterSeconds);
      started(await t.resend('receptionist', c.id));
    }
    expect(t.outbox.count).toBe(sent + RULES.maxSendsPerChallenge - 1);
    t.clock.advance(RULES.resendAfterSeconds);
    expect(await t.resend('receptionist', c.id)).toMatchObject({ reason: 'resend_limit' });
    expect((await t.verify('receptionist', c.id, t.outbox.lastCode(email('receptionist')))).status).toBe('verified');
  });

  it('allows 5 change attempts per user per rolling day; the 6th is refused with the reset time', async () => {
    await t.verifyEmail('receptionist');
    const first = t.clock.ms;
    for (let i = 0; i < RULES.maxAttemptsPerDay; i++) {
      started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' }));
      t.clock.advance(600);
    }
    const sixth = await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' });
    expect(sixth).toMatchObject({ status: 'refused', reason: 'daily_limit', retryAt: new Date(first + 86_400_000).toISOString() });
    expect((await t.status('receptionist')).attemptsToday).toMatchObject({ used: 5, limit: 5 });
    expect(await t.audit(userId('receptionist'))).toContain('twofa.start_refused');
    t.clock.ms = first + 86_400_000 - 1;
    expect(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' })).toMatchObject({ reason: 'daily_limit' });
    t.clock.ms = first + 86_400_000;
    started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' }));
  });

  it('enrols an authenticator by QR URI; TOTP accepted within ±1 step, each step once', async () => {
    const { secret, backupCodes } = await t.enrolTotp('receptionist');
    expect(backupCodes).toHaveLength(RULES.backupCodeCount);
    const stored = await t.cloud.db.query<{ secret_sealed: string }>(`SELECT secret_sealed FROM user_totp WHERE user_id = $1`, [userId('receptionist')]);
    expect(stored[0]!.secret_sealed).not.toContain(secret);
    expect((await t.status('receptionist')).channels).toEqual(['totp']);
    // Past the step the enrolment spent, and past the cooling-off period (a phone change approved
    // by a younger authenticator is held: cloud-security-twofa.test.ts).
    t.clock.advance(RULES.coolingOffHours * 3600 + 60);

    const c = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'totp' }));
    expect(c).toMatchObject({ destination: null, resendAvailableAt: null });
    expect(t.outbox.count).toBe(0);
    expect(await t.verify('receptionist', c.id, t.totpCode(secret, -2))).toMatchObject({ reason: 'code_invalid' });
    expect(await t.verify('receptionist', c.id, t.totpCode(secret, 2))).toMatchObject({ reason: 'code_invalid' });
    expect((await t.verify('receptionist', c.id, t.totpCode(secret, -1))).status).toBe('verified');

    // Replay: the same code (same step) in a new attempt is rejected; so is an older step.
    const d = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEWER, channel: 'totp' }));
    expect(await t.verify('receptionist', d.id, t.totpCode(secret, -1))).toMatchObject({ reason: 'code_invalid', message: expect.stringContaining('already used') });
    expect((await t.verify('receptionist', d.id, t.totpCode(secret, 1))).status).toBe('verified');
    expect(await t.audit(userId('receptionist'))).toEqual(expect.arrayContaining(['twofa.totp_enrol_started', 'twofa.totp_enabled', 'twofa.verify_failed', 'user.phone_changed']));
  });

  it('backup codes: stored hashed, each works once (lost access to email and phone)', async () => {
    const { backupCodes } = await t.enrolTotp('receptionist');
    const rows = await t.cloud.db.query<{ code_hash: string }>(`SELECT code_hash FROM user_backup_codes WHERE user_id = $1`, [userId('receptionist')]);
    expect(rows.map((r) => r.code_hash)).not.toContain(backupCodes[0]);
    const c = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'backup_code' }));
    expect((await t.verify('receptionist', c.id, backupCodes[0]!.toUpperCase())).status).toBe('verified');
    expect((await t.status('receptionist')).backupCodesLeft).toBe(RULES.backupCodeCount - 1);
    const d = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEWER, channel: 'backup_code' }));
    expect(await t.verify('receptionist', d.id, backupCodes[0]!)).toMatchObject({ reason: 'code_invalid' });
    expect(await t.audit(userId('receptionist'))).toContain('twofa.backup_code_used');
  });

  it('a user who already has a channel must step up before enrolling an authenticator', async () => {
    await t.verifyEmail('receptionist');
    expect(await t.totpBegin('receptionist')).toMatchObject({ status: 'refused', reason: 'step_up_required' });
    const c = started(await t.start('receptionist', { purpose: 'totp_enrol', channel: 'email' }));
    const verified = await t.verify('receptionist', c.id, t.outbox.lastCode(email('receptionist')));
    if (verified.status !== 'verified' || !verified.enrolment) throw new Error('no enrolment');
    expect(verified.enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\/Aesthetix:jordan%40glowmedspa\.example\?secret=/);
    expect(await t.totpConfirm('receptionist', '000000')).toMatchObject({ reason: 'code_invalid' });
    expect((await t.totpConfirm('receptionist', t.totpCode(verified.enrolment.secret))).status).toBe('enabled');
    expect((await t.status('receptionist')).channels).toEqual(['email', 'totp']);
  });

  it("an admin changes a member's number with a code sent to the member's channels, under the member's limits", async () => {
    await t.verifyEmail('receptionist2');
    // Not an admin: refused.
    const notAdmin = await t.api(await t.token('receptionist'), 'POST', '/v1/2fa/challenges', { purpose: 'phone_change', newPhone: NEW, channel: 'email', targetUserId: userId('receptionist2') });
    expect(notAdmin.status).toBe(403);
    expect((await t.status('admin', 'receptionist2')).channels).toEqual(['email']);
    const c = started(await t.start('admin', { purpose: 'phone_change', newPhone: NEW, channel: 'email', targetUserId: userId('receptionist2') }));
    expect(c).toMatchObject({ targetUserId: userId('receptionist2'), destination: 'a•••@glowmedspa.example' });
    expect(t.outbox.to(email('admin'))).toEqual([]);
    const code = t.outbox.lastCode(email('receptionist2'));
    // Only the admin who asked can use the challenge.
    expect((await t.api(await t.token('receptionist2'), 'POST', `/v1/2fa/challenges/${c.id}/verify`, { code })).status).toBe(404);
    expect(await t.verify('admin', c.id, code)).toMatchObject({ status: 'verified', profile: { userId: userId('receptionist2'), phone: NEW } });
    expect(t.outbox.emails.at(-1)!.text).toContain('by Dr. Maya Chen');
    for (let i = 1; i < RULES.maxAttemptsPerDay; i++) started(await t.start('admin', { purpose: 'phone_change', newPhone: NEWER, channel: 'email', targetUserId: userId('receptionist2') }));
    expect(await t.start('receptionist2', { purpose: 'phone_change', newPhone: NEWER, channel: 'email' })).toMatchObject({ reason: 'daily_limit' });
    // The admin's own limit is untouched.
    expect((await t.status('admin')).attemptsToday.used).toBe(0);
  });

  it('an admin can use the member’s authenticator code', async () => {
    const { secret } = await t.enrolTotp('receptionist2');
    const c = started(await t.start('admin', { purpose: 'phone_change', newPhone: NEW, channel: 'totp', targetUserId: userId('receptionist2') }));
    expect((await t.verify('admin', c.id, t.totpCode(secret))).status).toBe('verified');
  });

  it('two concurrent verifications of the same code: exactly one succeeds', async () => {
    await t.verifyEmail('receptionist');
    const before = Number((await t.cloud.db.query<{ id: number }>(`SELECT coalesce(max(id), 0) AS id FROM audit_log`))[0]!.id);
    for (let round = 0; round < 3; round++) {
      const c = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: round % 2 ? NEW : NEWER, channel: 'email' }));
      const code = t.outbox.lastCode(email('receptionist'));
      const results = await Promise.all([t.verify('receptionist', c.id, code), t.verify('receptionist', c.id, code)]);
      expect(results.filter((r) => r.status === 'verified')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'refused' && r.reason === 'challenge_closed')).toHaveLength(1);
    }
    const changes = await t.cloud.db.query(`SELECT 1 FROM audit_log WHERE action = 'user.phone_changed' AND entity_id = $1 AND id > $2`, [userId('receptionist'), before]);
    expect(changes).toHaveLength(3);
  });

  it('two concurrent TOTP verifications of the same code: exactly one succeeds', async () => {
    const { secret } = await t.enrolTotp('receptionist');
    const a = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'totp' }));
    const code = t.totpCode(secret);
    const results = await Promise.all([t.verify('receptionist', a.id, code), t.verify('receptionist', a.id, code)]);
    expect(results.map((r) => r.status).sort()).toEqual(['refused', 'verified']);
  });

  it('a code that cannot be delivered closes its attempt with a clear reason', async () => {
    await t.verifyEmail('receptionist');
    t.outbox.failEmail = true;
    try {
      expect(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' })).toMatchObject({ status: 'refused', reason: 'delivery_failed' });
    } finally {
      t.outbox.failEmail = false;
    }
    expect(await t.audit(userId('receptionist'))).toContain('twofa.delivery_failed');
    const open = await t.cloud.db.query(`SELECT 1 FROM two_factor_challenges WHERE user_id = $1 AND closed_at IS NULL`, [userId('receptionist')]);
    expect(open).toHaveLength(0);
  });

  it('a newer attempt supersedes the open one', async () => {
    await t.verifyEmail('receptionist');
    const a = started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' }));
    const codeA = t.outbox.lastCode(email('receptionist'));
    started(await t.start('receptionist', { purpose: 'phone_change', newPhone: NEWER, channel: 'email' }));
    expect(await t.verify('receptionist', a.id, codeA)).toMatchObject({ reason: 'challenge_closed' });
  });

  it('requires sign-in', async () => {
    const res = await fetch(t.cloud.url + '/v1/2fa/status');
    expect(res.status).toBe(401);
  });

  it('verification of a phone set with a verified phone requires the SMS to that phone', async () => {
    await withVerifiedPhone('receptionist2', NEW);
    expect((await t.status('receptionist2')).channels).toEqual(['email', 'sms']);
  });
});
