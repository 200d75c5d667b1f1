/**
 * Each number's Voice Fallback URL: when the inbound webhook fails (the database down, the server
 * refusing under load), Twilio asks the fallback, which answers without the database — the caller
 * still rings through to the front desk instead of hearing "an application error has occurred".
 */
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
    (await t.cloud.db.query<{ status: string; phone_number_id: string | null }>(`SELECT status, phone_number_id FROM calls WHERE twilio_call_sid = $1`, [sid]))[0];

  /** A call Jordan rejects: voicemail, then the caller hangs up. */
  async function rejectedCall(sid: string, greeting: string): Promise<void> {
    const invite = await jordan.nextInvite();
    expect(invite.parameters.From).toBe(CALLER);
    jordan.send('reject', { callsid: invite.callsid });
    await sandbox.control.waitFor((e) => e.type === 'twiml.say' && e.callSid === sid && String(e.text).includes(greeting), 15_000);
    sandbox.control.partyHangsUp(sid);
    await sandbox.control.waitForCallStatus(sid, 'completed', 15_000);
  }

  it('a call whose inbound webhook fails still rings the line’s users, and is on record once it ends', async () => {
    // A first call routes normally: the fallback now knows who Jordan's line rings.
    const first = sandbox.control.placeInboundCall({ from: CALLER, to: DEMO_NUMBERS.jordanDirect.number, hangupAfterMs: 60_000 });
    await rejectedCall(first, 'leave a message');

    sandbox.control.failWebhooks(webhookPaths.inbound, 1);
    const sid = sandbox.control.placeInboundCall({ from: CALLER, to: DEMO_NUMBERS.jordanDirect.number, hangupAfterMs: 60_000 });
    const fallback = await sandbox.control.waitFor((e) => e.type === 'twiml.fallback' && e.callSid === sid, 15_000);
    expect(fallback).toMatchObject({ errorCode: 11200 });
    expect(String(fallback.errorUrl)).toContain(webhookPaths.inbound);
    // The softphone rings (no cloud call id yet: the screen pop comes from the caller's number).
    await rejectedCall(sid, 'leave a message');
    // Written by the status callback when the call ended.
    await expect.poll(() => cloudCall(sid), { timeout: 15_000 }).toMatchObject({ phone_number_id: DEMO_NUMBERS.jordanDirect.id });
  });

  it('a number this instance has not routed yet takes a message instead of playing an application error', async () => {
    sandbox.control.failWebhooks(webhookPaths.inbound, 1);
    const before = jordan.invites.length;
    const sid = sandbox.control.placeInboundCall({ from: CALLER, to: DEMO_NUMBERS.santaMonicaMain.number, hangupAfterMs: 60_000 });
    await sandbox.control.waitFor((e) => e.type === 'twiml.say' && e.callSid === sid && String(e.text).includes('cannot take your call right now'), 15_000);
    await sandbox.control.waitFor((e) => e.type === 'twiml.verb' && e.callSid === sid && e.verb === 'Record', 15_000);
    sandbox.control.partyHangsUp(sid);
    await sandbox.control.waitForCallStatus(sid, 'completed', 15_000);
    expect(jordan.invites.length).toBe(before);
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
