// Protocol-sequence test: the exact PStream frames the pinned SDK exchanges with the edge for each
// flow. If an SDK upgrade changes the message flow, this fails and the sandbox must be re-checked
// against the new SDK (see ../../shared/TWILIO-SANDBOX-NOTES.md) before the golden lists are updated.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
import { SdkBrowser } from './testing/sdk-browser';
import { WebhookApp } from './testing/webhook-app';

const PINNED_SDK = '2.18.5';
let sandbox: Sandbox;
let browser: SdkBrowser;
let hooks: WebhookApp;
const NUMBER = '+15005550300';

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.2, sayMsPerChar: 10 });
  hooks = await WebhookApp.start(sandbox.authToken);
  sandbox.control.addNumber({ phoneNumber: NUMBER, voiceUrl: hooks.url('/voice') });
  hooks.route('/voice', '<Response><Dial><Client>proto</Client></Dial></Response>');
  hooks.route('/app', '<Response><Pause length="600"/></Response>');
  browser = await SdkBrowser.launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await hooks?.close();
  await sandbox?.stop();
});

/** Signaling frames since `seq`, as "in:<type>" (SDK → edge) and "out:<type>" (edge → SDK). */
function framesSince(seq: number): string[] {
  return sandbox.events
    .all((e) => e.seq > seq && (e.type === 'signal.in' || e.type === 'signal.out'))
    .map((e) => `${e.type === 'signal.in' ? 'in' : 'out'}:${String(e.message)}`);
}

describe('PStream message flow of the pinned SDK', () => {
  it('is the pinned version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../node_modules/@twilio/voice-sdk/package.json', import.meta.url), 'utf8')) as { version: string };
    expect(pkg.version).toBe(PINNED_SDK);
  });

  it('register, incoming (accept/hang-up, reject, cancel), call message, outgoing, unregister', async () => {
    const app = sandbox.control.createApplication({ voiceUrl: hooks.url('/app') });
    let seq = sandbox.events.lastSeq;
    await browser.createDevice('proto', sandbox.createAccessToken('proto', { outgoingApplicationSid: app.sid }), sandbox.edgeHost);
    await browser.registerDevice('proto');
    expect(framesSince(seq)).toEqual(['in:listen', 'out:connected', 'in:register', 'out:ready']);

    // Incoming, accepted, call message, hung up by the far side.
    seq = sandbox.events.lastSeq;
    let mark = browser.events.length;
    let inbound = sandbox.control.placeInboundCall({ from: '+15551230301', to: NUMBER });
    let incoming = await browser.waitFor((e) => e.type === 'device.incoming', { since: mark });
    await browser.call('accept', incoming.callId);
    await browser.waitFor((e) => e.type === 'call.accept' && e.callId === incoming.callId, { since: mark });
    await browser.call('sendMessage', incoming.callId, { n: 1 });
    await browser.waitFor((e) => e.type === 'call.messageSent', { since: mark });
    sandbox.control.partyHangsUp(inbound);
    await browser.waitFor((e) => e.type === 'call.disconnect' && e.callId === incoming.callId, { since: mark });
    expect(framesSince(seq)).toEqual(['out:invite', 'in:answer', 'in:message', 'out:ack', 'out:hangup']);

    // Incoming, rejected.
    seq = sandbox.events.lastSeq;
    mark = browser.events.length;
    inbound = sandbox.control.placeInboundCall({ from: '+15551230302', to: NUMBER });
    incoming = await browser.waitFor((e) => e.type === 'device.incoming', { since: mark });
    await browser.call('reject', incoming.callId);
    await sandbox.control.waitForCallStatus(inbound, 'completed');
    expect(framesSince(seq)).toEqual(['out:invite', 'in:reject']);

    // Incoming, cancelled by the caller.
    seq = sandbox.events.lastSeq;
    mark = browser.events.length;
    inbound = sandbox.control.placeInboundCall({ from: '+15551230303', to: NUMBER });
    incoming = await browser.waitFor((e) => e.type === 'device.incoming', { since: mark });
    sandbox.control.partyHangsUp(inbound);
    await browser.waitFor((e) => e.type === 'call.cancel' && e.callId === incoming.callId, { since: mark });
    expect(framesSince(seq)).toEqual(['out:invite', 'out:cancel']);

    // Outgoing, hung up by the browser.
    seq = sandbox.events.lastSeq;
    mark = browser.events.length;
    const callId = await browser.call<string>('connect', 'proto', { To: '+15557770000' });
    await browser.waitFor((e) => e.type === 'call.accept' && e.callId === callId, { since: mark });
    await browser.call('disconnect', callId);
    await sandbox.control.waitFor((e) => e.type === 'call.ended' && e.seq > seq);
    expect(framesSince(seq)).toEqual(['in:invite', 'out:ringing', 'out:answer', 'in:hangup']);

    // Unregister.
    seq = sandbox.events.lastSeq;
    mark = browser.events.length;
    await browser.call('unregister', 'proto');
    await browser.waitFor((e) => e.type === 'device.unregistered', { since: mark });
    expect(framesSince(seq)).toEqual(['in:register', 'out:offline']);
  });
});
