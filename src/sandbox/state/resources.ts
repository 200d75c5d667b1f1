// Creating account resources, shared by the REST API and the control API.
import { newSid } from '../sids';
import type { Application, Capabilities, IncomingNumber, SandboxStore } from './store';

export interface NumberInput {
  phoneNumber: string;
  friendlyName?: string;
  voiceUrl?: string;
  voiceMethod?: 'GET' | 'POST';
  voiceApplicationSid?: string | null;
  voiceFallbackUrl?: string;
  voiceFallbackMethod?: 'GET' | 'POST';
  statusCallback?: string;
  statusCallbackMethod?: 'GET' | 'POST';
  smsUrl?: string;
  capabilities?: Capabilities;
  numberType?: IncomingNumber['numberType'];
  addressRequirements?: IncomingNumber['addressRequirements'];
}

export function formatFriendly(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}

export function addIncomingNumber(store: SandboxStore, accountSid: string, input: NumberInput): IncomingNumber {
  const now = new Date();
  const number: IncomingNumber = {
    sid: newSid('PN'),
    accountSid,
    phoneNumber: input.phoneNumber,
    friendlyName: input.friendlyName ?? formatFriendly(input.phoneNumber),
    voiceUrl: input.voiceUrl ?? '',
    voiceMethod: input.voiceMethod ?? 'POST',
    voiceApplicationSid: input.voiceApplicationSid ?? null,
    voiceFallbackUrl: input.voiceFallbackUrl ?? '',
    voiceFallbackMethod: input.voiceFallbackMethod ?? 'POST',
    statusCallback: input.statusCallback ?? '',
    statusCallbackMethod: input.statusCallbackMethod ?? 'POST',
    smsUrl: input.smsUrl ?? '',
    smsMethod: 'POST',
    capabilities: input.capabilities ?? { voice: true, sms: true, mms: true, fax: false },
    numberType: input.numberType ?? 'local',
    addressRequirements: input.addressRequirements ?? 'none',
    dateCreated: now,
    dateUpdated: now,
  };
  store.numbers.set(number.sid, number);
  return number;
}

export interface ApplicationInput {
  friendlyName?: string;
  voiceUrl?: string;
  voiceMethod?: 'GET' | 'POST';
  voiceFallbackUrl?: string;
  voiceFallbackMethod?: 'GET' | 'POST';
  statusCallback?: string;
  statusCallbackMethod?: 'GET' | 'POST';
}

export function createApplication(store: SandboxStore, accountSid: string, input: ApplicationInput): Application {
  const now = new Date();
  const app: Application = {
    sid: newSid('AP'),
    accountSid,
    friendlyName: input.friendlyName ?? 'TwiML App',
    voiceUrl: input.voiceUrl ?? '',
    voiceMethod: input.voiceMethod ?? 'POST',
    voiceFallbackUrl: input.voiceFallbackUrl ?? '',
    voiceFallbackMethod: input.voiceFallbackMethod ?? 'POST',
    statusCallback: input.statusCallback ?? '',
    statusCallbackMethod: input.statusCallbackMethod ?? 'POST',
    dateCreated: now,
    dateUpdated: now,
  };
  store.applications.set(app.sid, app);
  return app;
}
