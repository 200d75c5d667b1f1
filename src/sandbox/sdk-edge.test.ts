// Unmodified Voice SDK pages against the sandbox through the host-resolver drop-in alone: the
// pinned SDK (voice-js.roaming.twilio.com) and the oldest 2.x release the registry serves
// (chunderw-vpc-gll.twilio.com), with default options — sounds from Twilio's sound host, Insights
// on. Each registers, rings, answers with audio both ways and hangs up; nothing leaves loopback.
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxTwilioClient, startSandbox, type Sandbox } from './index';
import { SDK_BUNDLE, SdkBrowser } from './testing/sdk-browser';
import { WebhookApp } from './testing/webhook-app';
import { TWILIO_HOSTNAMES } from './tls/twilio-hostnames';
import { ensureVoiceSdk, OLDEST_VOICE_SDK_2X } from './tools/fetch-voice-sdk';

let sandbox: Sandbox;
let hooks: WebhookApp;
const NUMBER = '+15125550188';

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.2, sayMsPerChar: 10 });
  hooks = await WebhookApp.start(sandbox.authToken);
  sandbox.control.addNumber({ phoneNumber: NUMBER, voiceUrl: hooks.url('/voice') });
}, 60_000);

afterAll(async () => {
  await hooks?.close();
  await sandbox?.stop();
});

const cases = [
  { sdk: 'pinned 2.18.5', bundle: async () => SDK_BUNDLE, signalingHost: 'voice-js.roaming.twilio.com' },
  { sdk: `oldest 2.x (${OLDEST_VOICE_SDK_2X})`, bundle: () => ensureVoiceSdk(OLDEST_VOICE_SDK_2X), signalingHost: 'chunderw-vpc-gll.twilio.com' },
];

describe.each(cases)('an unmodified page with the $sdk SDK and default options', ({ sdk, bundle, signalingHost }) => {
  let browser: SdkBrowser;
  const identity = `front-desk-${sdk.split(' ')[0]}`;

  beforeAll(async () => {
    browser = await SdkBrowser.launch({
      sdkBundle: await bundle(),
      extraArgs: [`--host-resolver-rules=${sandbox.hostResolverRules}`],
      mappedHosts: TWILIO_HOSTNAMES,
    });
  }, 180_000);

  afterAll(async () => {
    expect(browser.nonLoopbackRequests).toEqual([]);
    await browser?.close();
  });

  it('registers on its default signaling host, rings at once with sounds from the sandbox, talks, hangs up, places a call, and reports to Insights', async () => {
    // A key made through REST signs the token, as a cloud would after creating its own key.
    const key = await createSandboxTwilioClient(sandbox).newKeys.create({ friendlyName: identity });
    const app = sandbox.control.createApplication({ voiceUrl: hooks.url('/outgoing') });
    const token = new twilio.jwt.AccessToken(sandbox.accountSid, key.sid, key.secret, { identity, ttl: 3600 });
    token.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ incomingAllow: true, outgoingApplicationSid: app.sid }));
    const mark = sandbox.events.lastSeq;
    // No chunderw, eventgw, sounds or publishEvents options: everything as the SDK defaults.
    await browser.createDevice(identity, token.toJwt(), null, { publishEvents: true, sounds: 'sdk-default' });
    await browser.registerDevice(identity);
    expect(sandbox.events.all((e) => e.seq > mark && e.type === 'signal.upgrade').map((e) => e.host)).toContain(signalingHost);

    hooks.route('/voice', `<Response><Dial><Client>${identity}</Client></Dial></Response>`);
    const inbound = sandbox.control.placeInboundCall({ from: '+12125550142', to: NUMBER, voice: 'speech' });
    const incoming = await browser.waitFor((e) => e.type === 'device.incoming' && e.deviceId === identity);
    // The SDK holds `incoming` until its ringtone loads (up to ~2 s when Twilio's sound host is
    // unreachable): the ringtone must have come from the sandbox, before the call was announced.
    const sounds = sandbox.events.all((e) => e.seq > mark && e.type === 'cdn.sound');
    const ringtone = sounds.find((e) => String(e.file).startsWith('incoming.') && e.served === true);
    expect(ringtone).toBeDefined();
    expect(ringtone!.at).toBeLessThan(incoming.at);
    expect(browser.mappedRequests.some((u) => u.startsWith('https://sdk.twilio.com/js/client/sounds/releases/'))).toBe(true);

    await browser.call('accept', incoming.callId);
    await browser.waitForInboundAudio(incoming.callId!);
    const child = sandbox.control.childrenOf(inbound)[0]!;
    await sandbox.control.waitForAudio(child.callSid, 'spoke');
    sandbox.control.partyHangsUp(inbound);
    await browser.waitFor((e) => e.type === 'call.disconnect' && e.callId === incoming.callId);

    // And a call the page places: the TwiML app dials a scripted phone that talks back.
    hooks.route('/outgoing', (hit) => `<Response><Dial callerId="${NUMBER}"><Number>${hit.params.To}</Number></Dial></Response>`);
    sandbox.control.setPartyBehaviour('+15550005005', { answer: 'answer', voice: 'speech' });
    const callId = await browser.call<string>('connect', identity, { To: '+15550005005' });
    await browser.waitFor((e) => e.type === 'call.accept' && e.callId === callId);
    await browser.waitForInboundAudio(callId);
    const outgoing = await hooks.waitForHit((h) => h.path === '/outgoing' && h.params.From === `client:${identity}`);
    expect(outgoing.params).toMatchObject({ To: '+15550005005', ApplicationSid: app.sid, ToCountry: 'US' });
    await browser.call('disconnect', callId);
    await sandbox.control.waitForCallStatus(outgoing.params.CallSid!, 'completed');

    const posted = await sandbox.control.waitFor((e) => e.type === 'insights.received' && e.identity === identity && e.endpoint === 'EndpointEvents');
    expect(posted).toBeDefined();
    const events = sandbox.insights.all({ identity, endpoint: 'EndpointEvents' });
    expect(events.some((p) => p.callSid === child.callSid)).toBe(true);
    expect(browser.mappedRequests.some((u) => /^https:\/\/eventgw\.([a-z0-9-]+\.)?twilio\.com\/v4\/EndpointEvents$/.test(u))).toBe(true);
  }, 90_000);
});

