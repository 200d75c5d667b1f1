// Every REST endpoint through the official twilio client (custom httpClient), and every webhook
// the sandbox sends checked with twilio.validateRequest.
import { get } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type twilio from 'twilio';
import { createSandboxTwilioClient, startSandbox, type Sandbox } from './index';
import { SandboxHttpClient } from './client/twilio-client';
import { WebhookApp } from './testing/webhook-app';

let sandbox: Sandbox;
let client: twilio.Twilio;
let hooks: WebhookApp;
let owned: string;

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.05, sayMsPerChar: 5, callbackRetryBaseMs: 10 });
  hooks = await WebhookApp.start(sandbox.authToken);
  client = createSandboxTwilioClient(sandbox);
  const bought = await client.incomingPhoneNumbers.create({ areaCode: '512', voiceUrl: hooks.url('/voice') });
  owned = bought.phoneNumber;
});

afterAll(async () => {
  expect(hooks.hits.length).toBeGreaterThan(0);
  expect(hooks.hits.filter((h) => !h.signatureValid)).toEqual([]);
  await hooks?.close();
  await sandbox?.stop();
});

describe('auth and errors', () => {
  it('rejects a wrong auth token with 401 / 20003 in Twilio JSON', async () => {
    const wrong = createSandboxTwilioClient({ ...sandbox, authToken: 'nope' });
    await expect(wrong.calls.list()).rejects.toMatchObject({ status: 401, code: 20003 });
  });

  it('accepts API key credentials', async () => {
    const viaKey = (await import('twilio')).default(sandbox.apiKeySid, sandbox.apiKeySecret, {
      accountSid: sandbox.accountSid,
      httpClient: new SandboxHttpClient(sandbox) as never,
    });
    expect(Array.isArray(await viaKey.applications.list())).toBe(true);
  });

  it('404s an unknown call with 20404', async () => {
    await expect(client.calls('CA00000000000000000000000000000000').fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });
});

describe('phone numbers', () => {
  it('searches local numbers by area code, Contains (first/last/anywhere) and capabilities, with PageSize', async () => {
    const five = await client.availablePhoneNumbers('US').local.list({ areaCode: 702, pageSize: 5 });
    expect(five).toHaveLength(5);
    expect(five.every((n) => n.phoneNumber.startsWith('+1702'))).toBe(true);
    for (const code of [212, 310, 415]) expect(await client.availablePhoneNumbers('US').local.list({ areaCode: code })).toEqual([]);
    const first = await client.availablePhoneNumbers('US').local.list({ contains: '720*******', limit: 100 });
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((n) => n.phoneNumber.startsWith('+1720'))).toBe(true);
    const sample = first[0]!.phoneNumber;
    const last = await client.availablePhoneNumbers('US').local.list({ contains: `******${sample.slice(-4)}` });
    expect(last.map((n) => n.phoneNumber)).toContain(sample);
    expect(last.every((n) => n.phoneNumber.endsWith(sample.slice(-4)))).toBe(true);
    const anywhere = await client.availablePhoneNumbers('US').local.list({ contains: sample.slice(5, 9), limit: 1000 });
    expect(anywhere.map((n) => n.phoneNumber)).toContain(sample);
    const mms = await client.availablePhoneNumbers('US').local.list({ mmsEnabled: true, smsEnabled: true, voiceEnabled: true, limit: 1000 });
    expect(mms.length).toBeGreaterThan(0);
    // Twilio's available-number capabilities say SMS and MMS in capitals; the client passes them through.
    const caps = (n: { capabilities: unknown }): Record<string, boolean> => n.capabilities as Record<string, boolean>;
    expect(mms.every((n) => caps(n).MMS && caps(n).SMS && caps(n).voice)).toBe(true);
    const tollFree = await client.availablePhoneNumbers('US').tollFree.list({ contains: '800*******', pageSize: 3 });
    expect(tollFree).toHaveLength(3);
    expect(tollFree.every((n) => n.phoneNumber.startsWith('+1800'))).toBe(true);
  });

  it('buys, updates and releases a number; a released number returns to the inventory', async () => {
    const [candidate] = await client.availablePhoneNumbers('US').local.list({ areaCode: 617, limit: 1 });
    const bought = await client.incomingPhoneNumbers.create({ phoneNumber: candidate!.phoneNumber, friendlyName: 'Front desk' });
    expect(bought).toMatchObject({ phoneNumber: candidate!.phoneNumber, friendlyName: 'Front desk' });
    const afterBuy = await client.availablePhoneNumbers('US').local.list({ areaCode: 617, limit: 1000 });
    expect(afterBuy.map((n) => n.phoneNumber)).not.toContain(candidate!.phoneNumber);
    await expect(client.incomingPhoneNumbers.create({ phoneNumber: candidate!.phoneNumber })).rejects.toMatchObject({ status: 400, code: 21422 });
    await expect(client.incomingPhoneNumbers.create({ areaCode: '212' })).rejects.toMatchObject({ status: 400, code: 21452 });
    const updated = await client.incomingPhoneNumbers(bought.sid).update({ voiceUrl: hooks.url('/other'), friendlyName: 'Spa line' });
    expect(updated).toMatchObject({ voiceUrl: hooks.url('/other'), friendlyName: 'Spa line' });
    expect((await client.incomingPhoneNumbers.list({ phoneNumber: candidate!.phoneNumber }))[0]?.sid).toBe(bought.sid);
    await client.incomingPhoneNumbers(bought.sid).remove();
    await expect(client.incomingPhoneNumbers(bought.sid).fetch()).rejects.toMatchObject({ code: 20404 });
    const afterRelease = await client.availablePhoneNumbers('US').local.list({ areaCode: 617, limit: 1000 });
    expect(afterRelease.map((n) => n.phoneNumber)).toContain(candidate!.phoneNumber);
  });
});

