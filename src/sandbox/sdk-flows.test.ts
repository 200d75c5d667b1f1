// The real @twilio/voice-sdk in Chromium against the sandbox: every signaling flow, with
// two-way audio and DTMF asserted at both ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
import { SdkBrowser } from './testing/sdk-browser';
import { WebhookApp } from './testing/webhook-app';

let sandbox: Sandbox;
let browser: SdkBrowser;
let hooks: WebhookApp;
const NUMBER = '+15005550100';

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.2, sayMsPerChar: 10, callbackRetryBaseMs: 20 });
  hooks = await WebhookApp.start(sandbox.authToken);
  browser = await SdkBrowser.launch();
  sandbox.control.addNumber({ phoneNumber: NUMBER, voiceUrl: hooks.url('/voice'), statusCallback: hooks.url('/status') });
  hooks.route('/voice', '<Response><Dial timeout="20"><Client>alice</Client></Dial></Response>');
  await browser.createDevice('alice', sandbox.createAccessToken('alice'), sandbox.edgeHost);
  await browser.registerDevice('alice');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hooks?.close();
  await sandbox?.stop();
});

describe('real SDK against the sandbox', () => {
  it('registers with the identity from the token', async () => {
    expect(await browser.call('identity', 'alice')).toBe('alice');
    expect(await browser.call('state', 'alice')).toBe('registered');
  });

  it('incoming call: accept, two-way audio, DTMF, remote hangup', async () => {
    const since = browser.events.length;
    const inbound = sandbox.control.placeInboundCall({ from: '+15551230001', to: NUMBER, voice: 'speech' });
    const incoming = await browser.waitFor((e) => e.type === 'device.incoming', { since });
    expect(incoming.from).toBe('+15551230001');
    await browser.call('accept', incoming.callId);
    await browser.waitFor((e) => e.type === 'call.ice' && e.callId === incoming.callId && e.state === 'connected', { since });
    await browser.waitForInboundAudio(incoming.callId!);
    // The caller hears the browser's (fake) microphone.
    await sandbox.control.waitFor((e) => e.type === 'call.bridged' && e.callSid === inbound);
    await browser.call('sendDigits', incoming.callId, '1#');
    const child = sandbox.control.childrenOf(inbound)[0]!;
    await sandbox.control.waitFor(() => sandbox.control.report(inbound).heard?.digits === '1#');
    await sandbox.control.waitForAudio(inbound, 'heard');
    expect(sandbox.control.report(inbound).heard!.energy.audibleFrames).toBeGreaterThan(0);
    sandbox.control.partyHangsUp(inbound);
    await browser.waitFor((e) => e.type === 'call.disconnect' && e.callId === incoming.callId, { since });
    await sandbox.control.waitForCallStatus(child.callSid, 'completed');
  });
});
