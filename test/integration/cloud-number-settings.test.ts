import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TWILIO_CREDENTIALS, webhookPaths } from '../../src/cloud/index';
import { DEMO_USERS } from '../../src/cloud/seed';
import { backends, callSid, stopTestPostgres } from '../support/cloud-harness';
import { heldAtTwilio, startNumbersWorld, type NumbersWorld } from '../support/numbers-harness';
import { SignalingDevice } from '../support/signaling-device';

afterAll(stopTestPostgres);

/**
 * Every per-number setting does what it says in a real call flow on the Twilio sandbox: name,
 * forwarding, caller ID, call connect, whisper, recording, ring timeout and inbound routing
 * (a member's Inbound Number, Ring All, the contact's assigned user), on a number bought through
 * the cloud. PGlite and PostgreSQL.
 */
describe.each(backends)('per-number settings in the call flow on %s', (backend) => {
  let w: NumbersWorld;
  let number: { id: string; number: string };
  const devices: Record<'jordan' | 'admin' | 'avery', SignalingDevice> = {} as never;
  const FORWARD_TO = '+15125550111';
  const CALLER = '+13105552007'; // a demo contact
  const STRANGER = '+15125550199';

  beforeAll(async () => {
    // TwiML waits (Gather, Dial timeouts, Say) run 5× faster; the settings are what is tested, not the clock.
    w = await startNumbersWorld(backend, { timeScale: 0.2, sayMsPerChar: 10 });
    const found = (await w.t.api(w.admin, 'GET', '/v1/numbers/available?match=424&matchAt=first&limit=1')).body.numbers;
    const bought = (await w.t.api(w.admin, 'POST', '/v1/numbers/purchases', { country: 'US', numberType: 'local', phoneNumbers: [found[0].phoneNumber] })).body.results[0];
    number = { id: bought.number.id, number: bought.number.number };
    for (const [name, who] of [['jordan', 'receptionist'], ['admin', 'admin'], ['avery', 'receptionist2']] as const) {
      const session = await w.t.login(who);
      const token = (await w.t.api(session.accessToken, 'POST', '/v1/twilio/token')).body.token as string;
      devices[name] = await SignalingDevice.connect(w.sandbox, DEMO_USERS[who].id, token);
    }
  });
  afterAll(async () => {
    for (const d of Object.values(devices)) d?.close();
    await w?.stop();
  });

  const configure = async (patch: Record<string, unknown>): Promise<void> => {
    const r = await w.t.api(w.admin, 'PATCH', `/v1/numbers/${number.id}`, patch);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  const invites = () => ({ jordan: devices.jordan.invites.length, admin: devices.admin.invites.length, avery: devices.avery.invites.length });
  const cloudCall = async (sid: string) =>
    (await w.t.cloud.db.query<{ status: string; rang_user_ids: string[]; recordings: { kind: string }[] }>(`SELECT status, rang_user_ids, recordings FROM calls WHERE twilio_call_sid = $1`, [sid]))[0];
  const heardVoicemail = (sid: string) =>
    w.sandbox.control.waitFor((e) => e.type === 'twiml.say' && e.callSid === sid && String(e.text).includes('leave a message'), 20_000);
  /** Rings the number; whoever is invited declines; the caller reaches voicemail and hangs up. Returns who was invited. */
  const ringAndDecline = async (from: string, expected: (keyof typeof devices)[]): Promise<Record<string, number>> => {
    const before = invites();
    const sid = w.sandbox.control.placeInboundCall({ from, to: number.number, hangupAfterMs: 60_000 });
    const got = await Promise.all(expected.map((name) => devices[name].nextInvite()));
    for (const [i, name] of expected.entries()) devices[name].send('reject', { callsid: got[i]!.callsid });
    await heardVoicemail(sid);
    w.sandbox.control.partyHangsUp(sid);
    await w.sandbox.control.waitForCallStatus(sid, 'completed', 20_000);
    const after = invites();
    return { jordan: after.jordan - before.jordan, admin: after.admin - before.admin, avery: after.avery - before.avery };
  };
  /** Rings the number, which forwards; returns the forwarded leg's report once the call is over. */
  const forwardedCall = async (from: string, behaviour: Parameters<NumbersWorld['sandbox']['control']['setPartyBehaviour']>[1]) => {
    w.sandbox.control.setPartyBehaviour(FORWARD_TO, behaviour);
    const sid = w.sandbox.control.placeInboundCall({ from, to: number.number, hangupAfterMs: 60_000 });
    return { sid, child: async () => w.sandbox.control.childrenOf(sid).find((c) => c.to === FORWARD_TO)! };
  };

  it('name: the screen pop and Twilio both carry it', async () => {
    await configure({ name: 'Injectables line', forwardingNumber: null, ringAllUserIds: [DEMO_USERS.receptionist.id] });
    expect(await heldAtTwilio(w, number.number)).toMatchObject({ friendlyName: 'Injectables line' });
    const socket = await w.t.socket((await w.t.login('receptionist')).accessToken);
    try {
      const pop = socket.next('incoming-call', (m) => m.call.to === number.number, 20_000);
      await ringAndDecline(CALLER, ['jordan']);
      expect((await pop).call).toMatchObject({ phoneNumberId: number.id, phoneNumberName: 'Injectables line', from: CALLER });
    } finally {
      socket.close();
    }
  });

  it('inbound routing: ring all, a Ring All list, a member’s Inbound Number, the contact’s assigned user — in that documented order', async () => {
    // Ring all with no list and no location: every user of the account at once.
    await configure({ forwardingNumber: null, ringAllUserIds: [], inboundRouting: 'ring_all' });
    expect(await ringAndDecline(STRANGER, ['jordan', 'admin', 'avery'])).toEqual({ jordan: 1, admin: 1, avery: 1 });
    // A Ring All list: only its members.
    await configure({ ringAllUserIds: [DEMO_USERS.receptionist2.id] });
    expect(await ringAndDecline(STRANGER, ['avery'])).toEqual({ jordan: 0, admin: 0, avery: 1 });
    // The contact's assigned user, when the number routes callers to it; a stranger still gets Ring All.
    const contact = (await w.t.api(w.admin, 'GET', `/v1/contacts?search=${encodeURIComponent(CALLER)}`)).body[0];
    expect((await w.t.api(w.admin, 'PATCH', `/v1/contacts/${contact.id}`, { assignedUserId: DEMO_USERS.receptionist.id })).status).toBe(200);
    await configure({ inboundRouting: 'assigned_member' });
    expect(await ringAndDecline(CALLER, ['jordan'])).toEqual({ jordan: 1, admin: 0, avery: 0 });
    expect(await ringAndDecline(STRANGER, ['avery'])).toEqual({ jordan: 0, admin: 0, avery: 1 });
    // A member's Inbound Number beats both.
    expect((await w.t.api(w.admin, 'PUT', `/v1/users/${DEMO_USERS.admin.id}/inbound-number`, { phoneNumberId: number.id })).status).toBe(200);
    expect(await ringAndDecline(CALLER, ['admin'])).toEqual({ jordan: 0, admin: 1, avery: 0 });
    await w.t.api(w.admin, 'PUT', `/v1/users/${DEMO_USERS.admin.id}/inbound-number`, { phoneNumberId: null });
    await configure({ inboundRouting: 'ring_all' });
  });

  it('forwarding with a whisper: the phone that answers hears it, no softphone rings; caller ID shows the caller or the practice number', async () => {
    await configure({ forwardingNumber: FORWARD_TO, whisperMessage: 'Call from the injectables line', callerIdMode: 'caller', callConnect: false });
    const before = invites();
    const first = await forwardedCall(CALLER, { answer: 'answer', hangupAfterMs: 1500 });
    await w.sandbox.control.waitFor((e) => e.type === 'call.bridged' && e.callSid === first.sid, 20_000);
    await w.sandbox.control.waitForCallStatus(first.sid, 'completed', 20_000);
    const child = await first.child();
    expect(child.heard?.say).toContain('Call from the injectables line');
    expect(child.from).toBe(CALLER);
    expect(invites()).toEqual(before);

    await configure({ callerIdMode: 'number' });
    const second = await forwardedCall(CALLER, { answer: 'answer', hangupAfterMs: 1000 });
    await w.sandbox.control.waitForCallStatus(second.sid, 'completed', 20_000);
    expect((await second.child()).from).toBe(number.number);
  });

  it('call connect: the answering phone must press a key; without one the caller goes to voicemail', async () => {
    await configure({ forwardingNumber: FORWARD_TO, whisperMessage: 'Spa line', callConnect: true, callerIdMode: 'caller' });
    const accepted = await forwardedCall(CALLER, { answer: 'answer', script: [{ waitFor: 'reply', press: '1' }], hangupAfterMs: 4000 });
    await w.sandbox.control.waitFor((e) => e.type === 'call.bridged' && e.callSid === accepted.sid, 20_000);
    expect((await accepted.child()).heard?.say.join(' ')).toContain('Spa line. Press any key to accept the call.');
    await w.sandbox.control.waitForCallStatus(accepted.sid, 'completed', 20_000);

    const declined = await forwardedCall(CALLER, { answer: 'answer' }); // a voicemail box or a pocket: nobody presses anything
    await heardVoicemail(declined.sid);
    expect(w.sandbox.control.events.all().some((e) => e.type === 'call.bridged' && e.callSid === declined.sid)).toBe(false);
    w.sandbox.control.partyHangsUp(declined.sid);
    await w.sandbox.control.waitForCallStatus(declined.sid, 'completed', 20_000);
  });

  it('recording: a recorded number’s calls are recorded and the recording is kept on the call', async () => {
    await configure({ forwardingNumber: FORWARD_TO, whisperMessage: null, callConnect: false, recordCalls: true });
    const call = await forwardedCall(CALLER, { answer: 'answer', hangupAfterMs: 1500 });
    await w.sandbox.control.waitForCallStatus(call.sid, 'completed', 20_000);
    await expect.poll(async () => (await cloudCall(call.sid))?.recordings.length ?? 0, { timeout: 20_000 }).toBe(1);
    expect((await cloudCall(call.sid))!.recordings[0]).toMatchObject({ kind: 'call' });

    await configure({ recordCalls: false });
    const unrecorded = await forwardedCall(CALLER, { answer: 'answer', hangupAfterMs: 1000 });
    await w.sandbox.control.waitForCallStatus(unrecorded.sid, 'completed', 20_000);
    expect(w.sandbox.control.events.all().some((e) => e.type === 'recording.started' && e.callSid === unrecorded.sid)).toBe(false);
  });

  it('ring timeout: the Dial gives up after the number’s timeout and the caller reaches voicemail (a missed call)', async () => {
    await configure({ forwardingNumber: FORWARD_TO, ringTimeoutSeconds: 7 });
    const twiml = await w.t.webhook(webhookPaths.inbound, { CallSid: callSid(), AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, From: STRANGER, To: number.number });
    expect(twiml.text).toMatch(/<Dial [^>]*timeout="7"/);

    const call = await forwardedCall(CALLER, { answer: 'never' });
    await heardVoicemail(call.sid);
    expect((await call.child()).status).toBe('no-answer');
    w.sandbox.control.partyHangsUp(call.sid);
    await w.sandbox.control.waitForCallStatus(call.sid, 'completed', 20_000);
    await configure({ forwardingNumber: null, ringTimeoutSeconds: 5, ringAllUserIds: [DEMO_USERS.receptionist.id] });
    const softphone = await w.t.webhook(webhookPaths.inbound, { CallSid: callSid(), AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, From: STRANGER, To: number.number });
    expect(softphone.text).toMatch(/<Dial [^>]*timeout="5"/);
    expect((await cloudCall(call.sid))?.status).toBe('missed');
  });
});
