// The account's resources, in memory: numbers, TwiML apps, recordings. Messaging keeps its own (messaging/).
import type { ApiKey } from '../auth/access-token';
import type { CallRecorder } from '../calls/call-recorder';
import { InsightsLog } from './insights';
import { NumberInventory } from './inventory';
import type { AddressRequirement, Capabilities, NumberType } from './numbering-plan';

export type { Capabilities } from './numbering-plan';

export interface IncomingNumber {
  sid: string;
  accountSid: string;
  phoneNumber: string;
  friendlyName: string;
  voiceUrl: string;
  voiceMethod: 'GET' | 'POST';
  voiceApplicationSid: string | null;
  /** Requested when the voice URL cannot be fetched or parsed ('' = none). */
  voiceFallbackUrl: string;
  voiceFallbackMethod: 'GET' | 'POST';
  statusCallback: string;
  statusCallbackMethod: 'GET' | 'POST';
  smsUrl: string;
  smsMethod: 'GET' | 'POST';
  capabilities: Capabilities;
  numberType: NumberType;
  addressRequirements: AddressRequirement;
  dateCreated: Date;
  dateUpdated: Date;
}

export interface Application {
  sid: string;
  accountSid: string;
  friendlyName: string;
  voiceUrl: string;
  voiceMethod: 'GET' | 'POST';
  /** Requested when the voice URL cannot be fetched or parsed ('' = none). */
  voiceFallbackUrl: string;
  voiceFallbackMethod: 'GET' | 'POST';
  statusCallback: string;
  statusCallbackMethod: 'GET' | 'POST';
  dateCreated: Date;
  dateUpdated: Date;
}

export type RecordingStatus = 'in-progress' | 'paused' | 'stopped' | 'processing' | 'completed' | 'absent';

export interface Recording {
  sid: string;
  accountSid: string;
  callSid: string;
  status: RecordingStatus;
  source: 'DialVerb' | 'RecordVerb' | 'StartCallRecordingAPI' | 'OutboundAPI';
  channels: number;
  startTime: Date;
  durationSeconds: number;
  samples: Int16Array;
  dateCreated: Date;
  dateUpdated: Date;
}

export interface DialRecorder {
  sid: string;
  callSid: string;
  accountSid: string;
  recorder: CallRecorder;
  startedAt: Date;
}

export interface Account {
  friendlyName: string;
  status: 'active' | 'suspended' | 'closed';
  dateCreated: Date;
  dateUpdated: Date;
}

export class SandboxStore {
  readonly account: Account = { friendlyName: 'Aesthetix Twilio sandbox', status: 'active', dateCreated: new Date(), dateUpdated: new Date() };
  readonly apiKeys = new Map<string, ApiKey>();
  /** What "Twilio" has for sale, shared with the other customers the control API plays. */
  readonly inventory = new NumberInventory();
  /** What Voice SDKs posted to the Insights event gateway. */
  readonly insights = new InsightsLog();
  readonly numbers = new Map<string, IncomingNumber>();
  readonly applications = new Map<string, Application>();
  readonly recordings = new Map<string, Recording>();
  /** Recordings a <Dial record> is making right now, by RecordingSid: REST can pause/resume them, as on Twilio. */
  readonly dialRecorders = new Map<string, DialRecorder>();

  numberByPhone(phoneNumber: string): IncomingNumber | undefined {
    for (const n of this.numbers.values()) if (n.phoneNumber === phoneNumber) return n;
    return undefined;
  }
}
