// ConversationRelay emulation against a loopback WebSocket "agent": the handshake signature,
// setup, prompts from a scripted caller, text tokens assembled and spoken, interrupt, dtmf,
// play, sendDigits, language, end with handoffData → the <Connect action> request, and every
// way a session can fail. Every webhook is checked with twilio.validateRequest.
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import twilio from 'twilio';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
import { toneWav } from './testing/audio-fixtures';
import { WebhookApp } from './testing/webhook-app';

type AgentHandler = (msg: Record<string, unknown>, ws: WebSocket) => void;

/** A loopback WebSocket server standing in for the cloud's agent runtime. */
class AgentServer {
  readonly handshakes: Array<{ path: string; signatureValid: boolean }> = [];
  readonly inbox: Array<Record<string, unknown>> = [];
  private handler: AgentHandler = () => undefined;
  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    authToken: string,
  ) {
    wss.on('connection', (ws, req) => {
      const url = `ws://127.0.0.1:${this.port}${req.url ?? '/'}`;
      this.handshakes.push({ path: req.url ?? '', signatureValid: twilio.validateRequest(authToken, String(req.headers['x-twilio-signature'] ?? ''), url, {}) });
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString()) as Record<string, unknown>;
        this.inbox.push(msg);
        this.handler(msg, ws);
      });
    });
  }

  static async start(authToken: string): Promise<AgentServer> {
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    return new AgentServer(http, wss, authToken);
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `ws://127.0.0.1:${this.port}${path}`;
  }

  on(handler: AgentHandler): void {
    this.handler = handler;
  }

  async close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    await new Promise((r) => this.http.close(r));
  }
}

let sandbox: Sandbox;
let hooks: WebhookApp;
let agent: AgentServer;
let n = 0;

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.05, sayMsPerChar: 5, callbackRetryBaseMs: 10 });
  hooks = await WebhookApp.start(sandbox.authToken);
  agent = await AgentServer.start(sandbox.authToken);
});

afterAll(async () => {
  expect(hooks.hits.filter((h) => !h.signatureValid && !h.path.startsWith('/media/'))).toEqual([]);
  expect(agent.handshakes.filter((h) => !h.signatureValid)).toEqual([]);
  await agent.close();
  await hooks.close();
  await sandbox.stop();
});

/** A number of the account whose voice URL connects callers to the agent. */
function agentLine(relayAttrs: string, extra = ''): { number: string; actionPath: string } {
  const i = ++n;
  const actionPath = `/relay-done-${i}`;
  hooks.route(`/voice-${i}`, `<Response><Connect action="${hooks.url(actionPath)}"><ConversationRelay ${relayAttrs}>${extra}</ConversationRelay></Connect><Say>unreachable</Say></Response>`);
  hooks.route(actionPath, '<Response><Say>Connecting you to the front desk.</Say><Hangup/></Response>');
  const number = `+1512555${String(7000 + i)}`;
  sandbox.control.addNumber({ phoneNumber: number, voiceUrl: hooks.url(`/voice-${i}`) });
  return { number, actionPath };
}

const say = (ws: WebSocket, token: string, last = true): void => ws.send(JSON.stringify({ type: 'text', token, last }));

