// The real @twilio/voice-sdk in Chromium against the sandbox: every signaling flow, with
// two-way audio and DTMF asserted at both ends, and no request leaving loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxTwilioClient, startSandbox, type Sandbox } from './index';
import { SdkBrowser, type HarnessEvent } from './testing/sdk-browser';
import { WebhookApp } from './testing/webhook-app';

let sandbox: Sandbox;
let browser: SdkBrowser;
let hooks: WebhookApp;
const NUMBER = '+15005550100';
const CALLEE = '+15557654321';

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.2, sayMsPerChar: 10, callbackRetryBaseMs: 20 });
  hooks = await WebhookApp.start(sandbox.authToken);
  browser = await SdkBrowser.launch();
  sandbox.control.addNumber({ phoneNumber: NUMBER, voiceUrl: hooks.url('/voice'), statusCallback: hooks.url('/status') });
  hooks.route('/voice', (hit) => {
    const who = hit.params.From === '+15551230009' ? 'dana' : 'alice';
    return `<Response><Dial timeout="20" action="/dial-done"><Client statusCallback="/child-status" statusCallbackEvent="initiated ringing answered completed"><Identity>${who}</Identity><Parameter name="patient" value="Jane Roe"/><Parameter name="visit" value="botox follow-up"/></Client></Dial></Response>`;
  });
  hooks.route('/dial-done', '<Response><Say>Sorry, nobody is available.</Say></Response>');
  await browser.createDevice('alice', sandbox.createAccessToken('alice'), sandbox.edgeHost);
  await browser.registerDevice('alice');
}, 60_000);

afterAll(async () => {
  expect(browser.nonLoopbackRequests).toEqual([]);
  await browser?.close();
  await hooks?.close();
  await sandbox?.stop();
});

const since = (): number => browser.events.length;
const incomingFor = (deviceId: string, from: number): Promise<HarnessEvent> => browser.waitFor((e) => e.type === 'device.incoming' && e.deviceId === deviceId, { since: from });