describe('applications', () => {
  it('creates, fetches, lists, updates and deletes a TwiML app', async () => {
    const app = await client.applications.create({ friendlyName: 'Softphone', voiceUrl: hooks.url('/app') });
    expect(app.sid).toMatch(/^AP[0-9a-f]{32}$/);
    expect((await client.applications(app.sid).fetch()).voiceUrl).toBe(hooks.url('/app'));
    expect((await client.applications.list({ friendlyName: 'Softphone' })).map((a) => a.sid)).toContain(app.sid);
    expect((await client.applications(app.sid).update({ voiceUrl: hooks.url('/app2') })).voiceUrl).toBe(hooks.url('/app2'));
    await client.applications(app.sid).remove();
    await expect(client.applications(app.sid).fetch()).rejects.toMatchObject({ code: 20404 });
  });
});

describe('calls', () => {
  it('creates an outbound call with TwiML and sends every status callback, signed, with durations', async () => {
    sandbox.control.setPartyBehaviour('+15550001001', { answerAfterMs: 50 });
    const call = await client.calls.create({
      to: '+15550001001',
      from: owned,
      twiml: '<Response><Say>Your appointment is tomorrow.</Say><Pause length="1"/></Response>',
      statusCallback: hooks.url('/call-status'),
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    });
    expect(call).toMatchObject({ direction: 'outbound-api', to: '+15550001001', from: owned });
    const completed = await hooks.waitForHit((h) => h.path === '/call-status' && h.params.CallSid === call.sid && h.params.CallStatus === 'completed');
    expect(completed.params.CallDuration).toMatch(/^\d+$/);
    // Callbacks are concurrent HTTP requests and may arrive out of order, as on Twilio: SequenceNumber orders them.
    const ofCall = (): typeof hooks.hits => hooks.hits.filter((h) => h.path === '/call-status' && h.params.CallSid === call.sid);
    await hooks.waitForHit(() => ofCall().length >= 4);
    const statuses = ofCall()
      .sort((a, b) => Number(a.params.SequenceNumber) - Number(b.params.SequenceNumber))
      .map((h) => h.params.CallStatus);
    expect(statuses).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
    const fetched = await client.calls(call.sid).fetch();
    expect(fetched.status).toBe('completed');
    expect(sandbox.control.report(call.sid).heard?.say).toEqual(['Your appointment is tomorrow.']);
    expect((await client.calls.list({ to: '+15550001001' })).map((c) => c.sid)).toContain(call.sid);
  });

  it('creates a call that runs a TwiML app (ApplicationSid)', async () => {
    hooks.route('/app-voice', '<Response><Say>From the app</Say></Response>');
    const app = await client.applications.create({ friendlyName: 'Reminders', voiceUrl: hooks.url('/app-voice') });
    const call = await client.calls.create({ to: '+15550001006', from: owned, applicationSid: app.sid });
    await sandbox.control.waitForCallStatus(call.sid, 'completed');
    const hit = await hooks.waitForHit((h) => h.path === '/app-voice' && h.params.CallSid === call.sid);
    expect(hit.params).toMatchObject({ Direction: 'outbound-api', CallStatus: 'in-progress', To: '+15550001006' });
    expect(sandbox.control.report(call.sid).heard?.say).toEqual(['From the app']);
  });

  it('reports busy and no-answer, and rejects an unowned From', async () => {
    sandbox.control.setPartyBehaviour('+15550001002', { answer: 'busy' });
    const busy = await client.calls.create({ to: '+15550001002', from: owned, twiml: '<Response/>' });
    await sandbox.control.waitForCallStatus(busy.sid, 'busy');
    sandbox.control.setPartyBehaviour('+15550001003', { answer: 'never' });
    const never = await client.calls.create({ to: '+15550001003', from: owned, twiml: '<Response/>', timeout: 1 });
    await sandbox.control.waitForCallStatus(never.sid, 'no-answer');
    await expect(client.calls.create({ to: '+15550001003', from: '+15559999999', twiml: '<Response/>' })).rejects.toMatchObject({ code: 21210 });
  });

  it('updates a live call with new TwiML, a new URL, and status=completed', async () => {
    hooks.route('/redirected', '<Response><Say>Moved by URL</Say><Pause length="600"/></Response>');
    const call = await client.calls.create({ to: '+15550001004', from: owned, twiml: '<Response><Pause length="600"/></Response>' });
    await sandbox.control.waitForCallStatus(call.sid, 'in-progress');
    await client.calls(call.sid).update({ twiml: '<Response><Say>Updated inline</Say><Pause length="600"/></Response>' });
    await sandbox.control.waitFor((e) => e.type === 'twiml.say' && e.callSid === call.sid && e.text === 'Updated inline');
    await client.calls(call.sid).update({ url: hooks.url('/redirected'), method: 'POST' });
    await sandbox.control.waitFor((e) => e.type === 'twiml.say' && e.callSid === call.sid && e.text === 'Moved by URL');
    expect((await client.calls(call.sid).update({ status: 'completed' })).sid).toBe(call.sid);
    await sandbox.control.waitForCallStatus(call.sid, 'completed');
    await expect(client.calls(call.sid).update({ twiml: '<Response/>' })).rejects.toMatchObject({ code: 21220 });
  });

  it('records a call through the Recordings API; paused audio is absent; media is a WAV', async () => {
    const call = await client.calls.create({ to: '+15550001005', from: owned, twiml: '<Response><Say>Recording test, please hold the line.</Say><Pause length="600"/></Response>' });
    await sandbox.control.waitForCallStatus(call.sid, 'in-progress');
    const rec = await client.calls(call.sid).recordings.create({ recordingStatusCallback: hooks.url('/rec-status') });
    expect(rec.status).toBe('in-progress');
    const framesAtStart = sandbox.control.report(call.sid).heard!.energy.frames;
    await sandbox.control.waitForMediaFrames(call.sid, 25);
    const paused = await client.calls(call.sid).recordings(rec.sid).update({ status: 'paused' });
    expect(paused.status).toBe('paused');
    await sandbox.control.waitForMediaFrames(call.sid, 75);
    await client.calls(call.sid).recordings(rec.sid).update({ status: 'in-progress' });
    await sandbox.control.waitForMediaFrames(call.sid, 25);
    const stopped = await client.calls(call.sid).recordings(rec.sid).update({ status: 'stopped' });
    expect(stopped.status).toBe('stopped');
    const elapsedFrames = sandbox.control.report(call.sid).heard!.energy.frames - framesAtStart;
    const fetched = await client.recordings(rec.sid).fetch();
    expect(fetched.callSid).toBe(call.sid);
    const status = await hooks.waitForHit((h) => h.path === '/rec-status' && h.params.RecordingSid === rec.sid);
    expect(status.params.RecordingStatus).toBe('completed');
    const wav = await fetchMedia(`/2010-04-01/Accounts/${sandbox.accountSid}/Recordings/${rec.sid}.wav`);
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    const recordedFrames = (wav.length - 44) / 320;
    // The 75 paused frames (1.5 s) are missing; the rest is there.
    expect(recordedFrames).toBeLessThanOrEqual(elapsedFrames - 70);
    expect(recordedFrames).toBeGreaterThanOrEqual(45);
    await client.calls(call.sid).update({ status: 'completed' });
  });
});

