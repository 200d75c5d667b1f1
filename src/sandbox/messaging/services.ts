// Messaging Services and their sender pools, as the Messaging v1 API manages them: a number
// belongs to at most one service, needs SMS or MMS, and a pool holds at most 400 senders.
import type { SandboxContext } from '../context';
import { TwilioRestError } from '../rest/errors';
import { newSid } from '../sids';
import type { IncomingNumber } from '../state/store';
import type { MessagingService, MessagingState } from './messaging-state';

export const POOL_LIMIT = 400;

export interface ServiceInput {
  friendlyName: string;
  inboundRequestUrl?: string | null;
  inboundMethod?: 'GET' | 'POST';
  statusCallback?: string | null;
  stickySender?: boolean;
  useInboundWebhookOnNumber?: boolean;
  validityPeriod?: number;
}

export function createService(ctx: SandboxContext, state: MessagingState, input: ServiceInput): MessagingService {
  const now = new Date();
  const service: MessagingService = {
    sid: newSid('MG'),
    accountSid: ctx.settings.accountSid,
    friendlyName: input.friendlyName,
    inboundRequestUrl: input.inboundRequestUrl ?? null,
    inboundMethod: input.inboundMethod ?? 'POST',
    statusCallback: input.statusCallback ?? null,
    stickySender: input.stickySender ?? true,
    useInboundWebhookOnNumber: input.useInboundWebhookOnNumber ?? false,
    validityPeriod: input.validityPeriod ?? 36_000,
    senders: [],
    senderAddedAt: new Map(),
    dateCreated: now,
    dateUpdated: now,
  };
  state.services.set(service.sid, service);
  ctx.events.emitEvent('messaging-service.created', { sid: service.sid, friendlyName: service.friendlyName });
  return service;
}

export function updateService(service: MessagingService, input: Partial<ServiceInput>): MessagingService {
  if (input.friendlyName !== undefined) service.friendlyName = input.friendlyName;
  if (input.inboundRequestUrl !== undefined) service.inboundRequestUrl = input.inboundRequestUrl || null;
  if (input.inboundMethod !== undefined) service.inboundMethod = input.inboundMethod;
  if (input.statusCallback !== undefined) service.statusCallback = input.statusCallback || null;
  if (input.stickySender !== undefined) service.stickySender = input.stickySender;
  if (input.useInboundWebhookOnNumber !== undefined) service.useInboundWebhookOnNumber = input.useInboundWebhookOnNumber;
  if (input.validityPeriod !== undefined) service.validityPeriod = input.validityPeriod;
  service.dateUpdated = new Date();
  return service;
}

export function addSender(ctx: SandboxContext, state: MessagingState, service: MessagingService, phoneNumberSid: string): IncomingNumber {
  const number = /^PN[0-9a-f]{32}$/.test(phoneNumberSid) ? ctx.store.numbers.get(phoneNumberSid) : undefined;
  if (!number) throw new TwilioRestError(400, 21421, `PhoneNumberSid ${phoneNumberSid} is invalid`);
  if (service.senders.includes(number.sid)) throw new TwilioRestError(409, 21712, 'Phone Number is already associated with this Messaging Service.');
  const other = state.serviceOfNumber(number.sid);
  if (other) throw new TwilioRestError(409, 21712, 'Phone Number or Short Code is associated with another Messaging Service.');
  if (!number.capabilities.sms && !number.capabilities.mms) throw new TwilioRestError(400, 21715, 'Phone Number Does Not Have Correct Messaging Service Capabilities');
  if (service.senders.length >= POOL_LIMIT) throw new TwilioRestError(400, 21714, 'Messaging Service Number Pool size limit reached');
  service.senders.push(number.sid);
  service.senderAddedAt.set(number.sid, new Date());
  service.dateUpdated = new Date();
  return number;
}

export function removeSender(service: MessagingService, phoneNumberSid: string): boolean {
  const i = service.senders.indexOf(phoneNumberSid);
  if (i < 0) return false;
  service.senders.splice(i, 1);
  service.senderAddedAt.delete(phoneNumberSid);
  return true;
}
