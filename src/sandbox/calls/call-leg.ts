// One Twilio call (CA sid): its Twilio-visible state and the party at its far side.
import { EventEmitter } from 'node:events';
import type { AnsweredBy, PartyBehaviour } from './behaviour';
import type { Party } from './party';

export type CallStatus = 'queued' | 'initiated' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';
export type CallDirection = 'inbound' | 'outbound-api' | 'outbound-dial';

export const FINAL_STATUSES: ReadonlySet<CallStatus> = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

export interface StatusCallbackConfig {
  url: string;
  method: 'GET' | 'POST';
  /** Twilio's names: initiated, ringing, answered, completed. */
  events: ReadonlySet<string>;
}

export interface CallLegInit {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  direction: CallDirection;
  parentCallSid?: string;
  statusCallback?: StatusCallbackConfig;
  /** Parameters added to every webhook of this leg (a Device's custom parameters, ApplicationSid). */
  extraParams?: Record<string, string>;
  callerName?: string;
}

export class CallLeg extends EventEmitter<{ status: [CallStatus, CallStatus] }> {
  readonly sid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly direction: CallDirection;
  readonly parentCallSid: string | undefined;
  readonly statusCallback: StatusCallbackConfig | undefined;
  readonly extraParams: Record<string, string>;
  readonly createdAt = new Date();
  status: CallStatus = 'queued';
  answeredAt: Date | null = null;
  endedAt: Date | null = null;
  party: Party | null = null;
  /** Answering-machine detection's verdict, when the call asked for it. */
  answeredBy: AnsweredBy | null = null;
  /** The script a scripted party on this leg follows (reports show its voicemail window). */
  behaviour: PartyBehaviour | null = null;
  /** The party this leg's party is bridged to by a Dial, for whole-call recordings. */
  bridgedParty: Party | null = null;
  /** Aborted when the call ends or its TwiML is replaced (REST update, Redirect). */
  twimlAbort = new AbortController();
  private readonly ended: Promise<void>;
  private markEnded!: () => void;

  constructor(init: CallLegInit) {
    super();
    this.sid = init.sid;
    this.accountSid = init.accountSid;
    this.from = init.from;
    this.to = init.to;
    this.direction = init.direction;
    this.parentCallSid = init.parentCallSid;
    this.statusCallback = init.statusCallback;
    this.extraParams = init.extraParams ?? {};
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
  }

  get isFinal(): boolean {
    return FINAL_STATUSES.has(this.status);
  }

  /** Seconds of conversation, as Twilio reports CallDuration. */
  get durationSeconds(): number {
    if (!this.answeredAt) return 0;
    return Math.round(((this.endedAt ?? new Date()).getTime() - this.answeredAt.getTime()) / 1000);
  }

  setStatus(next: CallStatus): void {
    if (this.isFinal || next === this.status) return;
    const previous = this.status;
    this.status = next;
    if (next === 'in-progress') this.answeredAt = new Date();
    if (FINAL_STATUSES.has(next)) {
      this.endedAt = new Date();
      this.twimlAbort.abort();
      this.markEnded();
    }
    this.emit('status', next, previous);
  }

  whenEnded(): Promise<void> {
    return this.ended;
  }

  replaceTwiml(): AbortSignal {
    this.twimlAbort.abort();
    this.twimlAbort = new AbortController();
    return this.twimlAbort.signal;
  }
}
