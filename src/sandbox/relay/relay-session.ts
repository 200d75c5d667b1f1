// One <Connect><ConversationRelay> session: the sandbox opens the WebSocket to the application
// (signed like a webhook), sends `setup`, turns what the caller says into `prompt`s and keys into
// `dtmf`, interrupts the agent's speech when the caller barges in, plays the agent's text and
// audio to the caller, and ends on `end` (handoffData), a hang-up, a redirect or a dropped socket.
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import WebSocket from 'ws';
import type { CallLeg } from '../calls/call-leg';
import type { SandboxContext } from '../context';
import { newSid } from '../sids';
import { isLoopbackUrl } from '../twiml/audio-fetch';
import { AgentVoice, type SpokenResult } from './agent-voice';
import { allows, appMessageSchema, type AppMessage, type InputKinds, type SetupMessage, type TwilioMessage } from './relay-messages';

export interface RelayConfig {
  url: string;
  welcomeGreeting: string | null;
  welcomeGreetingInterruptible: InputKinds;
  interruptible: InputKinds;
  reportInputDuringAgentSpeech: InputKinds;
  preemptible: boolean;
  dtmfDetection: boolean;
  partialPrompts: boolean;
  ttsLanguage: string;
  transcriptionLanguage: string;
  voice: string | null;
  customParameters: Record<string, string>;
  /** Every attribute as given, for reports. */
  attributes: Record<string, string>;
}

export type SessionStatus = 'connecting' | 'open' | 'ended' | 'completed' | 'failed' | 'redirected';

export interface TranscriptEntry {
  role: 'caller' | 'agent';
  kind: 'speech' | 'dtmf' | 'greeting' | 'text' | 'play' | 'digits';
  text: string;
  atMs: number;
  /** Agent: cut short by the caller (interrupt) or by the next cycle (preempt). */
  cut?: 'interrupt' | 'preempt' | 'stop' | 'error';
  /** Agent: what the caller heard before the cut. */
  heardText?: string;
  /** Caller: spoken over the agent and not reported to the application. */
  ignored?: boolean;
  url?: string;
}

export interface RelayResult {
  status: 'ended' | 'completed' | 'failed' | 'redirected';
  handoffData: string | null;
  durationSeconds: number;
  error: { code: number; message: string } | null;
}

const CONNECT_TIMEOUT_MS = 5000;

export class RelaySession {
  readonly sessionId = newSid('VX');
  readonly startedAt = Date.now();
  status: SessionStatus = 'connecting';
  readonly transcript: TranscriptEntry[] = [];
  /** Every message exchanged, raw, in order. */
  readonly sent: TwilioMessage[] = [];
  readonly received: unknown[] = [];
  handoffData: string | null = null;
  error: { code: number; message: string } | null = null;
  ttsLanguage: string;
  transcriptionLanguage: string;
  setup: SetupMessage | null = null;
  private ws: WebSocket | null = null;
  private voice: AgentVoice | null = null;
  private settle!: (r: RelayResult) => void;
  private readonly done = new Promise<RelayResult>((resolve) => (this.settle = resolve));
  private readonly detach: Array<() => void> = [];

  constructor(
    private readonly ctx: SandboxContext,
    readonly leg: CallLeg,
    readonly config: RelayConfig,
  ) {
    this.ttsLanguage = config.ttsLanguage;
    this.transcriptionLanguage = config.transcriptionLanguage;
  }

