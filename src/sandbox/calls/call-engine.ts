// Owns every call leg: creates them (scripted inbound calls, Device calls, REST calls, Dial
// children), handles the SDK's call frames, and ends legs consistently (signaling, media,
// status). TwiML is executed by the runner, which drives legs through this engine.
import { parse as parseQuery } from 'node:querystring';
import type { SandboxContext } from '../context';
import { MediaFarEnd } from '../media/far-end';
import type { ClientMessage, ClientPayload } from '../signaling/pstream-messages';
import type { DeviceSession } from '../signaling/device-session';
import { newSid } from '../sids';
import { runAmd, sendAmdCallback, type AmdConfig } from './amd';
import { partyBehaviourSchema, voiceOf, type PartyBehaviour, type PartyBehaviourInput } from './behaviour';
import { echoParty } from './bridge';
import { CallLeg, type CallLegInit, type CallStatus } from './call-leg';
import { DeviceParty, ScriptedParty } from './party';
import { runPartyScript } from './party-script';
import { PendingInvites, ringClient, ringNumber, type RingOutcome } from './ringing';
import { watchCallStatus } from './status-callbacks';

/** A number's or application's Voice Fallback URL. */
export interface FallbackSource {
  url: string;
  method: 'GET' | 'POST';
}

/** `fallback`: requested once if this URL's TwiML, or a later document's, cannot be fetched or parsed. */
export type TwimlSource = { url: string; method: 'GET' | 'POST'; fallback?: FallbackSource } | { twiml: string };

/** The voice settings of a number or application, as the TwiML to run on its calls. */
function voiceSourceOf(owner: { voiceUrl: string; voiceMethod: 'GET' | 'POST'; voiceFallbackUrl: string; voiceFallbackMethod: 'GET' | 'POST' }): TwimlSource {
  return {
    url: owner.voiceUrl,
    method: owner.voiceMethod,
    ...(owner.voiceFallbackUrl ? { fallback: { url: owner.voiceFallbackUrl, method: owner.voiceFallbackMethod } } : {}),
  };
}

export interface OutboundCallInit {
  from: string;
  to: string;
  source: TwimlSource;
  statusCallback?: CallLegInit['statusCallback'];
  timeoutMs: number;
  amd?: AmdConfig | null;
  sendDigits?: string;
}

/** The runner, injected to keep the engine free of TwiML knowledge. */
export type TwimlStarter = (leg: CallLeg, source: TwimlSource) => void;

type CallFrame = Exclude<ClientMessage, { type: 'listen' | 'register' }>;

export class CallEngine {
  readonly legs = new Map<string, CallLeg>();
  private readonly byDeviceCallSid = new Map<string, CallLeg>();
  private readonly pending = new PendingInvites();
  private readonly behaviours = new Map<string, PartyBehaviour>();
  private defaultBehaviour: PartyBehaviour = partyBehaviourSchema.parse({});
  /** Answer SDPs for Device-placed calls, sent when TwiML answers the call. */
  private readonly pendingAnswers = new Map<string, string>();
  private startTwiml: TwimlStarter = () => undefined;

  constructor(private readonly ctx: SandboxContext) {}

  setTwimlStarter(starter: TwimlStarter): void {
    this.startTwiml = starter;
  }

  createLeg(init: Omit<CallLegInit, 'sid' | 'accountSid'> & { sid?: string }): CallLeg {
    const leg = new CallLeg({ ...init, sid: init.sid ?? newSid('CA'), accountSid: this.ctx.settings.accountSid });
    this.legs.set(leg.sid, leg);
    watchCallStatus(this.ctx, leg);
    this.ctx.events.emitEvent('call.created', { callSid: leg.sid, from: leg.from, to: leg.to, direction: leg.direction, parentCallSid: leg.parentCallSid });
    return leg;
  }

  setBehaviour(number: string, input: PartyBehaviourInput): PartyBehaviour {
    const behaviour = partyBehaviourSchema.parse(input);
    this.behaviours.set(number, behaviour);
    return behaviour;
  }

