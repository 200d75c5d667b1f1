// The scripting surface for tests, the CLI and the desktop's "simulate a caller": place calls,
// decide how called numbers behave, press keys, hang up, inject faults, and ask what each party
// heard. Inputs are validated: this is also exposed over HTTP.
import { z } from 'zod';
import type { CallEngine } from '../calls/call-engine';
import { partyBehaviourSchema, type PartyBehaviourInput } from '../calls/behaviour';
import { reportCall, type CallReport } from '../calls/call-report';
import { DeviceParty } from '../calls/party';
import type { SandboxContext } from '../context';
import type { Messaging } from '../messaging/messaging';
import type { RestFaults } from '../rest/rest-faults';
import type { MessageOutcomeInput } from '../messaging/messaging-state';
import { MessagingControl } from './messaging-control';
import { relayReport, relaySessionsOf, type RelayReport } from '../relay/relay-registry';
import type { EventPredicate, SandboxEvent } from '../events/event-log';
import { InventoryControl } from './inventory-control';
import { addIncomingNumber, createApplication, type ApplicationInput, type NumberInput } from '../state/resources';
import type { Application, IncomingNumber } from '../state/store';

export const inboundCallSchema = partyBehaviourSchema.extend({
  from: z.string().min(1),
  to: z.string().min(1),
});
export type InboundCallInput = z.input<typeof inboundCallSchema>;

export type { CallReport } from '../calls/call-report';

export class SandboxControl {
  /** Other customers of "Twilio" taking, racing for and releasing numbers. */
  readonly inventory: InventoryControl;

  constructor(
    private readonly ctx: SandboxContext,
    private readonly engine: CallEngine,
    messaging: Messaging,
    private readonly restFaults: RestFaults,
    /** Runs the REST requests held by `carryOutLater` drops (rest/routes.ts). */
    private readonly carryOutHeld: () => Promise<number>,
  ) {
    this.inventory = new InventoryControl(ctx);
    this.messaging = new MessagingControl(ctx, messaging);
  }

  /** Messages, Messaging Services, WhatsApp, templates, contacts who text (see messaging-control.ts). */
  readonly messaging: MessagingControl;

  /** What happens to messages sent to `to` (default: delivered). Same as `messaging.setOutcome`. */
  setMessageOutcome(to: string, outcome: MessageOutcomeInput): void {
    this.messaging.setOutcome(to, outcome);
  }

  /** Resolves after the party on this leg has heard `frames` more 20 ms frames of media. */
  waitForMediaFrames(callSid: string, frames: number): Promise<void> {
    const party = this.engine.mustGet(callSid).party;
    if (!party) throw new Error(`${callSid} has no party yet`);
    return party.waitHeardFrames(frames);
  }

  // ---- resources without REST ----

  /** A number of the account; `whatsapp: true` also registers it as a WhatsApp sender. */
  addNumber(input: NumberInput & { whatsapp?: boolean }): IncomingNumber {
    const { whatsapp, ...number } = input;
    const created = addIncomingNumber(this.ctx.store, this.ctx.settings.accountSid, number);
    if (whatsapp) this.messaging.enableWhatsAppSender(created.phoneNumber);
    return created;
  }

  createApplication(input: ApplicationInput): Application {
    return createApplication(this.ctx.store, this.ctx.settings.accountSid, input);
  }

  // ---- scripted callers ----

  /** A scripted phone calls `to` (a number of the account). Returns the inbound call's sid. */
  placeInboundCall(input: InboundCallInput): string {
    const { from, to, ...behaviour } = inboundCallSchema.parse(input);
    return this.engine.placeInboundCall(from, to, behaviour).sid;
  }

  /** How `number` behaves when dialled (answers after N ms, never, busy, voicemail, fax, a script…). */
  setPartyBehaviour(number: string, behaviour: PartyBehaviourInput): void {
    this.engine.setBehaviour(z.string().min(1).parse(number), behaviour);
  }

  /** How every number without its own behaviour behaves (default: a person answers at once). */
  setDefaultPartyBehaviour(behaviour: PartyBehaviourInput): void {
    this.engine.setDefaultBehaviour(behaviour);
  }

  /** Forgets every per-number behaviour and the default. */
  clearPartyBehaviours(): void {
    this.engine.clearBehaviours();
  }