describe('messages', () => {
  it('sends a message with delivery status callbacks; undelivered when scripted', async () => {
    const message = await client.messages.create({ to: '+15550002000', from: owned, body: 'See you at 3pm', statusCallback: hooks.url('/sms-status') });
    expect(message).toMatchObject({ status: 'queued', body: 'See you at 3pm' });
    await hooks.waitForHit((h) => h.path === '/sms-status' && h.params.MessageSid === message.sid && h.params.MessageStatus === 'delivered');
    expect((await client.messages(message.sid).fetch()).status).toBe('delivered');
    await expect(client.messages.create({ to: '+15550002000', from: '+15559999999', body: 'x' })).rejects.toMatchObject({ code: 21606 });
    sandbox.control.setMessageOutcome('+15550002001', 'undelivered');
    const bad = await client.messages.create({ to: '+15550002001', from: owned, body: 'hi', statusCallback: hooks.url('/sms-status') });
    await hooks.waitForHit((h) => h.path === '/sms-status' && h.params.MessageSid === bad.sid && h.params.MessageStatus === 'undelivered');
    expect((await client.messages.list({ to: '+15550002000' })).map((m) => m.sid)).toContain(message.sid);
  });
});

function fetchMedia(path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const auth = `${sandbox.accountSid}:${sandbox.authToken}`;
    get(new URL(path, sandbox.restBaseUrl), { ca: sandbox.caPem, auth }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`HTTP ${res.statusCode}`))));
    }).on('error', reject);
  });
}