  behaviourOf(number: string): PartyBehaviour {
    return this.behaviours.get(number) ?? this.defaultBehaviour;
  }

  setDefaultBehaviour(input: PartyBehaviourInput): PartyBehaviour {
    return (this.defaultBehaviour = partyBehaviourSchema.parse(input));
  }

  clearBehaviours(): void {
    this.behaviours.clear();
    this.defaultBehaviour = partyBehaviourSchema.parse({});
  }

  // ---- ringing (used by Dial and by REST-created calls) ----

  async ringClient(leg: CallLeg, identity: string, opts: { timeoutMs: number; signal: AbortSignal; customParams?: Record<string, string> }): Promise<RingOutcome> {
    const outcome = await ringClient(this.ctx, this.pending, leg, identity, { ...opts, customParams: opts.customParams ?? {} });
    if (outcome === 'answered' && leg.party instanceof DeviceParty) {
      this.byDeviceCallSid.set(leg.sid, leg);
      // Bridging and whisper TwiML start once media flows, so nothing said is lost to ICE setup.
      const media = leg.party.farEnd.waitConnected(5000).catch(() => this.mediaFailed(leg));
      await Promise.race([media, leg.whenEnded()]);
    } else this.finish(leg, outcome);
    return outcome;
  }

  async ringNumber(leg: CallLeg, number: string, opts: { timeoutMs: number; signal: AbortSignal; amd?: AmdConfig | null }): Promise<RingOutcome> {
    const behaviour = this.behaviourOf(number);
    const outcome = await ringNumber(this.ctx, leg, behaviour, opts);
    if (outcome === 'answered' && leg.party instanceof ScriptedParty) {
      this.runScript(leg, leg.party, behaviour, 'callee');
      // Async detection (and every <Number machineDetection>) reports on its own; the call goes on.
      if (opts.amd?.async) void this.detect(leg, behaviour, opts.amd);
    } else this.finish(leg, outcome);
    return outcome;
  }

  /** Runs answering-machine detection on an answered callee; async configs post their callback. */
  async detect(leg: CallLeg, behaviour: PartyBehaviour, amd: AmdConfig): Promise<void> {
    const verdict = await runAmd(this.ctx, leg, behaviour, amd);
    if (verdict && amd.async) sendAmdCallback(this.ctx, leg, amd, verdict);
  }

  private finish(leg: CallLeg, outcome: RingOutcome): void {
    if (outcome !== 'answered') this.end(leg, outcome, 'sandbox');
  }

  // ---- starting calls ----

  /** A scripted caller dials a number of the account: the number's voice URL answers it. */
  placeInboundCall(from: string, to: string, behaviourInput: PartyBehaviourInput = {}): CallLeg {
    const number = this.ctx.store.numberByPhone(to);
    if (!number) throw new Error(`${to} is not a number of this account`);
    const app = number.voiceApplicationSid ? this.ctx.store.applications.get(number.voiceApplicationSid) : undefined;
    // With an application, its voice settings (fallback included) replace the number's.
    const voice = app ?? number;
    const statusUrl = app?.statusCallback || number.statusCallback;
    const leg = this.createLeg({
      from,
      to,
      direction: 'inbound',
      ...(statusUrl ? { statusCallback: { url: statusUrl, method: app?.statusCallbackMethod ?? number.statusCallbackMethod, events: new Set(['completed']) } } : {}),
    });
    const behaviour = partyBehaviourSchema.parse(behaviourInput);
    const party = new ScriptedParty(from, voiceOf(behaviour), this.ctx.clock);
    party.talking = true;
    leg.party = party;
    leg.setStatus('ringing');
    this.runScript(leg, party, behaviour, 'caller');
    if (!voice.voiceUrl) {
      this.ctx.events.emitEvent('call.error', { callSid: leg.sid, code: 21212, message: 'number has no voice URL' });
      this.end(leg, 'failed', 'sandbox');
      return leg;
    }
    this.startTwiml(leg, voiceSourceOf(voice));
    return leg;
  }

