// Fault injection against the real SDK, and the drop-in mode where an unmodified Device (no
// chunderw) reaches the sandbox through a Chromium host-resolver rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
import { SdkBrowser, type HarnessEvent } from './testing/sdk-browser';
import { WebhookApp } from './testing/webhook-app';

let sandbox: Sandbox;
let browser: SdkBrowser;
let hooks: WebhookApp;
const NUMBER = '+15005550200';

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.2, sayMsPerChar: 10 });
  hooks = await WebhookApp.start(sandbox.authToken);
  sandbox.control.addNumber({ phoneNumber: NUMBER, voiceUrl: hooks.url('/voice') });
  hooks.route('/voice', (hit) => `<Response><Dial><Client>${hit.params.From === '+15551230077' ? 'dropin' : 'gina'}</Client></Dial></Response>`);
  browser = await SdkBrowser.launch();
  await browser.createDevice('gina', sandbox.createAccessToken('gina'), sandbox.edgeHost);
  await browser.registerDevice('gina');
}, 60_000);

afterAll(async () => {
  expect(browser.nonLoopbackRequests).toEqual([]);
  await browser?.close();
  await hooks?.close();
  await sandbox?.stop();
});

async function answeredCall(from: string): Promise<{ inbound: string; child: string; incoming: HarnessEvent; mark: number }> {
  const mark = browser.events.length;
  const inbound = sandbox.control.placeInboundCall({ from, to: NUMBER });
  const incoming = await browser.waitFor((e) => e.type === 'device.incoming' && e.deviceId === 'gina', { since: mark });
  await browser.call('accept', incoming.callId);
  await browser.waitForInboundAudio(incoming.callId!);
  await sandbox.control.waitFor((e) => e.type === 'call.bridged' && e.callSid === inbound);
  return { inbound, child: sandbox.control.childrenOf(inbound)[0]!.callSid, incoming, mark };
}

describe('fault injection', () => {
  it('a dropped signaling socket: the SDK reconnects, re-attaches the call, media keeps flowing', async () => {
    const { inbound, child, incoming, mark } = await answeredCall('+15551230071');
    expect(sandbox.control.dropSignaling('gina')).toBe(1);
    await browser.waitFor((e) => e.type === 'call.reconnecting' && e.callId === incoming.callId, { since: mark });
    await browser.waitFor((e) => e.type === 'call.reconnected' && e.callId === incoming.callId, { since: mark });
    await sandbox.control.waitFor((e) => e.type === 'call.reconnected' && e.callSid === child);
    const before = (await browser.audioStats(incoming.callId!))!.packetsReceived;
    await browser.waitForPackets(incoming.callId!, before + 25);
    // Hang-up still works over the new socket.
    await browser.call('disconnect', incoming.callId);
    await sandbox.control.waitForCallStatus(child, 'completed');
    await sandbox.control.waitForCallStatus(inbound, 'completed');
    await browser.waitFor((e) => e.type === 'device.registered' && e.deviceId === 'gina', { since: mark });
  });

  it('killed media: the SDK warns about missing audio while signaling stays up', async () => {
    const { inbound, child, incoming, mark } = await answeredCall('+15551230072');
    sandbox.control.killMedia(child);
    const warning = await browser.waitFor((e) => e.type === 'call.warning' && e.callId === incoming.callId && /bytes-received|audio/.test(String(e.name)), { since: mark, timeoutMs: 20_000 });
    expect(warning.name).toBeTruthy();
    sandbox.control.hangup(inbound);
    await browser.waitFor((e) => e.type === 'call.disconnect' && e.callId === incoming.callId, { since: mark });
  });

  it('stopped heartbeats: after 15 s of silence the SDK drops the socket and registers again', async () => {
    const mark = browser.events.length;
    const seq = sandbox.events.lastSeq;
    sandbox.control.stopHeartbeats();
    await sandbox.events.waitFor((e) => e.type === 'signal.disconnect' && e.identity === 'gina', { sinceSeq: seq, timeoutMs: 25_000 });
    sandbox.control.clearFaults();
    await browser.waitFor((e) => e.type === 'device.registered' && e.deviceId === 'gina', { since: mark, timeoutMs: 15_000 });
    expect(sandbox.events.all((e) => e.seq > seq && e.type === 'device.registered' && e.identity === 'gina').length).toBeGreaterThan(0);
  }, 45_000);
});

describe('drop-in for Twilio hostnames', () => {
  it('an unmodified Device (default edge) registers and takes a call through a host-resolver rule', async () => {
    const dropIn = await SdkBrowser.launch({ extraArgs: [`--host-resolver-rules=MAP voice-js.roaming.twilio.com ${sandbox.edgeHost}`] });
    try {
      await dropIn.createDevice('dropin', sandbox.createAccessToken('dropin'), null);
      await dropIn.registerDevice('dropin');
      const inbound = sandbox.control.placeInboundCall({ from: '+15551230077', to: NUMBER });
      const incoming = await dropIn.waitFor((e) => e.type === 'device.incoming');
      await dropIn.call('accept', incoming.callId);
      await dropIn.waitForInboundAudio(incoming.callId!);
      await sandbox.control.waitForAudio(inbound, 'heard');
      sandbox.control.partyHangsUp(inbound);
      await dropIn.waitFor((e) => e.type === 'call.disconnect');
      expect(dropIn.nonLoopbackRequests).toEqual([]);
    } finally {
      await dropIn.close();
    }
  }, 60_000);
});
