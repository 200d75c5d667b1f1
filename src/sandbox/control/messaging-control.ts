// The messaging side of the control API: contacts that text in (and reply, and text STOP),
// delivery results per destination, WhatsApp senders and templates, and what was sent.
import { z } from 'zod';
import type { SandboxContext } from '../context';
import type { InboundResult } from '../messaging/inbound';
import type { Messaging, MessageFilter } from '../messaging/messaging';
import type { ContactScriptInput, ContentTemplate, MessageOutcomeInput, MessagingService, SmsMessage } from '../messaging/messaging-state';
import { addSender, createService, type ServiceInput } from '../messaging/services';
import { createTemplate, decideApproval, type TemplateInput } from '../messaging/templates';

const address = z.string().regex(/^(whatsapp:)?\+[1-9]\d{6,14}$/, 'an E.164 number, optionally whatsapp:-prefixed');

export const inboundMessageSchema = z.object({
  from: address,
  to: address,
  body: z.string().max(1600).default(''),
  mediaUrls: z.array(z.url()).max(10).default([]),
  profileName: z.string().max(100).optional(),
});
export type InboundMessageInput = z.input<typeof inboundMessageSchema>;

export const templateSchema = z.object({
  friendlyName: z.string().min(1).max(256),
  body: z.string().min(1).max(1600),
  language: z.string().min(2).max(16).optional(),
  variables: z.record(z.string(), z.string()).optional(),
  whatsappStatus: z.enum(['unsubmitted', 'received', 'pending', 'approved', 'rejected']).default('approved'),
  category: z.enum(['UTILITY', 'MARKETING', 'AUTHENTICATION']).optional(),
});

/** A message as tests read it: camelCase, with the sender even while `accepted`. */
export type MessageView = Omit<SmsMessage, 'statusCallback'> & { statusCallback: string | null };

export class MessagingControl {
  constructor(
    private readonly ctx: SandboxContext,
    private readonly messaging: Messaging,
  ) {}

  /** A contact texts a number of the account (SMS, or WhatsApp with whatsapp: addresses); resolves after the webhook answered. */
  receive(input: InboundMessageInput): Promise<InboundResult> {
    const m = inboundMessageSchema.parse(input);
    return this.messaging.receive({ from: m.from, to: m.to, body: m.body, mediaUrls: m.mediaUrls, ...(m.profileName ? { profileName: m.profileName } : {}) });
  }

  /** What happens to messages sent to `to`: delivered (default), undelivered, failed, read (WhatsApp); optional errorCode. */
  setOutcome(to: string, outcome: MessageOutcomeInput): void {
    this.messaging.setOutcome(address.parse(to), outcome);
  }

  /** The contact at `number` texts back: one reply per message delivered to it, in order. */
  scriptContact(number: string, script: ContactScriptInput): void {
    this.messaging.scriptContact(address.parse(number), script);
  }

  /** Registers a number of the account as a WhatsApp sender (what Twilio's WhatsApp sender onboarding does). */
  enableWhatsAppSender(phoneNumber: string): void {
    const e164 = address.parse(phoneNumber).replace(/^whatsapp:/, '');
    if (!this.ctx.store.numberByPhone(e164)) throw new Error(`${e164} is not a number of this account`);
    this.messaging.state.whatsappSenders.add(e164);
  }

  /** A Content template, by default already approved for WhatsApp. */
  addTemplate(input: z.input<typeof templateSchema>): ContentTemplate {
    const t = templateSchema.parse(input);
    const payload: TemplateInput = { friendlyName: t.friendlyName, body: t.body, whatsappStatus: t.whatsappStatus };
    if (t.language) payload.language = t.language;
    if (t.variables) payload.variables = t.variables;
    if (t.category) payload.category = t.category;
    return createTemplate(this.ctx, this.messaging.state, payload);
  }

  /** Approves or rejects a template submitted through the Content API (when auto-approval is off). */
  decideTemplate(sid: string, status: 'approved' | 'rejected', reason?: string): ContentTemplate {
    const t = this.messaging.state.templates.get(sid);
    if (!t) throw new Error(`no template ${sid}`);
    return decideApproval(t, z.enum(['approved', 'rejected']).parse(status), reason);
  }

  /** Whether Content API approval requests are approved at once (default true). */
  setAutoApproveTemplates(on: boolean): void {
    this.messaging.state.autoApproveTemplates = on;
  }

  /** A Messaging Service with these senders, without going through REST. */
  createService(input: ServiceInput & { senders?: string[] }): MessagingService {
    const service = createService(this.ctx, this.messaging.state, input);
    for (const phone of input.senders ?? []) {
      const n = this.ctx.store.numberByPhone(phone);
      if (!n) throw new Error(`${phone} is not a number of this account`);
      addSender(this.ctx, this.messaging.state, service, n.sid);
    }
    return service;
  }

  /** Messages so far (oldest first), filtered. */
  list(filter: MessageFilter = {}): MessageView[] {
    return this.messaging.list(filter).map((m) => ({ ...m, mediaUrls: [...m.mediaUrls], statusCallback: m.statusCallback?.url ?? null }));
  }

  /** Whether `contact` has opted out of messages from `senderNumber` (or its Messaging Service). */
  isOptedOut(senderNumber: string, contact: string): boolean {
    const n = this.ctx.store.numberByPhone(senderNumber);
    return this.messaging.state.optOuts.has(this.messaging.state.optOutKey(senderNumber, n?.sid, contact));
  }
}