  /** Runs the session until it ends; `signal` aborts it when the call's TwiML is replaced. */
  run(signal: AbortSignal): Promise<RelayResult> {
    const party = this.leg.party;
    if (!party) return Promise.resolve(this.finish('failed', { code: 64102, message: 'no party on the call' }));
    if (!/^wss?:\/\//i.test(this.config.url)) return Promise.resolve(this.finish('failed', { code: 64102, message: `not a WebSocket URL: ${this.config.url}` }));
    if (!isLoopbackUrl(this.config.url.replace(/^ws/i, 'http'))) {
      return Promise.resolve(this.finish('failed', { code: 64102, message: `the sandbox connects only to loopback, not ${new URL(this.config.url).host}` }));
    }
    const ws = new WebSocket(this.config.url, {
      headers: { 'X-Twilio-Signature': getExpectedTwilioSignature(this.ctx.settings.authToken, this.config.url, {}), 'User-Agent': 'TwilioProxy/1.1' },
      handshakeTimeout: CONNECT_TIMEOUT_MS,
    });
    this.ws = ws;
    ws.on('open', () => this.opened());
    ws.on('message', (data) => this.onAppMessage(data.toString()));
    ws.on('error', (error) => {
      if (this.status === 'connecting') this.finish('failed', { code: 64102, message: `ConversationRelay: Unable to Connect to Websocket URL (${error.message})` });
    });
    ws.on('close', () => {
      if (this.status === 'connecting') this.finish('failed', { code: 64102, message: 'ConversationRelay: Unable to Connect to Websocket URL' });
      else if (this.status === 'open') this.finish('failed', { code: 64105, message: 'ConversationRelay: Websocket ended' });
    });
    const onAbort = (): void => void (this.leg.isFinal ? this.finish('completed') : this.finish('redirected'));
    signal.addEventListener('abort', onAbort, { once: true });
    this.detach.push(() => signal.removeEventListener('abort', onAbort));
    void this.leg.whenEnded().then(() => this.finish('completed'));
    return this.done;
  }

  private opened(): void {
    if (this.status !== 'connecting') return;
    this.status = 'open';
    const leg = this.leg;
    const party = leg.party!;
    this.setup = {
      type: 'setup',
      sessionId: this.sessionId,
      accountSid: leg.accountSid,
      parentCallSid: leg.parentCallSid ?? '',
      callSid: leg.sid,
      from: leg.from,
      to: leg.to,
      forwardedFrom: '',
      callerName: '',
      direction: leg.direction === 'inbound' ? 'inbound' : 'outbound',
      callType: leg.from.startsWith('client:') || leg.to.startsWith('client:') ? 'CLIENT' : 'PSTN',
      callStatus: leg.status.toUpperCase(),
      customParameters: this.config.customParameters,
    };
    this.send(this.setup);
    this.ctx.events.emitEvent('relay.open', { callSid: leg.sid, sessionId: this.sessionId, url: this.config.url });
    this.voice = new AgentVoice(this.ctx, party, (r) => this.spoken(r), { interruptible: this.config.interruptible, preemptible: this.config.preemptible });
    const onSpeechStart = (): void => {
      const cut = this.voice?.interrupt('speech');
      if (cut) this.send({ type: 'interrupt', ...cut });
    };
    const onSpeech = (text: string): void => this.callerSaid(text);
    const onDigit = (digit: string): void => this.callerPressed(digit);
    party.on('speech-start', onSpeechStart);
    party.on('speech', onSpeech);
    party.on('digit', onDigit);
    this.detach.push(() => {
      party.off('speech-start', onSpeechStart);
      party.off('speech', onSpeech);
      party.off('digit', onDigit);
    });
    if (this.config.welcomeGreeting) {
      this.voice.say({ kind: 'greeting', text: this.config.welcomeGreeting, done: true, interruptible: this.config.welcomeGreetingInterruptible, preemptible: false });
    }
  }

  private callerSaid(text: string): void {
    // Speech over an agent that may not be interrupted reaches the app only if asked for.
    const overAgent = this.voice?.speaking === true && !this.voice.interruptibleBy('speech');
    const report = !overAgent || allows(this.config.reportInputDuringAgentSpeech, 'speech');
    this.transcript.push({ role: 'caller', kind: 'speech', text, atMs: this.elapsed(), ...(report ? {} : { ignored: true }) });
    if (!report) return;
    if (this.config.partialPrompts) {
      const words = text.split(/\s+/);
      for (let i = 1; i < words.length; i++) this.send({ type: 'prompt', voicePrompt: words.slice(0, i).join(' '), lang: this.transcriptionLanguage, last: false });
    }
    this.send({ type: 'prompt', voicePrompt: text, lang: this.transcriptionLanguage, last: true });
  }

  private callerPressed(digit: string): void {
    if (!this.config.dtmfDetection) return;
    const overAgent = this.voice?.speaking === true;
    const cut = this.voice?.interrupt('dtmf');
    if (cut) this.send({ type: 'interrupt', ...cut });
    const report = !overAgent || cut !== null || allows(this.config.reportInputDuringAgentSpeech, 'dtmf');
    this.transcript.push({ role: 'caller', kind: 'dtmf', text: digit, atMs: this.elapsed(), ...(report ? {} : { ignored: true }) });
    if (report) this.send({ type: 'dtmf', digit });
  }

  private onAppMessage(raw: string): void {
    if (this.status !== 'open') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return this.invalid(raw, 'not JSON');
    }
    this.received.push(json);
    const parsed = appMessageSchema.safeParse(json);
    if (!parsed.success) return this.invalid(raw, parsed.error.issues[0]?.message ?? 'unknown message');
    this.handle(parsed.data);
  }

