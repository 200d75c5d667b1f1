// Outbound calls over REST (official twilio client) to scripted callees: people, voicemail boxes,
// fax machines, busy lines; answering-machine detection sync and async; the workflow Call action
// (whisper up to three times, keypress, bridge to the contact with AMD); a voicemail drop; and
// <Gather input="speech">. Every webhook is checked with twilio.validateRequest.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type twilio from 'twilio';
import { createSandboxTwilioClient, startSandbox, type Sandbox } from './index';
import { silentMp3 } from './testing/audio-fixtures';
import { WebhookApp } from './testing/webhook-app';

let sandbox: Sandbox;
let client: twilio.Twilio;
let hooks: WebhookApp;
let practice: string;
let n = 0;
const callee = (): string => `+1555300${String(1000 + ++n)}`;

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.05, sayMsPerChar: 5, callbackRetryBaseMs: 10 });
  hooks = await WebhookApp.start(sandbox.authToken);
  client = createSandboxTwilioClient(sandbox);
  practice = sandbox.control.addNumber({ phoneNumber: '+15125550100' }).phoneNumber;
});

afterAll(async () => {
  expect(hooks.hits.filter((h) => !h.signatureValid && !h.path.startsWith('/media/'))).toEqual([]);
  await hooks?.close();
  await sandbox?.stop();
});

describe('scripted callees', () => {
  it('a person answers and presses a key after N ms; busy, no-answer, failed; a default for unscripted numbers', async () => {
    const person = callee();
    sandbox.control.setPartyBehaviour(person, { answerAfterMs: 30, script: [{ delayMs: 100, press: '5' }] });
    hooks.route('/pressed', '<Response><Say>Thanks</Say></Response>');
    const call = await client.calls.create({ to: person, from: practice, twiml: `<Response><Gather numDigits="1" timeout="60" action="${hooks.url('/pressed')}"><Say>Press a key</Say></Gather></Response>` });
    expect((await hooks.waitForHit((h) => h.path === '/pressed' && h.params.CallSid === call.sid)).params.Digits).toBe('5');
    await sandbox.control.waitForCallStatus(call.sid, 'completed');
    expect(sandbox.control.report(call.sid).heard?.say).toEqual(['Press a key', 'Thanks']);

    const outcomes: Record<string, string> = {};
    for (const answer of ['busy', 'never', 'fail'] as const) {
      const to = callee();
      sandbox.control.setPartyBehaviour(to, { answer });
      const c = await client.calls.create({ to, from: practice, twiml: '<Response/>', timeout: 1 });
      outcomes[answer] = (await sandbox.control.waitFor((e) => e.type === 'call.ended' && e.callSid === c.sid)).status as string;
    }
    expect(outcomes).toEqual({ busy: 'busy', never: 'no-answer', fail: 'failed' });

    sandbox.control.setDefaultPartyBehaviour({ answer: 'busy' });
    const unscripted = await client.calls.create({ to: callee(), from: practice, twiml: '<Response/>' });
    await sandbox.control.waitForCallStatus(unscripted.sid, 'busy');
    sandbox.control.setDefaultPartyBehaviour({});
  });
});