  /**
   * REST Calls create: ring `to`, then run the TwiML on the answered leg. With synchronous
   * answering-machine detection the TwiML request waits for the verdict (and carries AnsweredBy);
   * SendDigits are played first and, as on Twilio, switch detection off.
   */
  placeOutboundCall(init: OutboundCallInit): CallLeg {
    // As on Twilio, `client:alice?name=value&…` rings alice and hands the query to her Device as the
    // call's custom parameters; the call's To is `client:alice`.
    const [to, clientQuery] = init.to.startsWith('client:') ? splitClientQuery(init.to) : [init.to, {}];
    init = { ...init, to };
    const leg = this.createLeg({ from: init.from, to: init.to, direction: 'outbound-api', ...(init.statusCallback ? { statusCallback: init.statusCallback } : {}) });
    const signal = leg.twimlAbort.signal;
    const amd = init.sendDigits ? null : (init.amd ?? null);
    // Twilio answers the REST request with the call still `queued`; dialling starts after.
    setImmediate(() => void (async () => {
      if (leg.isFinal) return;
      const toClient = init.to.startsWith('client:');
      const outcome = toClient
        ? await this.ringClient(leg, init.to.slice('client:'.length), { timeoutMs: init.timeoutMs, signal, customParams: clientQuery })
        : await this.ringNumber(leg, init.to, { timeoutMs: init.timeoutMs, signal, amd });
      if (outcome !== 'answered') return;
      if (init.sendDigits) leg.party?.hearDigits(init.sendDigits);
      if (amd && !amd.async && !toClient) {
        await this.detect(leg, this.behaviourOf(init.to), amd);
        if (leg.isFinal) return;
      }
      this.startTwiml(leg, init.source);
    })());
    return leg;
  }

