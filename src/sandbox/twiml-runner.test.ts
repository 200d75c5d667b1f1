// The TwiML runner with scripted callers and callees (no browser): every verb, Dial outcomes,
// whisper, recording, callbacks and their retries; every webhook validated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
import { createSandboxTwilioClient } from './client/twilio-client';
import { WebhookApp, type WebhookHandler } from './testing/webhook-app';
import { sineTone } from './media/pcmu';
import { encodeWavPcm16Mono8k } from './media/wav';

let sandbox: Sandbox;
let hooks: WebhookApp;
let n = 0;

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.05, sayMsPerChar: 5, callbackRetryBaseMs: 10 });
  hooks = await WebhookApp.start(sandbox.authToken);
});

afterAll(async () => {
  // Media fetches (<Play>) are plain GETs, unsigned as on Twilio; every webhook is signed.
  expect(hooks.hits.filter((h) => !h.signatureValid && !h.path.startsWith('/media/'))).toEqual([]);
  await hooks?.close();
  await sandbox?.stop();
});

/** A fresh number of the account whose voice URL serves `twiml` (and records status callbacks). */
function numberServing(twiml: string): string {
  const path = `/voice${++n}`;
  hooks.route(path, twiml);
  const phoneNumber = `+1500555${String(1000 + n)}`;
  sandbox.control.addNumber({ phoneNumber, voiceUrl: hooks.url(path), statusCallback: hooks.url('/status') });
  return phoneNumber;
}