describe('ConversationRelay', () => {
  it('setup, prompts from the caller, assembled tokens spoken back, end with handoffData → the action URL', async () => {
    const path = '/agent/booking';
    const line = agentLine(`url="${agent.url(path)}" welcomeGreeting="Hi, you reached Glow Aesthetics after hours. How can I help?" language="en-US"`, '<Parameter name="agentId" value="ag_42"/>');
    agent.on((msg, ws) => {
      if (msg.type !== 'prompt' || msg.last !== true) return;
      if (msg.voicePrompt === 'I would like to book a facial') {
        say(ws, 'Sure,', false);
        say(ws, ' which day', false);
        say(ws, ' works for you?', true);
      } else if (msg.voicePrompt === 'Tuesday at ten') {
        say(ws, 'You are booked for Tuesday at ten. Let me get someone to confirm.');
        setTimeout(() => ws.send(JSON.stringify({ type: 'end', handoffData: JSON.stringify({ reasonCode: 'transfer', summary: 'Booked facial Tue 10:00' }) })), 60);
      }
    });
    const callSid = sandbox.control.placeInboundCall({
      from: '+15125551234',
      to: line.number,
      script: [
        { waitFor: 'reply', say: 'I would like to book a facial' },
        { waitFor: 'reply', say: 'Tuesday at ten' },
      ],
    });
    const action = await hooks.waitForHit((h) => h.path === line.actionPath && h.params.CallSid === callSid);
    expect(action.params).toMatchObject({ SessionStatus: 'ended', CallStatus: 'in-progress', HandoffData: JSON.stringify({ reasonCode: 'transfer', summary: 'Booked facial Tue 10:00' }) });
    expect(action.params.SessionId).toMatch(/^VX[0-9a-f]{32}$/);
    await sandbox.control.waitForCallStatus(callSid, 'completed');

    const relay = sandbox.control.relay(callSid);
    expect(agent.handshakes.find((h) => h.path === path)?.signatureValid).toBe(true);
    expect(relay.setup).toMatchObject({ type: 'setup', callSid, from: '+15125551234', to: line.number, direction: 'inbound', callType: 'PSTN', accountSid: sandbox.accountSid, customParameters: { agentId: 'ag_42' } });
    expect(relay.sent.filter((m) => m.type === 'prompt')).toEqual([
      { type: 'prompt', voicePrompt: 'I would like to book a facial', lang: 'en-US', last: true },
      { type: 'prompt', voicePrompt: 'Tuesday at ten', lang: 'en-US', last: true },
    ]);
    expect(relay.transcript.map((e) => `${e.role}:${e.kind}:${e.text}`)).toEqual([
      'agent:greeting:Hi, you reached Glow Aesthetics after hours. How can I help?',
      'caller:speech:I would like to book a facial',
      'agent:text:Sure, which day works for you?',
      'caller:speech:Tuesday at ten',
      'agent:text:You are booked for Tuesday at ten. Let me get someone to confirm.',
    ]);
    expect(relay).toMatchObject({ status: 'ended', handoffData: expect.stringContaining('Booked facial') });
    // The caller heard the agent's replies as speech, then the action's TwiML.
    const heard = sandbox.control.report(callSid).heard!;
    expect(heard.timeline.filter((i) => i.kind === 'agent' && i.completed).map((i) => i.text)).toHaveLength(3);
    expect(heard.say).toEqual(['Connecting you to the front desk.']);
  });

  it('the caller barges in: interrupt (what was heard, for how long) then the prompt; late tokens of that cycle are dropped', async () => {
    const line = agentLine(`url="${agent.url('/agent/long')}"`);
    const long = `Our spring menu has ${'many treatments, '.repeat(120)}and more.`;
    agent.on((msg, ws) => {
      if (msg.type === 'setup') say(ws, long.slice(0, 1000), false);
      if (msg.type === 'interrupt') say(ws, long.slice(1000), true);
      if (msg.type === 'prompt' && msg.voicePrompt === 'Sorry, can I just book?') ws.send(JSON.stringify({ type: 'end' }));
    });
    const callSid = sandbox.control.placeInboundCall({ from: '+15125551235', to: line.number, script: [{ waitFor: 'reply-start', delayMs: 80, say: 'Sorry, can I just book?' }] });
    await hooks.waitForHit((h) => h.path === line.actionPath && h.params.CallSid === callSid);
    const relay = sandbox.control.relay(callSid);
    const interrupt = relay.sent.find((m) => m.type === 'interrupt') as { utteranceUntilInterrupt: string; durationUntilInterruptMs: number };
    expect(interrupt.durationUntilInterruptMs).toBeGreaterThan(0);
    expect(long.startsWith(interrupt.utteranceUntilInterrupt)).toBe(true);
    expect(interrupt.utteranceUntilInterrupt.length).toBeLessThan(1000);
    expect(relay.sent.map((m) => m.type)).toEqual(['setup', 'interrupt', 'prompt']);
    const agentTurns = relay.transcript.filter((e) => e.role === 'agent');
    expect(agentTurns).toEqual([expect.objectContaining({ kind: 'text', cut: 'interrupt', heardText: interrupt.utteranceUntilInterrupt })]);
  });

  it('speech over an agent that may not be interrupted is dropped unless reportInputDuringAgentSpeech asks for it', async () => {
    // About 1 s of agent speech (4,000 characters at 5 ms × 0.05): the caller's "Hello?" must land
    // inside it even on a loaded machine (with 300 ms it once landed after it, and was reported).
    const long = 'Please hold while I check the calendar. '.repeat(100);
    for (const [attrs, reported] of [['interruptible="none"', false], ['interruptible="none" reportInputDuringAgentSpeech="speech"', true]] as const) {
      const line = agentLine(`url="${agent.url('/agent/hold')}" ${attrs}`);
      agent.on((msg, ws) => {
        if (msg.type === 'setup') {
          say(ws, long);
          setTimeout(() => ws.send(JSON.stringify({ type: 'end' })), 1500);
        }
      });
      const callSid = sandbox.control.placeInboundCall({ from: '+15125551242', to: line.number, script: [{ waitFor: 'reply-start', delayMs: 30, say: 'Hello?' }] });
      await hooks.waitForHit((h) => h.path === line.actionPath && h.params.CallSid === callSid);
      const relay = sandbox.control.relay(callSid);
      expect(relay.sent.map((m) => m.type)).toEqual(reported ? ['setup', 'prompt'] : ['setup']);
      expect(relay.transcript.find((e) => e.role === 'caller')).toMatchObject({ text: 'Hello?', ...(reported ? {} : { ignored: true }) });
      expect(relay.transcript.find((e) => e.role === 'agent')?.cut).toBeUndefined();
    }
  });

  it('dtmf, play (fetched from loopback), sendDigits, language, and an invalid message (error 64107)', async () => {
    hooks.route('/media/hold.wav', () => ({ status: 200, body: toneWav(300), contentType: 'audio/wav' }));
    const line = agentLine(`url="${agent.url('/agent/tools')}" dtmfDetection="true" interruptible="speech"`);
    agent.on((msg, ws) => {
      if (msg.type === 'setup') {
        ws.send(JSON.stringify({ type: 'play', source: hooks.url('/media/hold.wav') }));
        ws.send(JSON.stringify({ type: 'sendDigits', digits: '12#' }));
        ws.send(JSON.stringify({ type: 'language', ttsLanguage: 'es-ES', transcriptionLanguage: 'es-ES' }));
        ws.send(JSON.stringify({ type: 'sing' }));
      }
      if (msg.type === 'dtmf') say(ws, 'Has pulsado uno.');
      if (msg.type === 'prompt') ws.send(JSON.stringify({ type: 'end' }));
    });
    const callSid = sandbox.control.placeInboundCall({ from: '+15125551236', to: line.number, script: [{ waitFor: 'reply', delayMs: 250, press: '1' }, { waitFor: 'reply', say: 'Gracias' }] });
    await hooks.waitForHit((h) => h.path === line.actionPath && h.params.CallSid === callSid);
    const relay = sandbox.control.relay(callSid);
    expect(relay.sent).toEqual(
      expect.arrayContaining([
        { type: 'dtmf', digit: '1' },
        { type: 'prompt', voicePrompt: 'Gracias', lang: 'es-ES', last: true },
        { type: 'error', description: expect.stringContaining('Invalid message') },
      ]),
    );
    expect(relay).toMatchObject({ ttsLanguage: 'es-ES', transcriptionLanguage: 'es-ES' });
    const heard = sandbox.control.report(callSid).heard!;
    expect(heard.digits).toBe('12#');
    expect(heard.timeline.find((i) => i.kind === 'play')).toMatchObject({ url: hooks.url('/media/hold.wav'), completed: true, media: expect.objectContaining({ durationMs: 300 }) });
    expect(sandbox.events.all((e) => e.type === 'relay.error' && e.callSid === callSid && e.code === 64107)).toHaveLength(1);
  });

  it('fails as Twilio does: nothing listening (64102), a URL off loopback (64102), the app dropping the socket (64105); a caller hang-up completes the session', async () => {
    const dead = agentLine('url="ws://127.0.0.1:1/nobody"');
    const deadCall = sandbox.control.placeInboundCall({ from: '+15125551237', to: dead.number });
    expect((await hooks.waitForHit((h) => h.path === dead.actionPath && h.params.CallSid === deadCall)).params).toMatchObject({ SessionStatus: 'failed', ErrorCode: '64102' });

    const remote = agentLine('url="wss://agents.example.com/x"');
    const remoteCall = sandbox.control.placeInboundCall({ from: '+15125551238', to: remote.number });
    expect((await hooks.waitForHit((h) => h.path === remote.actionPath && h.params.CallSid === remoteCall)).params).toMatchObject({ SessionStatus: 'failed', ErrorCode: '64102' });

    const drop = agentLine(`url="${agent.url('/agent/drop')}"`);
    agent.on((msg, ws) => {
      if (msg.type === 'setup') ws.terminate();
    });
    const dropCall = sandbox.control.placeInboundCall({ from: '+15125551239', to: drop.number });
    expect((await hooks.waitForHit((h) => h.path === drop.actionPath && h.params.CallSid === dropCall)).params).toMatchObject({ SessionStatus: 'failed', ErrorCode: '64105' });

    const hangup = agentLine(`url="${agent.url('/agent/quiet')}"`);
    agent.on(() => undefined);
    const hangupCall = sandbox.control.placeInboundCall({ from: '+15125551240', to: hangup.number });
    // The caller hangs up once the session is open: a scripted hang-up on a timer could come while
    // the voice URL was still being fetched on a loaded machine, and a call that ends before its
    // <Connect> runs has no session (nor action) at all, as on Twilio.
    await sandbox.control.waitFor((e) => e.type === 'relay.open' && e.callSid === hangupCall);
    sandbox.control.partyHangsUp(hangupCall);
    const after = await hooks.waitForHit((h) => h.path === hangup.actionPath && h.params.CallSid === hangupCall);
    expect(after.params).toMatchObject({ SessionStatus: 'completed', CallStatus: 'completed' });
  });

  it('a REST redirect ends the session without requesting the action', async () => {
    const line = agentLine(`url="${agent.url('/agent/redirect')}"`);
    agent.on(() => undefined);
    const callSid = sandbox.control.placeInboundCall({ from: '+15125551241', to: line.number });
    await sandbox.control.waitFor((e) => e.type === 'relay.open' && e.callSid === callSid);
    const client = (await import('./client/twilio-client')).createSandboxTwilioClient(sandbox);
    await client.calls(callSid).update({ twiml: '<Response><Say>Redirected</Say></Response>' });
    await sandbox.control.waitForCallStatus(callSid, 'completed');
    expect(sandbox.control.relay(callSid).status).toBe('redirected');
    expect(hooks.hits.filter((h) => h.path === line.actionPath && h.params.CallSid === callSid)).toEqual([]);
  });
});
