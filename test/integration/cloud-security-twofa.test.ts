/**
 * Issue [security] #2, the 2FA bypass, replayed on both backends: with only a signed-in session
 * (no password, no verified channel) a user enrolled an authenticator app and used it at once to
 * change the profile phone. Now the first authenticator needs the password re-entered, and a phone
 * change approved while an authenticator is younger than the cooling-off period is held, with
 * notices to the addresses on file and the admins, and can be cancelled meanwhile.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TWO_FACTOR_RULES as RULES, twoFactorPaths } from '../../src/shared/cloud/twofa';
import { backends, stopTestPostgres } from '../support/cloud-harness';
import { email, startTwoFactorCloud, userId, type TwoFactorCloud } from '../support/twofa-harness';

afterAll(stopTestPostgres);

const NEW = '+13105550177';
const HOUR = 3600;

describe.each(backends)('#2 2FA bypass on %s', (backend) => {
  let t: TwoFactorCloud;
  beforeAll(async () => {
    t = await startTwoFactorCloud(backend);
  });
  afterAll(async () => t?.stop());
  beforeEach(async () => {
    await t.reset();
    await t.cloud.db.query(`DELETE FROM notifications`);
  });

  const notifications = async (who: 'receptionist' | 'admin') =>
    (await t.cloud.db.query<{ title: string; message: string }>(`SELECT title, message FROM notifications WHERE user_id = $1 ORDER BY created_at`, [userId(who)]));

  it('the attack sequence: a session alone cannot add the first authenticator; with the password it can, but the phone change it approves is held', async () => {
    const token = await t.token('receptionist');
    // 1. No password: refused by the schema, nothing pending.
    expect((await t.api(token, 'POST', twoFactorPaths.totpBegin, {})).status).toBe(400);
    expect((await t.api(token, 'POST', twoFactorPaths.totpBegin)).status).toBe(400);
    // 2. A wrong password: refused, counted like a wrong code.
    expect(await t.totpBegin('receptionist', 'guess-1')).toMatchObject({ status: 'refused', reason: 'password_invalid' });
    expect(await t.cloud.db.query(`SELECT 1 FROM user_totp WHERE user_id = $1`, [userId('receptionist')])).toEqual([]);
    expect((await t.status('receptionist')).channels).toEqual([]);

    // 3. With the password (an attacker who also has it): the app is enrolled…
    const { secret } = await t.enrolTotp('receptionist');
    expect((await t.status('receptionist')).totpEnabled).toBe(true);
    // …and approves a phone change, which is HELD, not applied.
    const c = await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'totp' });
    if (c.status !== 'started') throw new Error(c.message);
    const verified = await t.verify('receptionist', c.challenge.id, t.totpCode(secret));
    if (verified.status !== 'verified') throw new Error(verified.message);
    const enabledAt = t.clock.ms - 30_000; // enrolTotp moved the clock one step on
    expect(verified.held).toEqual({ id: expect.any(String), newPhone: NEW, appliesAt: new Date(enabledAt + RULES.coolingOffHours * HOUR * 1000).toISOString() });
    expect(verified.profile.phone).toBeNull();
    expect(verified.profile.heldPhoneChange).toEqual(verified.held);
    expect(await t.audit(userId('receptionist'))).toContain('twofa.phone_change_held');
    expect(await t.audit(userId('receptionist'))).not.toContain('user.phone_changed');

    // Notices: the sign-in email on file (even unverified), in-app to the owner and to every admin; never the new number.
    expect(t.outbox.to(email('receptionist')).at(-1)!.body).toMatch(/takes effect on .* UTC unless it is cancelled/);
    expect(t.outbox.to(NEW)).toEqual([]);
    expect((await notifications('receptionist')).map((n) => n.title)).toEqual(['Phone number change waiting']);
    expect((await notifications('admin')).map((n) => n.title)).toEqual(['Phone change waiting for Jordan Lee']);

    // Still held a minute before the end of the cooling-off period; applied once it is over.
    t.clock.ms = Date.parse(verified.held!.appliesAt) - 60_000;
    expect((await t.status('receptionist')).phone).toBeNull();
    t.clock.ms = Date.parse(verified.held!.appliesAt);
    const after = await t.status('receptionist');
    expect(after).toMatchObject({ phone: NEW, phoneVerified: false, heldPhoneChange: null });
    expect(await t.audit(userId('receptionist'))).toEqual(expect.arrayContaining(['twofa.held_phone_change_applied', 'user.phone_changed']));
    // Applied once, however often it is looked at.
    await t.status('receptionist');
    expect(await t.cloud.db.query(`SELECT 1 FROM audit_log WHERE action = 'user.phone_changed' AND entity_id = $1`, [userId('receptionist')])).toHaveLength(1);
  });

  it('five wrong passwords lock the enrolment like five wrong codes', async () => {
    for (let i = 0; i < RULES.maxFailures - 1; i++) expect(await t.totpBegin('receptionist', `guess-${i}`)).toMatchObject({ reason: 'password_invalid' });
    expect(await t.totpBegin('receptionist', 'guess-last')).toMatchObject({ reason: 'too_many_failures', retryAt: expect.any(String) });
    // Locked: even the right password waits.
    expect(await t.totpBegin('receptionist')).toMatchObject({ reason: 'too_many_failures' });
    t.clock.advance(RULES.failureWindowSeconds + 1);
    expect((await t.totpBegin('receptionist')).status).toBe('pending');
  });

  it('a held change can be cancelled by its owner or an admin (not another member), and then never applies', async () => {
    const { secret } = await t.enrolTotp('receptionist');
    const c = await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'totp' });
    if (c.status !== 'started') throw new Error(c.message);
    const verified = await t.verify('receptionist', c.challenge.id, t.totpCode(secret));
    if (verified.status !== 'verified' || !verified.held) throw new Error('not held');
    const cancel = (who: 'receptionist' | 'receptionist2' | 'admin') => t.token(who).then((tok) => t.api(tok, 'POST', twoFactorPaths.cancelHeld(verified.held!.id)));
    expect((await cancel('receptionist2')).status).toBe(403);
    expect((await t.api(await t.token('admin'), 'POST', twoFactorPaths.cancelHeld('hpc_nope'))).status).toBe(404);
    expect(await cancel('admin')).toMatchObject({ status: 200, body: { cancelled: true } });
    expect(await cancel('receptionist')).toMatchObject({ status: 200, body: { cancelled: false } });
    t.clock.advance(RULES.coolingOffHours * HOUR + 60);
    expect(await t.status('receptionist')).toMatchObject({ phone: null, heldPhoneChange: null });
    expect(await t.audit(userId('receptionist'))).toContain('twofa.held_phone_change_cancelled');
  });

  it('an authenticator added by stepping up from a verified email is new too: the change waits; after the period changes apply at once', async () => {
    await t.verifyEmail('receptionist');
    expect(await t.totpBegin('receptionist')).toMatchObject({ reason: 'step_up_required' });
    const up = await t.start('receptionist', { purpose: 'totp_enrol', channel: 'email' });
    if (up.status !== 'started') throw new Error(up.message);
    const enrolled = await t.verify('receptionist', up.challenge.id, t.outbox.lastCode(email('receptionist')));
    if (enrolled.status !== 'verified' || !enrolled.enrolment) throw new Error('no enrolment');
    expect((await t.totpConfirm('receptionist', t.totpCode(enrolled.enrolment.secret))).status).toBe('enabled');
    // Approved by the old, verified email: still held, since a new app was just added.
    const byEmail = await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' });
    if (byEmail.status !== 'started') throw new Error(byEmail.message);
    const held = await t.verify('receptionist', byEmail.challenge.id, t.outbox.lastCode(email('receptionist')));
    expect(held).toMatchObject({ status: 'verified', held: { newPhone: NEW } });
    // After the period, a new change applies at once and replaces the one waiting.
    t.clock.advance(RULES.coolingOffHours * HOUR - 120);
    const later = await t.start('receptionist', { purpose: 'phone_change', newPhone: '+13105550188', channel: 'email' });
    if (later.status !== 'started') throw new Error(later.message);
    t.clock.advance(180);
    const applied = await t.verify('receptionist', later.challenge.id, t.outbox.lastCode(email('receptionist')));
    expect(applied).toMatchObject({ status: 'verified', profile: { phone: '+13105550188', heldPhoneChange: null } });
    expect(applied.status === 'verified' && applied.held).toBeFalsy();
    expect(await t.cloud.db.query(`SELECT closed_reason FROM held_phone_changes WHERE user_id = $1`, [userId('receptionist')])).toEqual([{ closed_reason: 'superseded' }]);
  });

  it('email and phone verification, and changes approved by them, are not held (no new app)', async () => {
    await t.verifyEmail('receptionist');
    const c = await t.start('receptionist', { purpose: 'phone_change', newPhone: NEW, channel: 'email' });
    if (c.status !== 'started') throw new Error(c.message);
    expect(await t.verify('receptionist', c.challenge.id, t.outbox.lastCode(email('receptionist')))).toMatchObject({ status: 'verified', profile: { phone: NEW } });
  });
});