describe('answering-machine detection', () => {
  it('synchronous: the TwiML request waits for the verdict and carries AnsweredBy; answered_by on the resource', async () => {
    const person = callee();
    const box = callee();
    const fax = callee();
    sandbox.control.setPartyBehaviour(person, { helloMs: 300 });
    sandbox.control.setPartyBehaviour(box, { answer: 'voicemail', greetingMs: 1200 });
    sandbox.control.setPartyBehaviour(fax, { answer: 'fax' });
    hooks.route('/amd-voice', '<Response><Hangup/></Response>');
    const verdicts: Record<string, string | undefined> = {};
    for (const [name, to] of [['person', person], ['box', box], ['fax', fax]] as const) {
      const call = await client.calls.create({ to, from: practice, url: hooks.url('/amd-voice'), machineDetection: 'Enable', machineDetectionSpeechThreshold: 1000 });
      const hit = await hooks.waitForHit((h) => h.path === '/amd-voice' && h.params.CallSid === call.sid);
      verdicts[name] = hit.params.AnsweredBy;
      await sandbox.control.waitForCallStatus(call.sid, 'completed');
      expect((await client.calls(call.sid).fetch()).answeredBy).toBe(hit.params.AnsweredBy);
    }
    expect(verdicts).toEqual({ person: 'human', box: 'machine_start', fax: 'fax' });
  });

  it('DetectMessageEnd waits for the beep (or the silence after a greeting without one)', async () => {
    const beeping = callee();
    const quiet = callee();
    sandbox.control.setPartyBehaviour(beeping, { answer: 'voicemail', greetingMs: 1100 });
    sandbox.control.setPartyBehaviour(quiet, { answer: 'voicemail', greetingMs: 1100, beep: false });
    hooks.route('/end-voice', '<Response><Hangup/></Response>');
    const started = Date.now();
    const a = await client.calls.create({ to: beeping, from: practice, url: hooks.url('/end-voice'), machineDetection: 'DetectMessageEnd', machineDetectionSpeechThreshold: 1000 });
    const hitA = await hooks.waitForHit((h) => h.path === '/end-voice' && h.params.CallSid === a.sid);
    expect(hitA.params.AnsweredBy).toBe('machine_end_beep');
    // The greeting (1.1 s) and its beep (0.5 s) are the callee's real time.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    const b = await client.calls.create({ to: quiet, from: practice, url: hooks.url('/end-voice'), machineDetection: 'DetectMessageEnd', machineDetectionSpeechThreshold: 1000 });
    expect((await hooks.waitForHit((h) => h.path === '/end-voice' && h.params.CallSid === b.sid)).params.AnsweredBy).toBe('machine_end_silence');
  });

  it('asynchronous: the TwiML runs at once and the verdict is posted to AsyncAmdStatusCallback', async () => {
    const box = callee();
    sandbox.control.setPartyBehaviour(box, { answer: 'voicemail', greetingMs: 1100 });
    hooks.route('/async-voice', '<Response><Pause length="60"/></Response>');
    const call = await client.calls.create({
      to: box,
      from: practice,
      url: hooks.url('/async-voice'),
      machineDetection: 'DetectMessageEnd',
      machineDetectionSpeechThreshold: 1000,
      asyncAmd: 'true',
      asyncAmdStatusCallback: hooks.url('/amd-result'),
    });
    const voice = await hooks.waitForHit((h) => h.path === '/async-voice' && h.params.CallSid === call.sid);
    expect(voice.params.AnsweredBy).toBeUndefined();
    const amd = await hooks.waitForHit((h) => h.path === '/amd-result' && h.params.CallSid === call.sid);
    expect(amd.params).toMatchObject({ AccountSid: sandbox.accountSid, AnsweredBy: 'machine_end_beep', MachineDetectionDuration: '1600' });
    expect(amd.at).toBeGreaterThan(voice.at);
    await client.calls(call.sid).update({ status: 'completed' });
  });

  it('rejects out-of-range AMD parameters like Twilio', async () => {
    await expect(client.calls.create({ to: callee(), from: practice, twiml: '<Response/>', machineDetection: 'Enable', machineDetectionTimeout: 1 })).rejects.toMatchObject({ status: 400 });
  });
});

describe('the workflow Call action: whisper, keypress, bridge', () => {
  const whisper = 'You have a new lead, Jane Doe. Press any button to connect.';
  const callTwiml = (): string =>
    `<Response><Gather numDigits="1" timeout="2" action="${hooks.url('/connect')}"><Say loop="3">${whisper}</Say></Gather><Hangup/></Response>`;

  it('the user presses a key after the whisper; the contact is dialled with AMD and bridged', async () => {
    const user = callee();
    const contact = callee();
    sandbox.control.setPartyBehaviour(user, { answerAfterMs: 50, script: [{ waitFor: 'reply', press: '1' }] });
    sandbox.control.setPartyBehaviour(contact, { answerAfterMs: 100, helloMs: 300, hangupAfterMs: 1500 });
    hooks.route(
      '/connect',
      `<Response><Dial timeout="20" callerId="${practice}" action="${hooks.url('/dial-done')}"><Number machineDetection="Enable" amdStatusCallback="${hooks.url('/contact-amd')}">${contact}</Number></Dial></Response>`,
    );
    hooks.route('/dial-done', '<Response/>');
    const call = await client.calls.create({ to: user, from: practice, twiml: callTwiml(), timeout: 30 });
    const connect = await hooks.waitForHit((h) => h.path === '/connect' && h.params.CallSid === call.sid);
    expect(connect.params.Digits).toBe('1');
    const bridged = await sandbox.control.waitFor((e) => e.type === 'call.bridged' && e.callSid === call.sid);
    const amd = await hooks.waitForHit((h) => h.path === '/contact-amd' && h.params.CallSid === bridged.childCallSid);
    expect(amd.params.AnsweredBy).toBe('human');
    const done = await hooks.waitForHit((h) => h.path === '/dial-done' && h.params.CallSid === call.sid);
    expect(done.params).toMatchObject({ DialCallStatus: 'completed', DialBridged: 'true' });
    const heard = sandbox.control.report(call.sid).heard!;
    // Heard once to the end; the key stopped any repeat.
    expect(heard.timeline.filter((i) => i.kind === 'say' && i.text === whisper && i.completed)).toHaveLength(1);
    expect(sandbox.control.report(String(bridged.childCallSid))).toMatchObject({ to: contact, answeredBy: 'human', status: 'completed' });
  });

  it('without a keypress the whisper plays three times and the call ends; the contact is never dialled', async () => {
    const user = callee();
    sandbox.control.setPartyBehaviour(user, {});
    const call = await client.calls.create({ to: user, from: practice, twiml: callTwiml() });
    await sandbox.control.waitForCallStatus(call.sid, 'completed');
    expect(sandbox.control.report(call.sid).heard?.say).toEqual([whisper, whisper, whisper]);
    expect(hooks.hits.filter((h) => h.path === '/connect' && h.params.CallSid === call.sid)).toEqual([]);
  });
});