describe('TwiML runner', () => {
  it('sends Twilio form parameters to the voice URL and records Say and Play as heard', async () => {
    hooks.route('/media/chime.wav', () => ({ status: 200, body: encodeWavPcm16Mono8k(sineTone(660, 400)), contentType: 'audio/wav' }));
    const to = numberServing(`<Response><Say voice="alice">Welcome to the spa.</Say><Play>${hooks.url('/media/chime.wav')}</Play><Play>https://example.invalid/unreachable.mp3</Play><Hangup/></Response>`);
    const sid = sandbox.control.placeInboundCall({ from: '+15551110001', to });
    await sandbox.control.waitForCallStatus(sid, 'completed');
    const hit = hooks.hits.find((h) => h.params.CallSid === sid && h.path.startsWith('/voice'))!;
    expect(hit.params).toMatchObject({ AccountSid: sandbox.accountSid, From: '+15551110001', To: to, Caller: '+15551110001', Called: to, CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01' });
    // The loopback file plays for its real length; a URL off this machine is never fetched (warning 11200).
    const heard = sandbox.control.report(sid).heard!;
    expect(heard).toMatchObject({ say: ['Welcome to the spa.'], play: [hooks.url('/media/chime.wav')] });
    expect(heard.timeline.find((i) => i.kind === 'play')?.media).toMatchObject({ format: 'wav', durationMs: 400, contentType: 'audio/wav' });
    expect(sandbox.events.all((e) => e.type === 'call.warning' && e.callSid === sid).map((e) => e.code)).toEqual([11200]);
    const status = await hooks.waitForHit((h) => h.path === '/status' && h.params.CallSid === sid);
    expect(status.params.CallStatus).toBe('completed');
  });

  it('Gather collects digits the caller presses and posts them to its action', async () => {
    hooks.route('/gathered', (hit) => `<Response><Say>You pressed ${hit.params.Digits}</Say></Response>`);
    const to = numberServing('<Response><Gather numDigits="2" action="/gathered" timeout="5"><Say>Press 1 2</Say></Gather><Say>No input</Say></Response>');
    const sid = sandbox.control.placeInboundCall({ from: '+15551110002', to });
    await sandbox.control.waitFor((e) => e.type === 'twiml.verb' && e.callSid === sid && e.verb === 'Gather');
    sandbox.control.pressDigits(sid, '12');
    const action = await hooks.waitForHit((h) => h.path === '/gathered' && h.params.CallSid === sid);
    expect(action.params.Digits).toBe('12');
    await sandbox.control.waitForCallStatus(sid, 'completed');
    expect(sandbox.control.report(sid).heard?.say).toEqual(['Press 1 2', 'You pressed 12']);
  });

  it('Gather without input falls through to the next verb; digits can be pressed through the control API', async () => {
    const to = numberServing('<Response><Gather timeout="1" finishOnKey="#"></Gather><Say>Nothing</Say><Gather action="/g2" timeout="60"/></Response>');
    hooks.route('/g2', '<Response><Hangup/></Response>');
    const sid = sandbox.control.placeInboundCall({ from: '+15551110003', to });
    const said = await sandbox.control.waitFor((e) => e.type === 'twiml.say' && e.callSid === sid);
    await sandbox.control.waitFor((e) => e.type === 'twiml.verb' && e.callSid === sid && e.verb === 'Gather' && e.seq > said.seq);
    sandbox.control.pressDigits(sid, '7#');
    const hit = await hooks.waitForHit((h) => h.path === '/g2' && h.params.CallSid === sid);
    expect(hit.params).toMatchObject({ Digits: '7', FinishedOnKey: '#' });
  });

  it('Record makes a voicemail recording, posts RecordingUrl to the action and a signed recording status callback', async () => {
    const to = numberServing('<Response><Say>Leave a message</Say><Record maxLength="30" action="/recorded" recordingStatusCallback="/rec-status"/></Response>');
    hooks.route('/recorded', '<Response><Hangup/></Response>');
    // A scripted caller talks for a bit, then hangs up: the recording ends with the call.
    const sid = sandbox.control.placeInboundCall({ from: '+15551110004', to, hangupAfterMs: 800 });
    const action = await hooks.waitForHit((h) => h.path === '/recorded' && h.params.CallSid === sid);
    expect(action.params.Digits).toBe('hangup');
    expect(action.params.RecordingUrl).toContain(`/Recordings/${action.params.RecordingSid}`);
    const cb = await hooks.waitForHit((h) => h.path === '/rec-status' && h.params.CallSid === sid);
    expect(cb.params).toMatchObject({ RecordingSid: action.params.RecordingSid, RecordingStatus: 'completed' });
    expect(Number(cb.params.RecordingDuration)).toBeGreaterThanOrEqual(0);
  });

  it('Redirect, Pause, Reject and Hangup', async () => {
    hooks.route('/next', '<Response><Pause length="1"/><Say>After redirect</Say><Hangup/><Say>never</Say></Response>');
    const to = numberServing('<Response><Redirect>/next</Redirect><Say>not reached</Say></Response>');
    const sid = sandbox.control.placeInboundCall({ from: '+15551110005', to });
    await sandbox.control.waitForCallStatus(sid, 'completed');
    expect(sandbox.control.report(sid).heard?.say).toEqual(['After redirect']);
    const rejecting = numberServing('<Response><Reject reason="busy"/></Response>');
    const rejected = sandbox.control.placeInboundCall({ from: '+15551110006', to: rejecting });
    await sandbox.control.waitForCallStatus(rejected, 'busy');
  });

  it('Dial Number: whisper url= to the callee, callerId, record, action with DialCallStatus and recording', async () => {
    hooks.route('/whisper', '<Response><Say>Call from the spa line</Say></Response>');
    hooks.route('/after-dial', '<Response><Say>Goodbye</Say></Response>');
    sandbox.control.setPartyBehaviour('+15552220001', { answerAfterMs: 50, hangupAfterMs: 600 });
    const to = numberServing('<Response><Dial callerId="+15005550999" record="record-from-answer" action="/after-dial" timeout="10"><Number url="/whisper">+15552220001</Number></Dial></Response>');
    const sid = sandbox.control.placeInboundCall({ from: '+15551110007', to });
    const action = await hooks.waitForHit((h) => h.path === '/after-dial' && h.params.CallSid === sid);
    expect(action.params).toMatchObject({ DialCallStatus: 'completed' });
    expect(action.params.RecordingSid).toMatch(/^RE/);
    const child = sandbox.control.childrenOf(sid)[0]!;
    expect(child).toMatchObject({ from: '+15005550999', to: '+15552220001', direction: 'outbound-dial' });
    expect(child.heard?.say).toEqual(['Call from the spa line']);
    // Both scripted parties heard each other once bridged.
    expect(child.heard!.energy.audibleFrames).toBeGreaterThan(0);
    await sandbox.control.waitForCallStatus(sid, 'completed');
    expect(sandbox.control.report(sid).heard?.say).toEqual(['Goodbye']);
  });

  it('a scripted caller presses its digits on schedule', async () => {
    hooks.route('/scheduled', '<Response/>');
    const to = numberServing('<Response><Gather numDigits="3" action="/scheduled" timeout="60"/></Response>');
    const sid = sandbox.control.placeInboundCall({ from: '+15551110011', to, digits: '123', digitsAfterMs: 300 });
    expect((await hooks.waitForHit((h) => h.path === '/scheduled' && h.params.CallSid === sid)).params.Digits).toBe('123');
  });

  it('a <Dial record> recording is paused and resumed over REST, by its sid or as Twilio.CURRENT', async () => {
    hooks.route('/rec-done', '<Response/>');
    sandbox.control.setPartyBehaviour('+15552220013', { answerAfterMs: 50 });
    const to = numberServing('<Response><Dial record="record-from-answer" action="/rec-done"><Number>+15552220013</Number></Dial></Response>');
    const sid = sandbox.control.placeInboundCall({ from: '+15551110013', to });
    await sandbox.events.waitFor((e) => e.type === 'call.bridged' && e.callSid === sid);
    const client = createSandboxTwilioClient(sandbox);
    const listed = await client.calls(sid).recordings.list();
    expect(listed.map((r) => [r.source, r.status])).toEqual([['DialVerb', 'in-progress']]);
    const paused = await client.calls(sid).recordings('Twilio.CURRENT').update({ status: 'paused' });
    expect(paused).toMatchObject({ sid: listed[0]!.sid, status: 'paused' });
    const resumed = await client.calls(sid).recordings(listed[0]!.sid).update({ status: 'in-progress' });
    expect(resumed.status).toBe('in-progress');
    await expect(client.calls(sid).recordings('RE00000000000000000000000000000000').update({ status: 'paused' })).rejects.toMatchObject({ status: 404 });
    sandbox.control.partyHangsUp(sid);
    const done = await hooks.waitForHit((h) => h.path === '/rec-done' && h.params.CallSid === sid);
    expect(done.params.RecordingSid).toBe(listed[0]!.sid);
    expect(sandbox.events.all((e) => e.type === 'recording.paused' && e.recordingSid === listed[0]!.sid)).toHaveLength(1);
    // Once the Dial is over there is no current recording left to pause.
    await expect(client.calls(sid).recordings('Twilio.CURRENT').update({ status: 'paused' })).rejects.toMatchObject({ status: 404 });
  });

  it('Dial record-from-ringing records the ringing time too', async () => {
    hooks.route('/rr-done', '<Response/>');
    sandbox.control.setPartyBehaviour('+15552220009', { answerAfterMs: 1000, hangupAfterMs: 200 });
    const rr = numberServing('<Response><Dial record="record-from-ringing" action="/rr-done"><Number>+15552220009</Number></Dial></Response>');
    const sid = sandbox.control.placeInboundCall({ from: '+15551110012', to: rr });
    const done = await hooks.waitForHit((h) => h.path === '/rr-done' && h.params.CallSid === sid);
    const recording = sandbox.events.all((e) => e.type === 'recording.completed' && e.recordingSid === done.params.RecordingSid)[0]!;
    expect(recording.duration).toBeGreaterThanOrEqual(1); // ~1 s of ringing + 0.2 s of talk
  });

  it('Dial outcomes: no-answer after timeout, busy, voicemail answers', async () => {
    hooks.route('/dial-result', '<Response/>');
    sandbox.control.setPartyBehaviour('+15552220002', { answer: 'never' });
    sandbox.control.setPartyBehaviour('+15552220003', { answer: 'busy' });
    sandbox.control.setPartyBehaviour('+15552220004', { answer: 'voicemail', answerAfterMs: 50, greetingMs: 100, voicemailMaxMs: 300 });
    const results: Record<string, string> = {};
    for (const callee of ['+15552220002', '+15552220003', '+15552220004']) {
      const to = numberServing(`<Response><Dial timeout="2" action="/dial-result"><Number>${callee}</Number></Dial></Response>`);
      const sid = sandbox.control.placeInboundCall({ from: '+15551110008', to });
      results[callee] = (await hooks.waitForHit((h) => h.path === '/dial-result' && h.params.CallSid === sid)).params.DialCallStatus!;
    }
    expect(results).toEqual({ '+15552220002': 'no-answer', '+15552220003': 'busy', '+15552220004': 'completed' });
  });

  it('retries a failing status callback and survives a slow voice URL', async () => {
    sandbox.control.failWebhooks('/flaky-status', 2);
    sandbox.control.delayWebhooks('/slow-voice', 200);
    hooks.route('/slow-voice', '<Response><Say>Slow but fine</Say></Response>');
    sandbox.control.addNumber({ phoneNumber: '+15005559001', voiceUrl: hooks.url('/slow-voice'), statusCallback: hooks.url('/flaky-status') });
    const sid = sandbox.control.placeInboundCall({ from: '+15551110009', to: '+15005559001' });
    const cb = await hooks.waitForHit((h) => h.path === '/flaky-status' && h.params.CallSid === sid);
    expect(cb.params.CallStatus).toBe('completed');
    expect(sandbox.events.all((e) => e.type === 'webhook.response' && e.injected === true).length).toBe(2);
    sandbox.control.clearFaults();
  });

  it('a failing voice URL is an application error (11200) and ends the call', async () => {
    hooks.route('/broken', () => ({ status: 500 }));
    sandbox.control.addNumber({ phoneNumber: '+15005559002', voiceUrl: hooks.url('/broken') });
    const sid = sandbox.control.placeInboundCall({ from: '+15551110010', to: '+15005559002' });
    await sandbox.control.waitFor((e) => e.type === 'call.error' && e.callSid === sid && e.code === 11200);
    await sandbox.control.waitForCallStatus(sid, 'failed');
    // Without a Voice Fallback URL nothing else is requested.
    expect(sandbox.events.all((e) => e.type === 'twiml.fallback' && e.callSid === sid)).toEqual([]);
    expect(sandbox.control.report(sid).heard?.say).toEqual([APPLICATION_ERROR]);
    expect(() => sandbox.control.placeInboundCall({ from: '+1555', to: '+19999999999' })).toThrow(/not a number/);
  });
});

const APPLICATION_ERROR = 'An application error has occurred. Goodbye.';

describe('Voice Fallback URL', () => {
  let fallbackNumbers = 0;

  /** A number with a voice URL and a fallback URL (paths as the cloud API names them), each served as given. */
  function numberWithFallback(voice: WebhookHandler | string, fallback: WebhookHandler | string, method?: 'GET' | 'POST') {
    const tag = ++fallbackNumbers;
    const voicePath = `/twilio/voice/inbound-${tag}`;
    const fallbackPath = `/twilio/voice/fallback-${tag}`;
    hooks.route(voicePath, voice).route(fallbackPath, fallback);
    const phoneNumber = `+1500555${String(9100 + tag)}`;
    sandbox.control.addNumber({ phoneNumber, voiceUrl: hooks.url(voicePath), voiceFallbackUrl: hooks.url(fallbackPath), ...(method ? { voiceFallbackMethod: method } : {}) });
    return { to: phoneNumber, voicePath, fallbackPath, voiceUrl: hooks.url(voicePath) };
  }

  const errorCodes = (sid: string): unknown[] => sandbox.events.all((e) => e.type === 'call.error' && e.callSid === sid).map((e) => e.code);
  const hitsOf = (path: string, sid: string) => hooks.hits.filter((h) => h.path === path && h.params.CallSid === sid);

  it('a voice URL answering 503 sends the call to the fallback (ErrorCode 11200, ErrorUrl) and runs its TwiML', async () => {
    const { to, fallbackPath, voiceUrl } = numberWithFallback(() => ({ status: 503 }), '<Response><Say>We are having trouble. Please call back.</Say></Response>');
    const sid = sandbox.control.placeInboundCall({ from: '+15551119101', to });
    const hit = await hooks.waitForHit((h) => h.path === fallbackPath && h.params.CallSid === sid);
    expect(hit.method).toBe('POST');
    // The call's usual parameters, plus what failed and where.
    expect(hit.params).toMatchObject({ ErrorCode: '11200', ErrorUrl: voiceUrl, AccountSid: sandbox.accountSid, From: '+15551119101', To: to, CallStatus: 'ringing', Direction: 'inbound' });
    await sandbox.control.waitForCallStatus(sid, 'completed');
    expect(sandbox.control.report(sid).heard?.say).toEqual(['We are having trouble. Please call back.']);
    // Twilio still logs the failure of the voice URL.
    expect(errorCodes(sid)).toEqual([11200]);
    expect(sandbox.events.all((e) => e.type === 'twiml.fallback' && e.callSid === sid)).toMatchObject([{ errorCode: 11200, errorUrl: voiceUrl }]);
  });

  it('invalid TwiML from the voice URL is 12100; the fallback is requested with its method and relative URLs resolve against it', async () => {
    hooks.route('/twilio/voice/recovered', '<Response><Say>Recovered</Say></Response>');
    const { to, fallbackPath, voiceUrl } = numberWithFallback('this is not TwiML', '<Response><Redirect>recovered</Redirect></Response>', 'GET');
    const sid = sandbox.control.placeInboundCall({ from: '+15551119102', to });
    const hit = await hooks.waitForHit((h) => h.path === fallbackPath && h.params.CallSid === sid);
    expect(hit).toMatchObject({ method: 'GET', params: { ErrorCode: '12100', ErrorUrl: voiceUrl } });
    await sandbox.control.waitForCallStatus(sid, 'completed');
    expect(sandbox.control.report(sid).heard?.say).toEqual(['Recovered']);
    expect(errorCodes(sid)).toEqual([12100]);
  });

  it('a later document of the call (a Redirect) that fails also goes to the fallback', async () => {
    hooks.route('/twilio/voice/broken-later', () => ({ status: 500 }));
    const { to, fallbackPath } = numberWithFallback('<Response><Say>One moment</Say><Redirect>/twilio/voice/broken-later</Redirect></Response>', '<Response><Say>Back on track</Say></Response>');
    const sid = sandbox.control.placeInboundCall({ from: '+15551119103', to });
    const hit = await hooks.waitForHit((h) => h.path === fallbackPath && h.params.CallSid === sid);
    expect(hit.params).toMatchObject({ ErrorCode: '11200', ErrorUrl: hooks.url('/twilio/voice/broken-later'), CallStatus: 'in-progress' });
    await sandbox.control.waitForCallStatus(sid, 'completed');
    expect(sandbox.control.report(sid).heard?.say).toEqual(['One moment', 'Back on track']);
  });

  it('an injected webhook failure of the voice URL leaves the fallback URL working', async () => {
    const { to, voicePath, fallbackPath } = numberWithFallback('<Response><Say>Normal greeting</Say></Response>', '<Response><Say>Fallback greeting</Say></Response>');
    sandbox.control.failWebhooks(voicePath, 1);
    const sid = sandbox.control.placeInboundCall({ from: '+15551119104', to });
    await sandbox.control.waitForCallStatus(sid, 'completed');
    expect(sandbox.control.report(sid).heard?.say).toEqual(['Fallback greeting']);
    expect(hitsOf(fallbackPath, sid)).toHaveLength(1);
    sandbox.control.clearFaults();
  });

  it('once per call: a failing fallback, or a failure after it, is the application error', async () => {
    const failing = numberWithFallback(() => ({ status: 503 }), () => ({ status: 500 }));
    const sid = sandbox.control.placeInboundCall({ from: '+15551119105', to: failing.to });
    await sandbox.control.waitForCallStatus(sid, 'failed');
    expect(sandbox.control.report(sid).heard?.say).toEqual([APPLICATION_ERROR]);
    expect(errorCodes(sid)).toEqual([11200, 11200]);
    expect(hitsOf(failing.fallbackPath, sid)).toHaveLength(1);

    // The fallback sends the call back to the voice URL, which fails again: no second fallback.
    const retrying = numberWithFallback(() => ({ status: 503 }), '<Response/>');
    hooks.route(retrying.fallbackPath, `<Response><Say>Trying again</Say><Redirect>${retrying.voiceUrl}</Redirect></Response>`);
    const again = sandbox.control.placeInboundCall({ from: '+15551119106', to: retrying.to });
    await sandbox.control.waitForCallStatus(again, 'failed');
    expect(sandbox.control.report(again).heard?.say).toEqual(['Trying again', APPLICATION_ERROR]);
    expect(hitsOf(retrying.voicePath, again)).toHaveLength(2);
    expect(hitsOf(retrying.fallbackPath, again)).toHaveLength(1);
  });

  it("a number using a TwiML app gets the app's fallback", async () => {
    hooks.route('/twilio/voice/app-broken', () => ({ status: 502 })).route('/twilio/voice/app-fallback', '<Response><Say>App fallback</Say></Response>');
    const app = sandbox.control.createApplication({ voiceUrl: hooks.url('/twilio/voice/app-broken'), voiceFallbackUrl: hooks.url('/twilio/voice/app-fallback') });
    sandbox.control.addNumber({ phoneNumber: '+15005559199', voiceApplicationSid: app.sid });
    const sid = sandbox.control.placeInboundCall({ from: '+15551119107', to: '+15005559199' });
    await sandbox.control.waitForCallStatus(sid, 'completed');
    expect(sandbox.control.report(sid).heard?.say).toEqual(['App fallback']);
    expect(hitsOf('/twilio/voice/app-fallback', sid)[0]?.params).toMatchObject({ ErrorCode: '11200', ErrorUrl: hooks.url('/twilio/voice/app-broken') });
  });
});
