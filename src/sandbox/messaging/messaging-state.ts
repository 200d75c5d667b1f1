// Messaging as the account sees it: messages (SMS, MMS, WhatsApp), Messaging Services with their
// sender pools, opt-outs, WhatsApp senders and templates, and the scripts tests give contacts
// (what happens to messages sent to them, what they text back).
import { z } from 'zod';

export type MessageStatus = 'accepted' | 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'read' | 'receiving' | 'received';
export type Channel = 'sms' | 'whatsapp';

export interface SmsMessage {
  sid: string;
  accountSid: string;
  /** The sender. A Messaging Service picks it at once (sticky sender) but, as on Twilio, the API shows it only from `queued` on. */
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
  status: MessageStatus;
  direction: 'inbound' | 'outbound-api' | 'outbound-reply';
  channel: Channel;
  messagingServiceSid: string | null;
  contentSid: string | null;
  statusCallback: { url: string; method: 'GET' | 'POST' } | null;
  errorCode: number | null;
  errorMessage: string | null;
  dateCreated: Date;
  dateUpdated: Date;
  dateSent: Date | null;
}

export interface MessagingService {
  sid: string;
  accountSid: string;
  friendlyName: string;
  inboundRequestUrl: string | null;
  inboundMethod: 'GET' | 'POST';
  statusCallback: string | null;
  stickySender: boolean;
  useInboundWebhookOnNumber: boolean;
  validityPeriod: number;
  /** Sender pool: IncomingPhoneNumber sids, in the order they were added. */
  senders: string[];
  senderAddedAt: Map<string, Date>;
  dateCreated: Date;
  dateUpdated: Date;
}

export interface ContentTemplate {
  sid: string;
  accountSid: string;
  friendlyName: string;
  language: string;
  body: string;
  /** Sample values for the {{1}}, {{2}}… placeholders. */
  variables: Record<string, string>;
  whatsapp: { name: string; category: string; status: 'unsubmitted' | 'received' | 'pending' | 'approved' | 'rejected'; rejectionReason: string };
  dateCreated: Date;
  dateUpdated: Date;
}

export const messageOutcomeSchema = z.object({
  status: z.enum(['delivered', 'undelivered', 'failed', 'read']),
  /** Twilio's error code for undelivered/failed (default 30003 unreachable / 30008 unknown). */
  errorCode: z.number().int().optional(),
  /** Pause between status steps (default 20 ms). */
  stepMs: z.number().int().min(0).max(60_000).default(20),
});
export type MessageOutcome = z.infer<typeof messageOutcomeSchema>;
export type MessageOutcomeInput = z.input<typeof messageOutcomeSchema> | 'delivered' | 'undelivered' | 'failed' | 'read';

export const contactScriptSchema = z.object({
  /** Texts the contact sends back, one per message it receives (in order), after afterMs. */
  replies: z.array(z.object({ body: z.string().min(1).max(1600), afterMs: z.number().int().min(0).max(600_000).default(0) })).max(100).default([]),
});
export type ContactScriptInput = z.input<typeof contactScriptSchema>;

export class MessagingState {
  readonly messages = new Map<string, SmsMessage>();
  readonly services = new Map<string, MessagingService>();
  readonly templates = new Map<string, ContentTemplate>();
  /** Delivery result per destination address (E.164 or whatsapp:E.164). */
  readonly outcomes = new Map<string, MessageOutcome>();
  /** Addresses (E.164 or whatsapp:…) that may send WhatsApp, i.e. registered WhatsApp senders. */
  readonly whatsappSenders = new Set<string>();
  /** `${senderKey}|${contact}` pairs where the contact texted STOP. senderKey: a service sid or a number. */
  readonly optOuts = new Set<string>();
  /** Last inbound WhatsApp message per `${sender}|${contact}`: the 24-hour session window. */
  readonly lastInbound = new Map<string, Date>();
  /** Sticky sender: which pool number last texted a contact, per service. */
  readonly sticky = new Map<string, string>();
  readonly contactScripts = new Map<string, Array<{ body: string; afterMs: number }>>();
  /** Templates submitted for WhatsApp approval are approved at once unless turned off. */
  autoApproveTemplates = true;

  serviceOfNumber(numberSid: string): MessagingService | undefined {
    for (const s of this.services.values()) if (s.senders.includes(numberSid)) return s;
    return undefined;
  }

  /** Opt-outs are per Messaging Service when the sender is in one, else per number. */
  optOutKey(senderNumber: string, senderNumberSid: string | undefined, contact: string): string {
    const service = senderNumberSid ? this.serviceOfNumber(senderNumberSid) : undefined;
    return `${service?.sid ?? bare(senderNumber)}|${bare(contact)}`;
  }
}

export function channelOf(address: string): Channel {
  return address.startsWith('whatsapp:') ? 'whatsapp' : 'sms';
}

/** The phone number in an address: `whatsapp:+1555…` → `+1555…`. */
export function bare(address: string): string {
  return address.replace(/^whatsapp:/, '');
}

export const E164 = /^\+[1-9]\d{6,14}$/;