describe('real SDK against the sandbox', () => {
  it('registers with the identity from the token', async () => {
    expect(await browser.call('identity', 'alice')).toBe('alice');
    expect(await browser.call('state', 'alice')).toBe('registered');
    expect(sandbox.events.all((e) => e.type === 'device.registered' && e.identity === 'alice').length).toBeGreaterThan(0);
  });

  it('incoming call: accept, two-way audio, DTMF both ways of counting, remote hangup, status callbacks', async () => {
    const mark = since();
    const inbound = sandbox.control.placeInboundCall({ from: '+15551230001', to: NUMBER, voice: 'speech' });
    const incoming = await incomingFor('alice', mark);
    expect(incoming).toMatchObject({ from: '+15551230001', to: 'client:alice', customParameters: { patient: 'Jane Roe', visit: 'botox follow-up' } });
    await browser.call('accept', incoming.callId);
    await browser.waitFor((e) => e.type === 'call.ice' && e.callId === incoming.callId && e.state === 'connected', { since: mark });
    await browser.waitForInboundAudio(incoming.callId!);
    await sandbox.control.waitForAudio(inbound, 'heard');
    await browser.call('sendDigits', incoming.callId, '1#');
    await sandbox.control.waitFor(() => sandbox.control.report(inbound).heard?.digits === '1#');
    const child = sandbox.control.childrenOf(inbound)[0]!;
    expect(child).toMatchObject({ to: 'client:alice', partyKind: 'device' });
    sandbox.control.partyHangsUp(inbound);
    await browser.waitFor((e) => e.type === 'call.disconnect' && e.callId === incoming.callId, { since: mark });
    await sandbox.control.waitForCallStatus(child.callSid, 'completed');
    await hooks.waitForHit((h) => h.path === '/child-status' && h.params.CallSid === child.callSid && h.params.CallStatus === 'completed');
    // Concurrent callbacks may arrive out of order (as on Twilio); SequenceNumber orders them.
    const childHits = (): typeof hooks.hits => hooks.hits.filter((h) => h.path === '/child-status' && h.params.CallSid === child.callSid);
    await hooks.waitForHit(() => childHits().length >= 4);
    const childStatuses = childHits()
      .sort((a, b) => Number(a.params.SequenceNumber) - Number(b.params.SequenceNumber))
      .map((h) => h.params.CallStatus);
    expect(childStatuses).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
    expect(hooks.hits.find((h) => h.path === '/child-status')?.params.ParentCallSid).toBe(inbound);
    const status = await hooks.waitForHit((h) => h.path === '/status' && h.params.CallSid === inbound);
    expect(status.params).toMatchObject({ CallStatus: 'completed', Direction: 'inbound' });
    expect(Number(status.params.CallDuration)).toBeGreaterThanOrEqual(0);
    expect(hooks.hits.every((h) => h.signatureValid)).toBe(true);
  });

  it('incoming call rejected: Dial reports busy to its action', async () => {
    const mark = since();
    const inbound = sandbox.control.placeInboundCall({ from: '+15551230002', to: NUMBER });
    const incoming = await incomingFor('alice', mark);
    await browser.call('reject', incoming.callId);
    await browser.waitFor((e) => e.type === 'call.reject' && e.callId === incoming.callId, { since: mark });
    const action = await hooks.waitForHit((h) => h.path === '/dial-done' && h.params.CallSid === inbound);
    expect(action.params.DialCallStatus).toBe('busy');
    await sandbox.control.waitForCallStatus(inbound, 'completed');
    expect(sandbox.control.report(inbound).heard?.say).toEqual(['Sorry, nobody is available.']);
  });

  it('incoming call cancelled by the caller before it is answered', async () => {
    const mark = since();
    const inbound = sandbox.control.placeInboundCall({ from: '+15551230003', to: NUMBER });
    const incoming = await incomingFor('alice', mark);
    sandbox.control.partyHangsUp(inbound);
    await browser.waitFor((e) => e.type === 'call.cancel' && e.callId === incoming.callId, { since: mark });
    const child = sandbox.control.childrenOf(inbound)[0]!;
    expect(child.status).toBe('canceled');
  });

  it('incoming call hung up by the browser', async () => {
    const mark = since();
    const inbound = sandbox.control.placeInboundCall({ from: '+15551230004', to: NUMBER });
    const incoming = await incomingFor('alice', mark);
    await browser.call('accept', incoming.callId);
    await browser.waitFor((e) => e.type === 'call.accept' && e.callId === incoming.callId, { since: mark });
    await browser.call('disconnect', incoming.callId);
    const child = sandbox.control.childrenOf(inbound)[0]!;
    await sandbox.control.waitForCallStatus(child.callSid, 'completed');
    // The Dial ends, its action runs, the caller hears the follow-up.
    await sandbox.control.waitForCallStatus(inbound, 'completed');
    expect((await hooks.waitForHit((h) => h.path === '/dial-done' && h.params.CallSid === inbound)).params.DialCallStatus).toBe('completed');
  });

  it('outgoing call: TwiML app voice URL, ringing/answer, Say, Dial Number, two-way audio, DTMF, local hangup', async () => {
    const app = sandbox.control.createApplication({ voiceUrl: hooks.url('/outgoing'), statusCallback: hooks.url('/app-status') });
    hooks.route('/outgoing', (hit) => `<Response><Say>Connecting</Say><Dial callerId="${NUMBER}"><Number>${hit.params.To}</Number></Dial></Response>`);
    sandbox.control.setPartyBehaviour(CALLEE, { answer: 'answer', answerAfterMs: 100, voice: 'speech' });
    await browser.createDevice('bob', sandbox.createAccessToken('bob', { outgoingApplicationSid: app.sid }), sandbox.edgeHost);
    const mark = since();
    const callId = await browser.call<string>('connect', 'bob', { To: CALLEE, Reason: 'follow-up' });
    await browser.waitFor((e) => e.type === 'call.accept' && e.callId === callId, { since: mark });
    const voice = await hooks.waitForHit((h) => h.path === '/outgoing' && h.params.From === 'client:bob');
    expect(voice.params).toMatchObject({ To: CALLEE, Reason: 'follow-up', ApplicationSid: app.sid, Direction: 'inbound', CallStatus: 'ringing' });
    const parentSid = voice.params.CallSid!;
    expect(await browser.call('callSid', callId)).toBe(parentSid);
    await sandbox.control.waitFor((e) => e.type === 'call.bridged' && e.callSid === parentSid);
    await browser.waitForInboundAudio(callId);
    const callee = sandbox.control.childrenOf(parentSid)[0]!;
    expect(callee).toMatchObject({ from: NUMBER, to: CALLEE, partyKind: 'scripted' });
    await sandbox.control.waitForAudio(callee.callSid, 'heard');
    await browser.call('sendDigits', callId, '42');
    await sandbox.control.waitFor(() => sandbox.control.report(callee.callSid).heard?.digits === '42');
    expect(sandbox.control.report(parentSid).heard?.say).toEqual(['Connecting']);
    await browser.call('disconnect', callId);
    await sandbox.control.waitForCallStatus(parentSid, 'completed');
    await sandbox.control.waitForCallStatus(callee.callSid, 'completed');
    expect((await hooks.waitForHit((h) => h.path === '/app-status' && h.params.CallSid === parentSid)).params.CallStatus).toBe('completed');
  });

  it('client to client: a Device dials another identity; both browsers hear each other', async () => {
    const app = sandbox.control.createApplication({ voiceUrl: hooks.url('/to-client') });
    hooks.route('/to-client', (hit) => `<Response><Dial><Client>${hit.params.To}</Client></Dial></Response>`);
    await browser.createDevice('carl', sandbox.createAccessToken('carl', { outgoingApplicationSid: app.sid }), sandbox.edgeHost);
    const mark = since();
    const outgoing = await browser.call<string>('connect', 'carl', { To: 'alice' });
    const incoming = await incomingFor('alice', mark);
    expect(incoming.from).toBe('client:carl');
    await browser.call('accept', incoming.callId);
    await browser.waitForInboundAudio(incoming.callId!);
    await browser.waitForInboundAudio(outgoing);
    await browser.call('sendDigits', outgoing, '5');
    const parentSid = await browser.call<string>('callSid', outgoing);
    const child = sandbox.control.childrenOf(parentSid)[0]!;
    await sandbox.control.waitFor(() => sandbox.control.report(child.callSid).heard?.digits === '5');
    await browser.call('disconnect', outgoing);
    await browser.waitFor((e) => e.type === 'call.disconnect' && e.callId === incoming.callId, { since: mark });
  });

  it('REST-created call to a client: the Device rings, its TwiML runs after accept, REST ends it', async () => {
    const client = createSandboxTwilioClient(sandbox);
    const mark = since();
    const call = await client.calls.create({ to: 'client:alice', from: NUMBER, twiml: '<Response><Say>Your appointment reminder.</Say><Play>https://assets.invalid/chime.wav</Play><Pause length="600"/></Response>' });
    const incoming = await incomingFor('alice', mark);
    expect(incoming).toMatchObject({ callSid: call.sid, from: NUMBER });
    await browser.call('accept', incoming.callId);
    await sandbox.control.waitFor((e) => e.type === 'twiml.say' && e.callSid === call.sid);
    await browser.waitForInboundAudio(incoming.callId!);
    expect(sandbox.control.report(call.sid).heard?.say).toEqual(['Your appointment reminder.']);
    await client.calls(call.sid).update({ status: 'completed' });
    await browser.waitFor((e) => e.type === 'call.disconnect' && e.callId === incoming.callId, { since: mark });
    expect((await client.calls(call.sid).fetch()).status).toBe('completed');
  });

  // The edge sends hangup with error 31486 / 31002; without enableImprovedSignalingErrorPrecision
  // the SDK reports both as ConnectionError 31005.
  it('outgoing call rejected by its TwiML, and a token without a TwiML app, end with an error', async () => {
    const app = sandbox.control.createApplication({ voiceUrl: hooks.url('/reject') });
    hooks.route('/reject', '<Response><Reject reason="busy"/></Response>');
    await browser.createDevice('dave', sandbox.createAccessToken('dave', { outgoingApplicationSid: app.sid }), sandbox.edgeHost);
    let mark = since();
    const rejected = await browser.call<string>('connect', 'dave', { To: '+15550009999' });
    const error = await browser.waitFor((e) => e.type === 'call.error' && e.callId === rejected, { since: mark });
    expect(error.code).toBe(31005);
    await browser.waitFor((e) => e.type === 'call.disconnect' && e.callId === rejected, { since: mark });
    await browser.createDevice('eve', sandbox.createAccessToken('eve'), sandbox.edgeHost);
    mark = since();
    const noApp = await browser.call<string>('connect', 'eve', { To: '+15550009999' });
    expect((await browser.waitFor((e) => e.type === 'call.error' && e.callId === noApp, { since: mark })).code).toBe(31005);
    expect(sandbox.events.all((e) => e.type === 'call.error' && e.code === 21218).length).toBeGreaterThan(0);
  });

  it('call messages both ways with ack, and an ICE restart via reinvite', async () => {
    const mark = since();
    const inbound = sandbox.control.placeInboundCall({ from: '+15551230005', to: NUMBER });
    const incoming = await incomingFor('alice', mark);
    await browser.call('accept', incoming.callId);
    await browser.waitFor((e) => e.type === 'call.ice' && e.callId === incoming.callId && e.state === 'connected', { since: mark });
    const child = sandbox.control.childrenOf(inbound)[0]!;
    await browser.call('sendMessage', incoming.callId, { hello: 'sandbox' });
    await browser.waitFor((e) => e.type === 'call.messageSent' && e.callId === incoming.callId, { since: mark });
    const received = await sandbox.control.waitFor((e) => e.type === 'call.message' && e.callSid === child.callSid);
    expect(received.content).toEqual({ hello: 'sandbox' });
    sandbox.control.sendCallMessage(child.callSid, { from: 'sandbox' });
    const got = await browser.waitFor((e) => e.type === 'call.messageReceived' && e.callId === incoming.callId, { since: mark });
    expect(JSON.parse(String(got.content))).toEqual({ from: 'sandbox' });
    // A restart mid-call (after a second of media), as after a network change.
    await browser.waitForPackets(incoming.callId!, 50);
    const before = (await browser.audioStats(incoming.callId!))!.packetsReceived;
    await browser.call('iceRestart', incoming.callId);
    await sandbox.control.waitFor((e) => e.type === 'call.ice-restart' && e.callSid === child.callSid);
    // Media keeps flowing over the restarted ICE session (50 packets = 1 s).
    await browser.waitForPackets(incoming.callId!, before + 50);
    await browser.call('disconnect', incoming.callId);
    await sandbox.control.waitForCallStatus(inbound, 'completed');
  });

  it('rings every device of an identity; the first to answer wins and the others get cancel', async () => {
    await browser.createDevice('dana1', sandbox.createAccessToken('dana'), sandbox.edgeHost);
    await browser.createDevice('dana2', sandbox.createAccessToken('dana'), sandbox.edgeHost);
    await browser.registerDevice('dana1');
    await browser.registerDevice('dana2');
    const mark = since();
    const inbound = sandbox.control.placeInboundCall({ from: '+15551230009', to: NUMBER });
    const one = await incomingFor('dana1', mark);
    const two = await incomingFor('dana2', mark);
    expect(one.callSid).toBe(two.callSid);
    await browser.call('accept', two.callId);
    await browser.waitFor((e) => e.type === 'call.cancel' && e.callId === one.callId, { since: mark });
    await browser.waitForInboundAudio(two.callId!);
    sandbox.control.partyHangsUp(inbound);
    await browser.waitFor((e) => e.type === 'call.disconnect' && e.callId === two.callId, { since: mark });
  });

  // The edge sends 31204/31205; the SDK surfaces them as AccessTokenInvalid (20101) / AccessTokenExpired (20104).
  it('unregister sends offline; bad and expired tokens get 31204/31205', async () => {
    const mark = since();
    await browser.call('unregister', 'alice');
    await browser.waitFor((e) => e.type === 'device.unregistered' && e.deviceId === 'alice', { since: mark });
    await sandbox.control.waitFor((e) => e.type === 'device.unregistered' && e.identity === 'alice');

    const bad = sandbox.createAccessToken('mallory').replace(/.{4}$/, 'AAAA');
    await browser.createDevice('mallory', bad, sandbox.edgeHost);
    void browser.call('register', 'mallory').catch(() => undefined);
    expect((await browser.waitFor((e) => e.type === 'device.error' && e.deviceId === 'mallory', { since: mark })).code).toBe(20101);
    expect(sandbox.events.all((e) => e.type === 'device.auth-failed' && e.code === 31204).length).toBeGreaterThan(0);

    await browser.createDevice('erin', sandbox.createAccessToken('erin', { ttlSeconds: -60 }), sandbox.edgeHost);
    void browser.call('register', 'erin').catch(() => undefined);
    expect((await browser.waitFor((e) => e.type === 'device.error' && e.deviceId === 'erin', { since: mark })).code).toBe(20104);
    expect(sandbox.events.all((e) => e.type === 'device.auth-failed' && e.code === 31205).length).toBeGreaterThan(0);
  });

  it('tokenWillExpire fires ttl − 10 s after connect; updateToken re-authenticates on the same socket', async () => {
    const mark = since();
    await browser.createDevice('hana', sandbox.createAccessToken('hana', { ttlSeconds: 11 }), sandbox.edgeHost);
    await browser.registerDevice('hana');
    await browser.waitFor((e) => e.type === 'device.tokenWillExpire' && e.deviceId === 'hana', { since: mark, timeoutMs: 5000 });
    const seq = sandbox.events.lastSeq;
    await browser.call('updateToken', 'hana', sandbox.createAccessToken('hana', { ttlSeconds: 3600 }));
    const connected = await sandbox.events.waitFor((e) => e.type === 'device.connected' && e.identity === 'hana', { sinceSeq: seq });
    expect(connected.ttl).toBeGreaterThan(3500);
    expect(sandbox.events.all((e) => e.seq > seq && e.type === 'signal.connect')).toHaveLength(0);
  });

  it('a token expired early by fault injection raises 31205 on a registered device', async () => {
    await browser.createDevice('frank', sandbox.createAccessToken('frank'), sandbox.edgeHost);
    await browser.registerDevice('frank');
    const mark = since();
    expect(sandbox.control.expireTokens('frank')).toBe(1);
    expect((await browser.waitFor((e) => e.type === 'device.error' && e.deviceId === 'frank', { since: mark })).code).toBe(20104);
  });

  it("Voice Fallback URL: a failing voice URL's fallback rings the Device; a Device call falls back through its app", async () => {
    hooks.route('/voice-down', () => ({ status: 503 }));
    hooks.route('/voice-fallback', '<Response><Dial timeout="20"><Client>fay</Client></Dial></Response>');
    hooks.route('/app-fallback', '<Response><Say>Fallback here</Say><Pause length="60"/></Response>');
    const app = sandbox.control.createApplication({ voiceUrl: hooks.url('/voice-down'), voiceFallbackUrl: hooks.url('/app-fallback') });
    await browser.createDevice('fay', sandbox.createAccessToken('fay', { outgoingApplicationSid: app.sid }), sandbox.edgeHost);
    await browser.registerDevice('fay');
    sandbox.control.addNumber({ phoneNumber: '+15005550101', voiceUrl: hooks.url('/voice-down'), voiceFallbackUrl: hooks.url('/voice-fallback') });
    let mark = since();
    const inbound = sandbox.control.placeInboundCall({ from: '+15551230020', to: '+15005550101' });
    const incoming = await incomingFor('fay', mark);
    expect(incoming).toMatchObject({ from: '+15551230020' });
    sandbox.control.partyHangsUp(inbound);
    await browser.waitFor((e) => e.type === 'call.cancel' && e.callId === incoming.callId, { since: mark });

    mark = since();
    const callId = await browser.call<string>('connect', 'fay', { To: '+15550001111' });
    await browser.waitFor((e) => e.type === 'call.accept' && e.callId === callId, { since: mark });
    const hit = await hooks.waitForHit((h) => h.path === '/app-fallback' && h.params.From === 'client:fay');
    expect(hit.params).toMatchObject({ ErrorCode: '11200', ErrorUrl: hooks.url('/voice-down'), ApplicationSid: app.sid, To: '+15550001111' });
    await browser.call('disconnect', callId);
    await sandbox.control.waitForCallStatus(hit.params.CallSid!, 'completed');
  });
});
