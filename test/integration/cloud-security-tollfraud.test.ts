/**
 * Issue [security], "Also": toll fraud. Outbound calls and transfers went to any valid number.
 * Now the practice's call policy decides: allowed destination countries (default: the practice's
 * own country) and a per-user cap on dials per hour, reserved atomically. Both backends.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_TWILIO_CREDENTIALS } from '../../src/cloud/config';
import { webhookPaths } from '../../src/cloud/index';
import { DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import { callPolicyPath } from '../../src/shared/cloud/call-policy';
import { backends, callSid, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

const ACCOUNT = SANDBOX_TWILIO_CREDENTIALS.accountSid;
const JAMAICA = '+18765550123';
const TORONTO = '+14165550123';
const LOS_ANGELES = '+13105552000';

describe.each(backends)('toll fraud on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  beforeAll(async () => {
    t = await startTestCloud(backend);
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
  });
  afterAll(async () => t?.stop());
  beforeEach(async () => {
    await t.cloud.db.query(`DELETE FROM outbound_dials`);
    await t.cloud.db.query(`UPDATE accounts SET call_countries = NULL, outbound_calls_per_user_hour = 60`);
  });

  const dial = (to: string, who: keyof typeof DEMO_USERS = 'receptionist') =>
    t.webhook(webhookPaths.outbound, { AccountSid: ACCOUNT, CallSid: callSid(), From: `client:${DEMO_USERS[who].id}`, To: to });

  it('the policy: everyone reads it, only admins change it, bad countries and caps are refused, changes are audited', async () => {
    expect((await t.api(jordan, 'GET', callPolicyPath)).body).toEqual({ country: 'US', allowedCountries: ['US'], usingDefault: true, outboundCallsPerUserHour: 60 });
    expect((await t.api(jordan, 'PUT', callPolicyPath, { allowedCountries: ['US', 'JM'] })).status).toBe(403);
    for (const bad of [{ allowedCountries: ['XX'] }, { allowedCountries: ['usa'] }, { allowedCountries: [] }, { outboundCallsPerUserHour: 0 }, { outboundCallsPerUserHour: 1e6 }, { whatever: true }]) {
      expect((await t.api(admin, 'PUT', callPolicyPath, bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await t.api(admin, 'PUT', callPolicyPath, { allowedCountries: ['us', 'CA', 'CA'], outboundCallsPerUserHour: 5 })).body).toEqual({
      country: 'US', allowedCountries: ['US', 'CA'], usingDefault: false, outboundCallsPerUserHour: 5,
    });
    expect((await t.api(admin, 'PUT', callPolicyPath, { allowedCountries: null })).body).toMatchObject({ allowedCountries: ['US'], usingDefault: true, outboundCallsPerUserHour: 5 });
    expect(await t.cloud.db.query(`SELECT 1 FROM audit_log WHERE action = 'account.call_policy_changed'`)).toHaveLength(2);
  });

  it('outbound calls: only allowed countries (+1 876 is Jamaica, not the US); a refusal is spoken, listed and notified', async () => {
    expect((await dial(LOS_ANGELES)).text).toContain('<Dial');
    for (const to of [JAMAICA, TORONTO, '+442071234567']) {
      const refused = await dial(to);
      expect(refused.text, to).not.toContain('<Dial');
      expect(refused.text).toContain('Calls to this country are not allowed for your practice.');
    }
    const listed = await t.cloud.db.query<{ status: string; note: string }>(`SELECT status, note FROM calls WHERE to_number = $1`, [JAMAICA]);
    expect(listed).toEqual([{ status: 'rejected', note: expect.stringContaining('Calls to Jamaica (JM) are not allowed for your practice') }]);
    const notes = (await t.api(jordan, 'GET', '/v1/notifications')).body as { title: string; message: string; redirect: string }[];
    expect(notes.find((n) => n.message.startsWith(JAMAICA))).toMatchObject({ title: 'Call not placed: destination not allowed', redirect: expect.stringMatching(/^call:call_/) });
    // The admin allows Canada: Toronto goes through, Jamaica still does not.
    await t.api(admin, 'PUT', callPolicyPath, { allowedCountries: ['US', 'CA'] });
    expect((await dial(TORONTO)).text).toContain('<Dial');
    expect((await dial(JAMAICA)).text).not.toContain('<Dial');
    expect(await t.cloud.db.query(`SELECT to_number FROM outbound_dials ORDER BY id`)).toEqual([{ to_number: LOS_ANGELES }, { to_number: TORONTO }]);
  });

  it('the hourly cap holds under concurrency: 25 simultaneous dials with a cap of 4 place exactly 4, per user', async () => {
    await t.api(admin, 'PUT', callPolicyPath, { outboundCallsPerUserHour: 4 });
    const results = await Promise.all(Array.from({ length: 25 }, () => dial(LOS_ANGELES)));
    expect(results.filter((r) => r.text.includes('<Dial'))).toHaveLength(4);
    // Every other one is refused: by the cap, or — on a machine busy enough that the cloud's admission
    // gate sheds load — at the door with 503 + Retry-After (Twilio asks again later). Nothing else.
    const refused = results.filter((r) => !r.text.includes('<Dial'));
    const capped = refused.filter((r) => r.text.includes('hourly limit of outbound calls'));
    expect(refused.filter((r) => !capped.includes(r) && r.status !== 503).map((r) => `${r.status} ${r.text.slice(0, 300)}`)).toEqual([]);
    expect(capped.length).toBeGreaterThan(0);
    // Another user has a cap of their own.
    expect((await dial(LOS_ANGELES, 'receptionist2')).text).toContain('<Dial');
    // An hour later the slots are free again.
    await t.cloud.db.query(`UPDATE outbound_dials SET at = at - interval '61 minutes'`);
    expect((await dial(LOS_ANGELES)).text).toContain('<Dial');
  });

  it('transfers to a number: the same countries and the same cap; clear codes for the desktop', async () => {
    const sid = callSid();
    const ring = await t.webhook(webhookPaths.inbound, { CallSid: sid, AccountSid: ACCOUNT, From: '+13105552007', To: DEMO_NUMBERS.beverlyHillsMain.number, CallStatus: 'ringing', Direction: 'inbound' });
    const callId = /callId=(call_[a-z0-9]+)/.exec(ring.text)![1]!;
    await t.webhook(webhookPaths.status, { AccountSid: ACCOUNT, CallSid: callSid(), ParentCallSid: sid, From: '+13105552007', To: `client:${DEMO_USERS.receptionist.id}`, CallStatus: 'in-progress' });
    t.rest.calls.length = 0;
    const refused = await t.api(jordan, 'POST', `/v1/calls/${callId}/transfer`, { toNumber: JAMAICA });
    expect(refused).toMatchObject({ status: 403, body: { code: 'CALL_DESTINATION_NOT_ALLOWED', detail: expect.stringContaining('Jamaica') } });
    expect(t.rest.calls).toEqual([]);
    await t.api(admin, 'PUT', callPolicyPath, { outboundCallsPerUserHour: 1 });
    expect((await t.api(jordan, 'POST', `/v1/calls/${callId}/transfer`, { toNumber: LOS_ANGELES })).status).toBe(200);
    const capped = await t.api(jordan, 'POST', `/v1/calls/${callId}/transfer`, { toNumber: LOS_ANGELES });
    expect(capped).toMatchObject({ status: 429, body: { code: 'OUTBOUND_CALL_LIMIT' } });
    expect(t.rest.calls).toHaveLength(1);
    // Transfers to a teammate are not dials out: never capped.
    expect((await t.api(jordan, 'POST', `/v1/calls/${callId}/transfer`, { toUserId: DEMO_USERS.receptionist2.id })).status).toBe(200);
  });
});