describe('voicemail drop', () => {
  const audio = silentMp3(1000, 64);
  const sha256 = createHash('sha256').update(audio).digest('hex');

  it('DetectMessageEnd + <Play> after the beep: the whole file lands in the voicemail; the sandbox fetched it', async () => {
    hooks.route('/media/no-show.mp3', () => ({ status: 200, body: audio, contentType: 'audio/mpeg' }));
    hooks.route('/drop', (hit) =>
      hit.params.AnsweredBy?.startsWith('machine_end') ? `<Response><Play>${hooks.url('/media/no-show.mp3')}</Play><Hangup/></Response>` : '<Response><Hangup/></Response>',
    );
    const box = callee();
    sandbox.control.setPartyBehaviour(box, { answer: 'voicemail', greetingMs: 1100, greetingText: "Hi, you've reached Jane. Leave a message." });
    const call = await client.calls.create({ to: box, from: practice, url: hooks.url('/drop'), machineDetection: 'DetectMessageEnd', machineDetectionSpeechThreshold: 1000 });
    await sandbox.control.waitForCallStatus(call.sid, 'completed');
    const report = sandbox.control.report(call.sid);
    expect(report.answeredBy).toBe('machine_end_beep');
    expect(report.voicemail?.recordsFromMs).toBe(1600);
    expect(report.voicemail?.recorded).toEqual([expect.objectContaining({ kind: 'play', url: hooks.url('/media/no-show.mp3'), complete: true, media: expect.objectContaining({ sha256, format: 'mp3', bitrateKbps: 64 }) })]);
  });

  it('without waiting for the beep the message starts during the greeting and is clipped', async () => {
    const box = callee();
    sandbox.control.setPartyBehaviour(box, { answer: 'voicemail', greetingMs: 1100 });
    const call = await client.calls.create({ to: box, from: practice, twiml: `<Response><Play>${hooks.url('/media/no-show.mp3')}</Play><Pause length="40"/><Hangup/></Response>` });
    await sandbox.control.waitForCallStatus(call.sid, 'completed');
    const recorded = sandbox.control.report(call.sid).voicemail?.recorded ?? [];
    expect(recorded.filter((i) => i.complete)).toEqual([]);
  });
});

describe('<Gather input="speech">', () => {
  it('a scripted callee answers a spoken question; SpeechResult reaches the action', async () => {
    const person = callee();
    sandbox.control.setPartyBehaviour(person, { helloMs: 0, script: [{ waitFor: 'reply', say: 'Tuesday at ten' }] });
    hooks.route('/speech', '<Response/>');
    const call = await client.calls.create({ to: person, from: practice, twiml: `<Response><Gather input="speech" timeout="5" action="${hooks.url('/speech')}"><Say>When would you like to come in?</Say></Gather></Response>` });
    const hit = await hooks.waitForHit((h) => h.path === '/speech' && h.params.CallSid === call.sid);
    expect(hit.params.SpeechResult).toBe('Tuesday at ten');
    expect(sandbox.control.report(call.sid).lines.map((l) => l.text)).toEqual(['Tuesday at ten']);
  });
});
