import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/cloud/seed';
import { webhookPaths } from '../../src/cloud/index';
import { SANDBOX_TWILIO_CREDENTIALS } from '../../src/cloud/config';
import { backends, callSid, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

const ACCOUNT = SANDBOX_TWILIO_CREDENTIALS.accountSid;
const CALLEE = '+13105552000';
const SOFTPHONE = `client:${DEMO_USERS.receptionist.id}`;

/**
 * B1: an outgoing call must end in the record (status, end time, length) from the callbacks the
 * cloud asks for itself (the <Number> leg's), whether or not the TwiML app has a Status Callback.
 */
describe.each(backends)('outgoing calls end in the record on %s', (backend) => {
  let t: TestCloud;
  let jordan: string;
  beforeAll(async () => {
    t = await startTestCloud(backend);
    jordan = (await t.login('receptionist')).accessToken;
  });
  afterAll(async () => t?.stop());

  const place = async (): Promise<string> => {
    const sid = callSid();
    const twiml = await t.webhook(webhookPaths.outbound, { AccountSid: ACCOUNT, CallSid: sid, From: SOFTPHONE, To: CALLEE });
    // The callee's leg reports to the status webhook, whatever the TwiML app is set to.
    expect(twiml.text).toMatch(new RegExp(`<Number[^>]*statusCallback="[^"]*${webhookPaths.status}"`));
    return sid;
  };
  const leg = (parent: string, legSid: string, CallStatus: string, extra: Record<string, string> = {}) =>
    t.webhook(webhookPaths.status, { AccountSid: ACCOUNT, CallSid: legSid, ParentCallSid: parent, From: '+13105550111', To: CALLEE, CallStatus, ...extra });
  const parentStatus = (sid: string, CallStatus: string, extra: Record<string, string> = {}) =>
    t.webhook(webhookPaths.status, { AccountSid: ACCOUNT, CallSid: sid, From: SOFTPHONE, To: CALLEE, CallStatus, ...extra });
  const callBySid = async (sid: string) => {
    const id = (await t.cloud.db.query<{ id: string }>(`SELECT id FROM calls WHERE twilio_call_sid = $1`, [sid]))[0]!.id;
    return (await t.api(jordan, 'GET', `/v1/calls/${id}`)).body;
  };

  it('an answered call ends when the callee hangs up: completed, end time, talk time (no TwiML app callback)', async () => {
    const sid = await place();
    const callee = callSid();
    for (const status of ['initiated', 'ringing', 'in-progress']) expect((await leg(sid, callee, status)).status).toBe(204);
    expect(await callBySid(sid)).toMatchObject({ status: 'in-progress', endedAt: null, durationSeconds: null });
    for (let i = 0; i < 3; i++) await leg(sid, callee, 'completed', { CallDuration: '37' });
    const call = await callBySid(sid);
    expect(call).toMatchObject({ direction: 'outbound', status: 'completed', durationSeconds: 37, userId: DEMO_USERS.receptionist.id });
    expect(call.endedAt).toEqual(expect.any(String));
    expect(call.answeredAt).toEqual(expect.any(String));
    // The softphone's own leg reporting later (a TwiML app that has a Status Callback) keeps both.
    await parentStatus(sid, 'completed', { CallDuration: '41' });
    expect(await callBySid(sid)).toMatchObject({ status: 'completed', durationSeconds: 37, endedAt: call.endedAt });
    const events = await t.cloud.db.query(`SELECT 1 FROM domain_events WHERE type = 'call.ended' AND call_id = $1`, [call.id]);
    expect(events).toHaveLength(1);
  });

  it('a call the callee never answers ends as no-answer, with its end time', async () => {
    const sid = await place();
    const callee = callSid();
    await leg(sid, callee, 'ringing');
    await leg(sid, callee, 'no-answer', { CallDuration: '0' });
    const call = await callBySid(sid);
    expect(call).toMatchObject({ status: 'no-answer', durationSeconds: 0, answeredAt: null });
    expect(call.endedAt).toEqual(expect.any(String));
  });

  it('the softphone leg alone (the callee never reported) still ends the call', async () => {
    const sid = await place();
    const callee = callSid();
    await leg(sid, callee, 'in-progress');
    await parentStatus(sid, 'completed', { CallDuration: '12' });
    expect(await callBySid(sid)).toMatchObject({ status: 'completed', durationSeconds: 12 });
  });
});
