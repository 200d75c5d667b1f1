import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxTwilioClient, startSandbox, type Sandbox } from '../index';
import { WebhookApp } from '../testing/webhook-app';

let sandbox: Sandbox;
let hooks: WebhookApp;

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.05 });
  hooks = await WebhookApp.start(sandbox.authToken);
});
afterAll(async () => {
  await hooks.close();
  await sandbox.stop();
});

/** Strict TLS: only the sandbox CA is trusted. */
function call(method: string, path: string, body?: unknown, auth = `${sandbox.accountSid}:${sandbox.authToken}`): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, sandbox.restBaseUrl), { method, ca: sandbox.caPem, auth, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

describe('control API over HTTPS', () => {
  it('is served with a certificate that chains to the exposed CA, and needs the account credentials', async () => {
    expect((await call('GET', '/sandbox/calls', undefined, 'AC:wrong')).status).toBe(401);
    expect((await call('GET', '/sandbox/calls')).status).toBe(200);
  });

  it('adds a number, places a scripted call, reports it, streams events, rejects bad input', async () => {
    hooks.route('/v', '<Response><Say>Hi there</Say><Pause length="600"/></Response>');
    expect((await call('POST', '/sandbox/numbers', { phoneNumber: '+15005551234', voiceUrl: hooks.url('/v') })).status).toBe(200);
    expect((await call('POST', '/sandbox/calls', { from: 'nope' })).status).toBe(400);
    const placed = (await call('POST', '/sandbox/calls', { from: '+15551239999', to: '+15005551234', voice: 'tone' })).json as { callSid: string };
    await sandbox.control.waitFor((e) => e.type === 'twiml.say' && e.callSid === placed.callSid);
    const report = (await call('GET', `/sandbox/calls/${placed.callSid}`)).json as { heard: { say: string[] } };
    expect(report.heard.say).toEqual(['Hi there']);
    const events = (await call('GET', '/sandbox/events?since=0')).json as Array<{ type: string }>;
    expect(events.some((e) => e.type === 'call.created')).toBe(true);
    expect((await call('POST', `/sandbox/calls/${placed.callSid}/hangup`, { by: 'twilio' })).status).toBe(200);
    await sandbox.control.waitForCallStatus(placed.callSid, 'completed');
    expect((await call('POST', '/sandbox/faults', { kind: 'fail-webhook', urlIncludes: '/x', times: 1 })).status).toBe(200);
    expect((await call('POST', '/sandbox/faults', { kind: 'bogus' })).status).toBe(400);
    const token = (await call('POST', '/sandbox/tokens', { identity: 'reception' })).json as { token: string };
    expect(token.token.split('.')).toHaveLength(3);
  });

  it('a drop-rest fault leaves the next matching REST requests unanswered (nothing runs); the official client sees no answer, then the next works', async () => {
    const twilio = createSandboxTwilioClient(sandbox);
    const [forSale] = await twilio.availablePhoneNumbers('US').local.list({ areaCode: 424, limit: 1 });
    expect((await call('POST', '/sandbox/faults', { kind: 'drop-rest', method: 'POST', pathIncludes: '/IncomingPhoneNumbers', times: 1 })).status).toBe(200);
    expect((await call('POST', '/sandbox/faults', { kind: 'drop-rest', method: 'GET', pathIncludes: 'PhoneNumber=', times: 1 })).status).toBe(200);
    const unanswered = await twilio.incomingPhoneNumbers.create({ phoneNumber: forSale!.phoneNumber }).then(() => null, (error: unknown) => error as { status?: number; message: string });
    expect(unanswered).toMatchObject({ message: expect.stringMatching(/socket hang up|ECONNRESET/) });
    expect(unanswered!.status).toBeUndefined(); // no HTTP answer at all
    await expect(twilio.incomingPhoneNumbers.list({ phoneNumber: forSale!.phoneNumber })).rejects.toThrow();
    // Each rule is spent: the look-up answers, and the dropped purchase never happened.
    expect(await twilio.incomingPhoneNumbers.list({ phoneNumber: forSale!.phoneNumber })).toEqual([]);
    expect((await twilio.incomingPhoneNumbers.create({ phoneNumber: forSale!.phoneNumber })).phoneNumber).toBe(forSale!.phoneNumber);
    expect((await call('POST', '/sandbox/faults', { kind: 'drop-rest', pathIncludes: '', times: 1 })).status).toBe(400);
  });

  it('a drop-rest fault with carryOutLater leaves the purchase unanswered, and carry-out-dropped makes it land later, exactly as asked', async () => {
    const twilio = createSandboxTwilioClient(sandbox);
    const [forSale] = await twilio.availablePhoneNumbers('US').local.list({ areaCode: 646, limit: 1 });
    expect((await call('POST', '/sandbox/faults', { kind: 'drop-rest', method: 'POST', pathIncludes: '/IncomingPhoneNumbers.json', times: 1, carryOutLater: true })).status).toBe(200);
    const unanswered = await twilio.incomingPhoneNumbers
      .create({ phoneNumber: forSale!.phoneNumber, friendlyName: 'Late line [npi_1]', voiceUrl: hooks.url('/late') })
      .then(() => null, (error: unknown) => error as { status?: number; message: string });
    expect(unanswered).toMatchObject({ message: expect.stringMatching(/socket hang up|ECONNRESET/) });
    expect(unanswered!.status).toBeUndefined();
    // Not bought yet: the purchase has not landed.
    expect(await twilio.incomingPhoneNumbers.list({ phoneNumber: forSale!.phoneNumber })).toEqual([]);
    expect(await call('POST', '/sandbox/faults', { kind: 'carry-out-dropped' })).toEqual({ status: 200, json: { carriedOut: 1 } });
    const [landed] = await twilio.incomingPhoneNumbers.list({ friendlyName: 'Late line [npi_1]' });
    expect(landed).toMatchObject({ phoneNumber: forSale!.phoneNumber, voiceUrl: hooks.url('/late'), origin: 'twilio' });
    expect(await call('POST', '/sandbox/faults', { kind: 'carry-out-dropped' })).toEqual({ status: 200, json: { carriedOut: 0 } }); // once
    // A cleared fault forgets what it held: that purchase never lands.
    const [other] = await twilio.availablePhoneNumbers('US').local.list({ areaCode: 917, limit: 1 });
    sandbox.control.dropRestRequests('/IncomingPhoneNumbers.json', 1, 'POST', { carryOutLater: true });
    await expect(twilio.incomingPhoneNumbers.create({ phoneNumber: other!.phoneNumber })).rejects.toThrow();
    sandbox.control.clearFaults();
    expect(await sandbox.control.carryOutDroppedRequests()).toBe(0);
    expect(await twilio.incomingPhoneNumbers.list({ phoneNumber: other!.phoneNumber })).toEqual([]);
    await twilio.incomingPhoneNumbers(landed!.sid).remove();
  });

  it('lists the account’s numbers as Twilio does: page by page with PageSize, filtered by Origin and Beta', async () => {
    const twilio = createSandboxTwilioClient(sandbox);
    const all = await twilio.incomingPhoneNumbers.list();
    expect(all.length).toBeGreaterThanOrEqual(2);
    let page = await twilio.incomingPhoneNumbers.page({ pageSize: 1, origin: 'twilio' });
    const pages = [page.instances.map((n) => n.sid)];
    while (page.nextPageUrl) {
      page = await twilio.incomingPhoneNumbers.getPage(page.nextPageUrl);
      pages.push(page.instances.map((n) => n.sid));
    }
    expect(pages).toEqual(all.map((n) => [n.sid]));
    expect(await twilio.incomingPhoneNumbers.list({ origin: 'hosted' })).toEqual([]);
    expect(await twilio.incomingPhoneNumbers.list({ beta: true })).toEqual([]);
    expect((await twilio.incomingPhoneNumbers.list({ beta: false })).map((n) => n.sid)).toEqual(all.map((n) => n.sid));
  });

  it('numbers and applications take a Voice Fallback URL; a fail-webhook fault on the voice URL sends the call there', async () => {
    hooks.route('/twilio/voice/inbound', '<Response><Say>Normal greeting</Say></Response>');
    hooks.route('/twilio/voice/fallback', '<Response><Say>Fallback greeting</Say></Response>');
    const added = await call('POST', '/sandbox/numbers', { phoneNumber: '+15005551240', voiceUrl: hooks.url('/twilio/voice/inbound'), voiceFallbackUrl: hooks.url('/twilio/voice/fallback'), voiceFallbackMethod: 'GET' });
    expect(added).toMatchObject({ status: 200, json: { voiceFallbackUrl: hooks.url('/twilio/voice/fallback'), voiceFallbackMethod: 'GET' } });
    expect((await call('POST', '/sandbox/faults', { kind: 'fail-webhook', urlIncludes: '/twilio/voice/inbound', times: 1 })).status).toBe(200);
    const placed = (await call('POST', '/sandbox/calls', { from: '+15551239998', to: '+15005551240' })).json as { callSid: string };
    const fallback = await hooks.waitForHit((h) => h.path === '/twilio/voice/fallback' && h.params.CallSid === placed.callSid);
    expect(fallback).toMatchObject({ method: 'GET', params: { ErrorCode: '11200', ErrorUrl: hooks.url('/twilio/voice/inbound') } });
    await sandbox.control.waitForCallStatus(placed.callSid, 'completed');
    expect(((await call('GET', `/sandbox/calls/${placed.callSid}`)).json as { heard: { say: string[] } }).heard.say).toEqual(['Fallback greeting']);

    const app = await call('POST', '/sandbox/applications', { voiceUrl: hooks.url('/twilio/voice/inbound'), voiceFallbackUrl: hooks.url('/twilio/voice/fallback') });
    expect(app).toMatchObject({ status: 200, json: { voiceFallbackUrl: hooks.url('/twilio/voice/fallback'), voiceFallbackMethod: 'POST' } });
    expect((await call('POST', '/sandbox/applications', { voiceUrl: hooks.url('/a'), voiceFallbackUrl: 'not a url' })).status).toBe(400);
  });
});