  pressDigits(callSid: string, digits: string): void {
    this.engine.pressDigits(callSid, z.string().regex(/^[0-9*#A-D]+$/).parse(digits));
  }

  /** The scripted party on this leg hangs up. */
  partyHangsUp(callSid: string): void {
    this.engine.partyHangsUp(callSid);
  }

  /** Twilio ends the call (like REST status=completed). */
  hangup(callSid: string): void {
    this.engine.hangup(callSid);
  }

  echo(callSid: string): void {
    this.engine.echo(callSid);
  }

  sendCallMessage(callSid: string, content: unknown, messageType?: string): string {
    return this.engine.sendCallMessage(callSid, content, messageType);
  }

  // ---- reports ----

  /** The latest ConversationRelay session of a call: status, setup, transcript, messages both ways, handoffData. */
  relay(callSid: string): RelayReport {
    const session = relaySessionsOf(this.ctx).filter((r) => r.leg.sid === callSid).at(-1);
    if (!session) throw new Error(`${callSid} has had no ConversationRelay session`);
    return relayReport(session);
  }

  relaySessions(): RelayReport[] {
    return relaySessionsOf(this.ctx).map(relayReport);
  }

  report(callSid: string): CallReport {
    return reportCall(this.engine.mustGet(callSid));
  }

  calls(): CallReport[] {
    return [...this.engine.legs.values()].map(reportCall);
  }

  /** The Dial children of a call. */
  childrenOf(callSid: string): CallReport[] {
    return [...this.engine.legs.values()].filter((l) => l.parentCallSid === callSid).map(reportCall);
  }

  get events(): SandboxContext['events'] {
    return this.ctx.events;
  }

  waitFor(predicate: EventPredicate, timeoutMs?: number): Promise<SandboxEvent> {
    return this.ctx.events.waitFor(predicate, timeoutMs !== undefined ? { timeoutMs } : {});
  }

  /** Resolves when the party on this leg has heard (or said) something audible. */
  async waitForAudio(callSid: string, which: 'heard' | 'spoke' = 'heard', timeoutMs = 10_000): Promise<void> {
    const party = this.engine.mustGet(callSid).party;
    if (!party) throw new Error(`${callSid} has no party yet`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${callSid}: nothing audible ${which} in ${timeoutMs} ms`)), timeoutMs)));
    try {
      await Promise.race([party.audible(which), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  waitForCallStatus(callSid: string, status: string, timeoutMs?: number): Promise<SandboxEvent> {
    return this.waitFor((e) => e.type === 'call.status' && e.callSid === callSid && e.status === status, timeoutMs);
  }

  // ---- faults ----

  /** Stop (or resume) heartbeats to every current and future signaling socket. */
  stopHeartbeats(stopped = true): void {
    this.ctx.edge.heartbeatsStopped = stopped;
    for (const s of this.ctx.edge.all()) s.heartbeatsStopped = stopped;
  }

  /** Drop the signaling sockets of an identity (or all) without a close handshake. */
  dropSignaling(identity?: string): number {
    const sessions = this.ctx.edge.all(identity);
    for (const s of sessions) s.drop();
    return sessions.length;
  }

  /** Expire the tokens of an identity (or all) now: the edge sends 31205 and forgets them. */
  expireTokens(identity?: string): number {
    const sessions = this.ctx.edge.all(identity).filter((s) => s.token);
    for (const s of sessions) s.expireToken();
    return sessions.length;
  }

  /** Media of a Device call stops both ways; signaling stays up. */
  killMedia(callSid: string): void {
    const party = this.engine.mustGet(callSid).party;
    if (!(party instanceof DeviceParty)) throw new Error(`${callSid} has no WebRTC media`);
    party.farEnd.killMedia();
  }

  delayWebhooks(urlIncludes: string, delayMs: number): void {
    this.ctx.webhooks.addFault({ urlIncludes, delayMs });
  }

  failWebhooks(urlIncludes: string, times: number): void {
    this.ctx.webhooks.addFault({ urlIncludes, failTimes: times });
  }

  /**
   * The next `times` REST requests whose path (and query) include `pathIncludes` (and of `method`,
   * when given) get no answer: the socket is dropped. With `carryOutLater` each is kept and runs at
   * `carryOutDroppedRequests()`: Twilio finishing a request whose answer was lost (a purchase that lands late).
   */
  dropRestRequests(pathIncludes: string, times: number, method?: string, options: { carryOutLater?: boolean } = {}): void {
    this.restFaults.drop(pathIncludes, times, method, options);
  }

  /** Runs the dropped requests kept by `carryOutLater`, oldest first; how many ran. */
  carryOutDroppedRequests(): Promise<number> {
    return this.carryOutHeld();
  }

  clearFaults(): void {
    this.ctx.webhooks.clearFaults();
    this.restFaults.clear();
    this.stopHeartbeats(false);
  }

}
