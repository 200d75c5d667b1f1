/**
 * Each number's Voice Fallback URL: when the inbound webhook fails (the database down, the server
 * refusing under load), Twilio asks the fallback, which answers without the database — the caller
 * still rings through to the front desk instead of hearing "an application error has occurred".
 */
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { SANDBOX_TWILIO_CREDENTIALS } from '../../src/cloud/config';
import { webhookPaths } from '../../src/cloud/index';
import { DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { SignalingDevice } from '../support/signaling-device';

afterAll(stopTestPostgres);

const CALLER = '+13105552007';

describe.each(backends)('the voice fallback on %s', (backend) => {
  let t: TestCloud;
  let sandbox: Sandbox;
  let jordan: SignalingDevice;

  beforeAll(async () => {
    sandbox = await startSandbox({ ...SANDBOX_TWILIO_CREDENTIALS, callbackRetryBaseMs: 50, sayMsPerChar: 2 });
    t = await startTestCloud(backend, {
      twilio: { ...SANDBOX_TWILIO_CREDENTIALS, restBaseUrl: sandbox.restBaseUrl, restCaPem: sandbox.caPem, accessTokenTtlSeconds: 3600 },
    });
    for (const n of Object.values(DEMO_NUMBERS)) {
      sandbox.control.addNumber({
        phoneNumber: n.number,
        voiceUrl: t.cloud.publicUrl + webhookPaths.inbound,
        voiceFallbackUrl: t.cloud.publicUrl + webhookPaths.fallback,
        statusCallback: t.cloud.publicUrl + webhookPaths.status,
      });
    }
    const session = await t.login('receptionist');
    const token = (await t.api(session.accessToken, 'POST', '/v1/twilio/token')).body.token as string;
    jordan = await SignalingDevice.connect(sandbox, DEMO_USERS.receptionist.id, token);
  });
  afterAll(async () => {
    jordan?.close();
    await sandbox?.stop();
    await t?.stop();
  });

  const cloudCall = async (sid: string) =>
    (await t.cloud.db.query<{
      status: string; phone_number_id: string | null; direction: string; from_number: string; rang_user_ids: string[]; recordings: { kind?: string; durationSeconds: number | null }[];
    }>(`SELECT status, phone_number_id, direction, from_number, rang_user_ids, recordings FROM calls WHERE twilio_call_sid = $1`, [sid]))[0];

  /** A call Jordan rejects: voicemail, and the caller hangs up during the message. */
  async function rejectedCall(sid: string, greeting: string): Promise<void> {
    const invite = await jordan.nextInvite();
    expect(invite.parameters.From).toBe(CALLER);
    jordan.send('reject', { callsid: invite.callsid });
    await sandbox.control.waitFor((e) => e.type === 'twiml.say' && e.callSid === sid && String(e.text).includes(greeting), 15_000);
    await sandbox.control.waitFor((e) => e.type === 'twiml.verb' && e.callSid === sid && e.verb === 'Record', 15_000);
    await new Promise((r) => setTimeout(r, 800)); // past the beep: the message is being recorded
    sandbox.control.partyHangsUp(sid); // during the message
    await sandbox.control.waitForCallStatus(sid, 'completed', 15_000);
  }

  /** The fallback's answer for a call to `to`, asked directly (what Twilio would get now). */
  const fallbackAnswer = async (to: string) =>
    (await t.webhook(webhookPaths.fallback, {
      CallSid: 'CA0000000000000000000000000000pr', AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, From: CALLER, To: to,
      ErrorCode: '11200', ErrorUrl: t.cloud.publicUrl + webhookPaths.inbound,
    })).text;

  it('before any call to it, a call whose inbound webhook fails rings the line’s users; unanswered, it is a missed call with its voicemail kept', async () => {
    // No call has been routed since the cloud started: the fallback read the numbers' routing a moment after start.
    await expect.poll(() => fallbackAnswer(DEMO_NUMBERS.jordanDirect.number), { timeout: 20_000 }).toContain(`<Identity>${DEMO_USERS.receptionist.id}</Identity>`);
    sandbox.control.failWebhooks(webhookPaths.inbound, 1);
    const sid = sandbox.control.placeInboundCall({ from: CALLER, to: DEMO_NUMBERS.jordanDirect.number, hangupAfterMs: 60_000 });
    const fallback = await sandbox.control.waitFor((e) => e.type === 'twiml.fallback' && e.callSid === sid, 15_000);
    expect(fallback).toMatchObject({ errorCode: 11200 });
    expect(String(fallback.errorUrl)).toContain(webhookPaths.inbound);
    // The softphone rings (no cloud call id yet: the screen pop comes from the caller's number);
    // Jordan rejects, the caller leaves a message and hangs up during it.
    await rejectedCall(sid, 'leave a message');
    // The recording's callback came before the call's status callback, with no row to file it under
    // yet: it names the caller and the number, so the message is kept, on the call's record.
    // Filed by the first of its <Dial>'s callbacks, which say whom the fallback rang: unanswered, it is a
    // missed call like any other, and Jordan is told.
    await expect.poll(() => cloudCall(sid), { timeout: 15_000 }).toMatchObject({
      phone_number_id: DEMO_NUMBERS.jordanDirect.id, direction: 'inbound', from_number: CALLER, status: 'missed',
      rang_user_ids: [DEMO_USERS.receptionist.id], recordings: [expect.objectContaining({ kind: 'voicemail' })],
    });
    const told = await t.cloud.db.query<{ title: string }>(`SELECT title FROM notifications WHERE user_id = $1 AND dedupe_key = $2`, [DEMO_USERS.receptionist.id, `missed-call:${sid}`]);
    expect(told.map((n) => n.title)).toEqual(['Missed call']);
  });

  it('a routing change reaches the fallback without a call, and a number it knows nothing of takes a message', async () => {
    const admin = (await t.login('admin')).accessToken;
    const SM = DEMO_NUMBERS.santaMonicaMain;
    await expect.poll(() => fallbackAnswer(SM.number), { timeout: 10_000 }).toContain('<Client');
    expect((await t.api(admin, 'PATCH', `/v1/numbers/${SM.id}`, { forwardingNumber: '+13105550177' })).status).toBe(200);
    await expect.poll(() => fallbackAnswer(SM.number), { timeout: 10_000 }).toMatch(/<Number[^>]*>\+13105550177<\/Number>/);
    expect((await t.api(admin, 'PATCH', `/v1/numbers/${SM.id}`, { forwardingNumber: null })).status).toBe(200);
    await expect.poll(() => fallbackAnswer(SM.number), { timeout: 10_000 }).toContain('<Client');

    // A number Twilio sends here that the cloud does not have: a message rather than an application error.
    const stranger = '+13105550999';
    sandbox.control.addNumber({ phoneNumber: stranger, voiceUrl: t.cloud.publicUrl + webhookPaths.inbound, voiceFallbackUrl: t.cloud.publicUrl + webhookPaths.fallback });
    sandbox.control.failWebhooks(webhookPaths.inbound, 1);
    const before = jordan.invites.length;
    const sid = sandbox.control.placeInboundCall({ from: CALLER, to: stranger, hangupAfterMs: 60_000 });
    await sandbox.control.waitFor((e) => e.type === 'twiml.say' && e.callSid === sid && String(e.text).includes('cannot take your call right now'), 15_000);
    await sandbox.control.waitFor((e) => e.type === 'twiml.verb' && e.callSid === sid && e.verb === 'Record', 15_000);
    sandbox.control.partyHangsUp(sid);
    await sandbox.control.waitForCallStatus(sid, 'completed', 15_000);
    expect(jordan.invites.length).toBe(before);
  });

  it('a fallback call is filed by whichever of its callbacks comes first, only under one of the account’s numbers and with its own users', async () => {
    const vm = (sid: string, to: string, recordingSid: string) =>
      t.webhook(`${webhookPaths.recording}?kind=voicemail&from=${encodeURIComponent(CALLER)}&to=${encodeURIComponent(to)}`, {
        AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, CallSid: sid, RecordingSid: recordingSid, RecordingUrl: 'https://api.twilio.com/rec/RE1', RecordingStatus: 'completed', RecordingDuration: '11',
      });
    const sid = 'CA0000000000000000000000000000vm';
    expect((await vm(sid, DEMO_NUMBERS.beverlyHillsMain.number, `RE${'1'.repeat(32)}`)).status).toBe(204);
    expect(await cloudCall(sid)).toMatchObject({
      phone_number_id: DEMO_NUMBERS.beverlyHillsMain.id, direction: 'inbound', recordings: [expect.objectContaining({ kind: 'voicemail', durationSeconds: 11 })],
    });
    // A replay changes nothing, and files no second call.
    expect((await vm(sid, DEMO_NUMBERS.beverlyHillsMain.number, `RE${'1'.repeat(32)}`)).status).toBe(204);
    expect(await t.cloud.db.query(`SELECT id FROM calls WHERE twilio_call_sid = $1`, [sid])).toHaveLength(1);
    // The fallback's ringing files its call from the first leg's status callback, with whom it rang:
    // only the account's own users count.
    const rung = 'CA0000000000000000000000000000rg';
    const leg = await t.webhook(`${webhookPaths.status}?from=${encodeURIComponent(CALLER)}&to=${encodeURIComponent(DEMO_NUMBERS.jordanDirect.number)}&rang=${DEMO_USERS.receptionist.id}%2Cusr_of_another_practice`, {
      AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, CallSid: 'CA0000000000000000000000000000lg', ParentCallSid: rung, CallStatus: 'ringing',
      From: CALLER, To: `client:${DEMO_USERS.receptionist.id}`,
    });
    expect(leg.status).toBe(204);
    expect(await cloudCall(rung)).toMatchObject({ phone_number_id: DEMO_NUMBERS.jordanDirect.id, direction: 'inbound', rang_user_ids: [DEMO_USERS.receptionist.id] });
    // A leg's callback without that (any other call's) files nothing.
    const other = 'CA0000000000000000000000000000ot';
    await t.webhook(webhookPaths.status, {
      AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, CallSid: 'CA0000000000000000000000000000l2', ParentCallSid: other, CallStatus: 'ringing', From: CALLER, To: 'client:usr_x',
    });
    expect(await cloudCall(other)).toBeUndefined();
    // A number that is not ours files nothing.
    const stray = 'CA000000000000000000000000000stry';
    expect((await vm(stray, '+19995550000', `RE${'2'.repeat(32)}`)).status).toBe(204);
    expect(await cloudCall(stray)).toBeUndefined();
    // The query is part of what Twilio signs: a voicemail's owner cannot be changed in transit.
    const params = { AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, CallSid: stray, RecordingSid: `RE${'3'.repeat(32)}` };
    const signedFor = (to: string) => `${webhookPaths.recording}?kind=voicemail&from=${encodeURIComponent(CALLER)}&to=${encodeURIComponent(to)}`;
    const signature = twilio.getExpectedTwilioSignature(SANDBOX_TWILIO_CREDENTIALS.authToken, t.cloud.publicUrl + signedFor('+19995550000'), params);
    expect((await t.webhook(signedFor(DEMO_NUMBERS.santaMonicaMain.number), params, signature)).status).toBe(403);
    expect(await cloudCall(stray)).toBeUndefined();
  });

  it('answers with the database unreachable, is not held back by admission, and checks the signature and the account', async () => {
    const params = {
      CallSid: 'CA00000000000000000000000000fa11', AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, From: CALLER, To: DEMO_NUMBERS.jordanDirect.number,
      ErrorCode: '11200', ErrorUrl: t.cloud.publicUrl + webhookPaths.inbound,
    };
    // The number routed once while the database answered (what the fallback remembers).
    expect((await t.webhook(webhookPaths.inbound, { ...params, CallSid: 'CA00000000000000000000000000f1r5' })).status).toBe(200);
    const db = t.cloud.db as unknown as Record<'query' | 'transaction', unknown>;
    const saved = { query: db.query, transaction: db.transaction };
    const down = () => Promise.reject(new Error('connect ECONNREFUSED (database down)'));
    db.query = down;
    db.transaction = down;
    try {
      const inbound = await t.webhook(webhookPaths.inbound, params);
      expect(inbound.status).toBe(500); // what Twilio sees from the primary
      const answer = await t.webhook(webhookPaths.fallback, params);
      expect(answer.status).toBe(200);
      expect(answer.text).toContain(`<Identity>${DEMO_USERS.receptionist.id}</Identity>`);
      expect((await t.webhook(webhookPaths.fallback, params, 'forged')).status).toBe(403);
      expect((await t.webhook(webhookPaths.fallback, { ...params, AccountSid: 'AC0000000000000000000000000000other' })).status).toBe(403);
      const done = await t.webhook(webhookPaths.fallbackDialDone, { CallSid: params.CallSid, AccountSid: params.AccountSid, DialCallStatus: 'no-answer' });
      expect(done.text).toContain('<Record ');
    } finally {
      db.query = saved.query;
      db.transaction = saved.transaction;
    }
    expect(t.cloud.admission.gates.webhook.refused).toBe(0);
  });
});