  /** The SDK placed a call (Device.connect): it goes to the voice URL of its token's TwiML app. */
  private async deviceInvite(session: DeviceSession, p: ClientPayload<'invite'>): Promise<void> {
    if (p.reconnect) return this.deviceReconnect(session, p);
    const token = session.token;
    const app = token?.outgoingApplicationSid ? this.ctx.store.applications.get(token.outgoingApplicationSid) : undefined;
    if (!token || !app) {
      this.ctx.events.emitEvent('call.error', { deviceCallSid: p.callsid, code: 21218, message: 'no TwiML application for this token' });
      return session.send('hangup', { callsid: p.callsid, error: { code: 31002, message: 'Connection declined: invalid application SID' } });
    }
    const params = Object.fromEntries(Object.entries(parseQuery(p.twilio?.params ?? '')).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? '') : (v ?? '')]));
    const leg = this.createLeg({
      from: `client:${token.identity}`,
      to: params.To ?? '',
      direction: 'inbound',
      // Grant params (set by whoever minted the token) go along with the Device's own, as on Twilio.
      extraParams: { ...Object.fromEntries(Object.entries(token.outgoingParams).map(([k, v]) => [k, String(v)])), ...params, ApplicationSid: app.sid },
      ...(app.statusCallback ? { statusCallback: { url: app.statusCallback, method: app.statusCallbackMethod, events: new Set(['completed']) } } : {}),
    });
    const farEnd = new MediaFarEnd(this.ctx.clock, this.ctx.connectingMedia);
    leg.party = new DeviceParty(session, p.callsid, farEnd, this.ctx.events, leg.sid);
    this.byDeviceCallSid.set(p.callsid, leg);
    this.byDeviceCallSid.set(leg.sid, leg);
    try {
      this.pendingAnswers.set(leg.sid, await farEnd.answerOffer(p.sdp));
    } catch (error) {
      this.ctx.events.emitEvent('call.error', { callSid: leg.sid, code: 31400, message: `bad offer: ${String(error)}` });
      return this.end(leg, 'failed', 'sandbox');
    }
    leg.setStatus('ringing');
    session.send('ringing', { callsid: leg.sid });
    this.startTwiml(leg, voiceSourceOf(app));
  }

  /**
   * TwiML answers an inbound leg (first verb other than Reject). For a Device, verbs start once
   * its media is up, so the start of a <Say> is not lost in the ~40 ms ICE takes.
   */
  async answer(leg: CallLeg): Promise<void> {
    if (leg.status === 'in-progress' || leg.isFinal) return;
    const sdp = this.pendingAnswers.get(leg.sid);
    const party = leg.party;
    leg.setStatus('in-progress');
    if (sdp !== undefined && party instanceof DeviceParty) {
      this.pendingAnswers.delete(leg.sid);
      party.session.send('answer', { callsid: leg.sid, sdp, reconnect: leg.sid });
      const media = party.farEnd.waitConnected(5000).catch(() => this.mediaFailed(leg));
      await Promise.race([media, leg.whenEnded()]);
    }
  }

  private async deviceReconnect(session: DeviceSession, p: ClientPayload<'invite'>): Promise<void> {
    const leg = this.legs.get(p.reconnect ?? '');
    if (!leg || leg.isFinal || !(leg.party instanceof DeviceParty)) {
      return session.send('hangup', { callsid: p.callsid, error: { code: 31005, message: 'Reconnect failed: unknown call' } });
    }
    leg.party.session = session;
    this.byDeviceCallSid.set(p.callsid, leg);
    const sdp = leg.party.farEnd.answerReoffer();
    this.ctx.events.emitEvent('call.reconnected', { callSid: leg.sid });
    session.send('answer', { callsid: leg.sid, sdp, reconnect: leg.sid });
  }

  // ---- SDK frames ----

  onCallFrame(session: DeviceSession, message: CallFrame): void {
    switch (message.type) {
      case 'invite':
        return void this.deviceInvite(session, message.payload);
      case 'answer':
        if (!this.pending.answer(session, message.payload.callsid, message.payload.sdp)) this.unknownCall(session, message.payload.callsid);
        return;
      case 'reject':
        this.pending.reject(session, message.payload.callsid);
        return;
      case 'hangup': {
        if (this.pending.reject(session, message.payload.callsid)) return;
        const leg = this.byDeviceCallSid.get(message.payload.callsid);
        if (leg) this.end(leg, leg.status === 'in-progress' ? 'completed' : 'canceled', 'party');
        return;
      }
      case 'reinvite':
        return void this.reinvite(session, message.payload);
      case 'dtmf': {
        const leg = this.byDeviceCallSid.get(message.payload.callsid);
        for (const d of message.payload.dtmf) leg?.party?.emit('digit', d);
        return;
      }
      case 'message': {
        const p = message.payload;
        const leg = this.byDeviceCallSid.get(p.callsid);
        session.send('ack', { acktype: 'message', callsid: p.callsid, voiceeventsid: p.voiceeventsid });
        this.ctx.events.emitEvent('call.message', { callSid: leg?.sid ?? p.callsid, from: 'device', content: p.content, contenttype: p.contenttype, messagetype: p.messagetype, voiceeventsid: p.voiceeventsid });
        return;
      }
    }
  }

  private async reinvite(session: DeviceSession, p: ClientPayload<'reinvite'>): Promise<void> {
    const leg = this.byDeviceCallSid.get(p.callsid);
    if (!leg || !(leg.party instanceof DeviceParty)) return this.unknownCall(session, p.callsid);
    const sdp = leg.party.farEnd.answerReoffer();
    this.ctx.events.emitEvent('call.ice-restart', { callSid: leg.sid });
    session.send('answer', { callsid: p.callsid, sdp });
  }

  private unknownCall(session: DeviceSession, callsid: string): void {
    session.send('hangup', { callsid, error: { code: 31005, message: 'Unknown call' } });
  }

  /** A signaling socket went away: its ringing invites count as rejected; live calls wait for a reconnect. */
  onSessionClosed(session: DeviceSession, reconnectWindowMs: number): void {
    this.pending.sessionGone(session);
    for (const leg of this.legs.values()) {
      if (leg.isFinal || !(leg.party instanceof DeviceParty) || leg.party.session !== session) continue;
      const party = leg.party;
      setTimeout(() => {
        if (party.session === session) this.end(leg, 'completed', 'party');
      }, reconnectWindowMs).unref();
    }
  }

  // ---- ending and in-call actions ----

  /** Ends a leg once: tells a Device (unless it hung up itself), closes media, sets the final status. */
  end(leg: CallLeg, status: CallStatus, origin: 'party' | 'sandbox', error?: { code: number; message: string }): void {
    if (leg.isFinal) return;
    const wasAnswered = leg.status === 'in-progress';
    const party = leg.party;
    if (origin === 'sandbox' && party instanceof DeviceParty) {
      party.session.send('hangup', { callsid: party.deviceCallSid === leg.sid ? leg.sid : party.deviceCallSid, ...(error ? { error } : {}) });
    }
    leg.setStatus(!wasAnswered && status === 'completed' && leg.direction !== 'inbound' ? 'canceled' : status);
    this.pendingAnswers.delete(leg.sid);
    void party?.close();
    this.ctx.events.emitEvent('call.ended', { callSid: leg.sid, status: leg.status, origin, duration: leg.durationSeconds });
  }

  private mediaFailed(leg: CallLeg): void {
    if (!leg.isFinal) this.ctx.events.emitEvent('call.error', { callSid: leg.sid, code: 31003, message: 'media did not connect' });
  }

  /** REST update with new TwiML: the current document stops (and any Dial child hangs up). */
  redirect(leg: CallLeg, source: TwimlSource): void {
    this.startTwiml(leg, source);
  }

  hangup(callSid: string): void {
    const leg = this.mustGet(callSid);
    this.end(leg, leg.status === 'in-progress' ? 'completed' : 'canceled', 'sandbox');
  }

  /** The far party hangs up (a scripted phone putting the receiver down). */
  partyHangsUp(callSid: string): void {
    const leg = this.mustGet(callSid);
    this.end(leg, leg.status === 'in-progress' ? 'completed' : 'canceled', 'party');
  }

  pressDigits(callSid: string, digits: string): void {
    const party = this.mustGet(callSid).party;
    if (!(party instanceof ScriptedParty)) throw new Error(`${callSid} is not a scripted party's call`);
    party.press(digits);
  }

  echo(callSid: string): void {
    const party = this.mustGet(callSid).party;
    if (!party) throw new Error(`${callSid} has no party yet`);
    echoParty(party);
  }

  sendCallMessage(callSid: string, content: unknown, messageType = 'user-defined-message'): string {
    const party = this.mustGet(callSid).party;
    if (!(party instanceof DeviceParty)) throw new Error(`${callSid} is not a Device call`);
    const voiceeventsid = newSid('KX');
    party.session.send('message', { callsid: party.deviceCallSid, content: JSON.stringify(content), contenttype: 'application/json', messagetype: messageType, voiceeventsid });
    return voiceeventsid;
  }

  mustGet(callSid: string): CallLeg {
    const leg = this.legs.get(callSid);
    if (!leg) throw new Error(`no call ${callSid}`);
    return leg;
  }

  /** What a scripted phone does on its own: hello / greeting, timed keys, its script of lines. */
  private runScript(leg: CallLeg, party: ScriptedParty, b: PartyBehaviour, role: 'caller' | 'callee'): void {
    leg.behaviour = b;
    const { sayMsPerChar, timeScale } = this.ctx.settings;
    runPartyScript(party, b, role, { hangup: () => this.end(leg, 'completed', 'party'), lineMs: (text) => Math.max(100, text.length * sayMsPerChar) * timeScale }, leg.whenEnded());
  }

  stopAll(): void {
    for (const leg of this.legs.values()) this.end(leg, leg.status === 'in-progress' ? 'completed' : 'canceled', 'sandbox');
  }
}

/** `client:alice?a=1&b=2` → [`client:alice`, { a: '1', b: '2' }]. */
function splitClientQuery(to: string): [string, Record<string, string>] {
  const at = to.indexOf('?');
  if (at < 0) return [to, {}];
  return [to.slice(0, at), Object.fromEntries(new URLSearchParams(to.slice(at + 1)))];
}