  private handle(m: AppMessage): void {
    const voice = this.voice!;
    switch (m.type) {
      case 'text':
        return voice.token(m.token, m.last, { interruptible: m.interruptible, preemptible: m.preemptible });
      case 'play':
        return voice.say({
          kind: 'play',
          text: '',
          url: m.source,
          loop: m.loop,
          done: true,
          interruptible: m.interruptible === undefined ? this.config.interruptible : m.interruptible ? 'any' : 'none',
          preemptible: m.preemptible ?? false,
        });
      case 'sendDigits':
        this.leg.party?.hearDigits(m.digits);
        this.transcript.push({ role: 'agent', kind: 'digits', text: m.digits, atMs: this.elapsed() });
        return;
      case 'language':
        if (m.ttsLanguage) this.ttsLanguage = m.ttsLanguage;
        if (m.transcriptionLanguage) this.transcriptionLanguage = m.transcriptionLanguage;
        this.ctx.events.emitEvent('relay.language', { callSid: this.leg.sid, ttsLanguage: this.ttsLanguage, transcriptionLanguage: this.transcriptionLanguage });
        return;
      case 'end':
        this.handoffData = m.handoffData ?? null;
        this.finish('ended');
        return;
    }
  }

  private invalid(raw: string, why: string): void {
    const description = `Invalid message received: ${why}`;
    this.ctx.events.emitEvent('relay.error', { callSid: this.leg.sid, code: 64107, message: description, raw: raw.slice(0, 500) });
    this.send({ type: 'error', description });
  }

  private spoken(r: SpokenResult): void {
    const u = r.utterance;
    const entry: TranscriptEntry = {
      role: 'agent',
      kind: u.kind,
      text: u.text,
      atMs: this.elapsed(),
      ...(u.url ? { url: u.url } : {}),
      ...(r.completed ? {} : { cut: r.endedBy === 'end' ? 'stop' : r.endedBy, heardText: r.heardText }),
    };
    this.transcript.push(entry);
    this.ctx.events.emitEvent('relay.spoken', { callSid: this.leg.sid, sessionId: this.sessionId, kind: u.kind, text: u.text, completed: r.completed, heardText: r.heardText });
  }

  private send(message: TwilioMessage): void {
    this.sent.push(message);
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private elapsed(): number {
    return Date.now() - this.startedAt;
  }

  private finish(status: RelayResult['status'], error: { code: number; message: string } | null = null): RelayResult {
    if (this.status === 'ended' || this.status === 'completed' || this.status === 'failed' || this.status === 'redirected') {
      return this.result();
    }
    this.status = status;
    this.error = error;
    this.voice?.stop();
    for (const d of this.detach) d();
    if (this.ws && this.ws.readyState !== WebSocket.CLOSED) this.ws.close(1000);
    if (error) this.ctx.events.emitEvent('call.error', { callSid: this.leg.sid, code: error.code, message: error.message });
    this.ctx.events.emitEvent('relay.ended', { callSid: this.leg.sid, sessionId: this.sessionId, status, handoffData: this.handoffData, ...(error ? { errorCode: error.code } : {}) });
    const result = this.result();
    this.settle(result);
    return result;
  }

  private result(): RelayResult {
    const status = this.status === 'connecting' || this.status === 'open' ? 'failed' : this.status;
    return { status, handoffData: this.handoffData, durationSeconds: Math.round(this.elapsed() / 1000), error: this.error };
  }
}