describe('the Insights gateway', () => {
  it('refuses posts without a valid access token and serves what it kept over the control API', async () => {
    const post = (token: string): Promise<Response> =>
      fetchInsecure(`${sandbox.restBaseUrl}/v4/EndpointEvents`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-twilio-token': token }, body: JSON.stringify({ group: 'g', name: 'n', level: 'INFO', payload: {} }) });
    expect((await post('not-a-token')).status).toBe(401);
    expect((await post(sandbox.createAccessToken('gw-check'))).status).toBe(200);
    const auth = Buffer.from(`${sandbox.accountSid}:${sandbox.authToken}`).toString('base64');
    const kept = (await (await fetchInsecure(`${sandbox.restBaseUrl}/sandbox/insights?identity=gw-check`, { headers: { authorization: `Basic ${auth}` } })).json()) as Array<{ name: string }>;
    expect(kept.map((p) => p.name)).toEqual(['n']);
    expect((await fetchInsecure(`${sandbox.restBaseUrl}/sandbox/insights`, {})).status).toBe(401);
  });
});

/** fetch over the sandbox's TLS, trusting exactly its CA. */
async function fetchInsecure(url: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Response> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ca: sandbox.caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0 })));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('Opus where the SDK prefers it', () => {
  let browser: SdkBrowser;
  beforeAll(async () => {
    browser = await SdkBrowser.launch();
  }, 60_000);
  afterAll(async () => {
    expect(browser.nonLoopbackRequests).toEqual([]);
    await browser?.close();
  });

  it('a Device with codecPreferences opus-first talks Opus both ways, in and out; the default stays PCMU', async () => {
    await browser.createDevice('opus', sandbox.createAccessToken('opus'), sandbox.edgeHost, { codecPreferences: ['opus', 'pcmu'] });
    await browser.registerDevice('opus');
    hooks.route('/voice', '<Response><Dial><Client>opus</Client></Dial></Response>');
    const mark = browser.events.length;
    const inbound = sandbox.control.placeInboundCall({ from: '+12125550143', to: NUMBER, voice: 'speech' });
    const incoming = await browser.waitFor((e) => e.type === 'device.incoming' && e.deviceId === 'opus', { since: mark });
    await browser.call('accept', incoming.callId);
    await browser.waitForInboundAudio(incoming.callId!);
    expect(await browser.audioStats(incoming.callId!)).toMatchObject({ inboundCodec: 'audio/opus', outboundCodec: 'audio/opus' });
    const child = sandbox.control.childrenOf(inbound)[0]!;
    await sandbox.control.waitForAudio(child.callSid, 'spoke'); // decoded from the browser's Opus
    await sandbox.control.waitForAudio(inbound, 'heard'); // and bridged to the caller as PCMU
    sandbox.control.partyHangsUp(inbound);
    await browser.waitFor((e) => e.type === 'call.disconnect' && e.callId === incoming.callId, { since: mark });

    const app = sandbox.control.createApplication({ voiceUrl: hooks.url('/out') });
    hooks.route('/out', (hit) => `<Response><Dial callerId="${NUMBER}"><Number>${hit.params.To}</Number></Dial></Response>`);
    sandbox.control.setPartyBehaviour('+15550004004', { answer: 'answer', voice: 'speech' });
    for (const [deviceId, prefs, codec] of [['opus-out', ['opus', 'pcmu'], 'audio/opus'], ['pcmu-out', undefined, 'audio/PCMU']] as const) {
      await browser.createDevice(deviceId, sandbox.createAccessToken(deviceId, { outgoingApplicationSid: app.sid }), sandbox.edgeHost, prefs ? { codecPreferences: prefs } : {});
      const callId = await browser.call<string>('connect', deviceId, { To: '+15550004004' });
      await browser.waitFor((e) => e.type === 'call.accept' && e.callId === callId);
      await browser.waitForInboundAudio(callId);
      expect(await browser.audioStats(callId)).toMatchObject({ inboundCodec: codec, outboundCodec: codec });
      await browser.call('disconnect', callId);
    }
  }, 60_000);
});
