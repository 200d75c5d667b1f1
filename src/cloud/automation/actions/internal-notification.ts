import { actionConfigSchemas, type ActionConfig } from '../../../shared/cloud/workflows';
import { createNotification } from '../../notifications/service';
import { findTemplate } from '../../templates/service';
import { emailBody } from './email-body';
import { distinctCopies, resolveRecipients, textablePhone, type Recipient } from './internal-recipients';
import { senderProblem } from '../../sending-domains/sender';
import { checkAddresses, libraryAttachments, sendMailMessage } from './mail-message';
import { queuedFate, takeSlot } from './notification-rate';
import { smsTooLong, smsWithAttachmentLinks } from './sms-body';
import { sendTextMessage, senderNumber } from './text-message';
import { whatsAppSender } from './whatsapp-sender';
import type { ActionContext, ActionDefinition, ActionResult } from './types';

type Config = ActionConfig<'internal_notification'>;
type Outcome = { ok: true } | { ok: false; reason: string };

/**
 * Internal Notification: an alert to the practice's own team by email, in-app notification (the
 * bell, and the desktop's tray/OS alert through sync and the realtime socket), SMS or WhatsApp.
 * Runs with or without a contact. Each recipient is its own delivery, through the ledger (once
 * each), and gets one alert however many fields name them (Cc/Bcc leave them out); a recipient the
 * channel cannot reach (no valid phone, no WhatsApp sender) fails alone; the rate
 * limit (notification-rate.ts) queues the excess and drops what waited too long — all of it
 * written in the execution log.
 */
export const internalNotificationAction: ActionDefinition<Config> = {
  type: 'internal_notification',
  category: 'communication',
  needsContact: false,
  configSchema: actionConfigSchemas.internal_notification,
  execute: (ctx, config) => deliver(ctx, config),
  resume: (ctx, config) => deliver(ctx, config),
};

async function deliver(ctx: ActionContext, config: Config): Promise<ActionResult> {
  const resolved = await resolveRecipients(ctx, config);
  if ('skip' in resolved) return { status: 'skipped', reason: resolved.skip };
  const send = await channelSender(ctx, config, resolved.recipients);
  if ('unavailable' in send) return { status: 'error', reason: send.unavailable };

  // When this step first had to queue someone: the ledger keeps the first answer.
  const queuedSince = (): Promise<string> => ctx.dbEffect('queued-since', async () => new Date(ctx.clock.now()).toISOString());
  const sent: string[] = [];
  const failed: string[] = [];
  const dropped: string[] = [];
  let waitUntil: number | null = null;
  for (const [index, r] of resolved.recipients.entries()) {
    if (r.userId) {
      const nextFree = await takeSlot(ctx.db, { accountId: ctx.account.id, userId: r.userId, channel: config.channel, runId: ctx.run.id, stepKey: ctx.step.key });
      if (nextFree) {
        const fate = queuedFate(Date.parse(await queuedSince()), Date.parse(nextFree));
        if (fate.kind === 'drop') dropped.push(r.name);
        else waitUntil = Math.min(waitUntil ?? Infinity, fate.until);
        continue;
      }
    }
    const outcome = await send(r, index === 0);
    if (outcome.ok) sent.push(r.name);
    else failed.push(`${r.name} (${outcome.reason})`);
  }

  const parts = [
    sent.length > 0 ? `Sent by ${label[config.channel]} to ${sent.join(', ')}` : null,
    failed.length > 0 ? `Not sent to ${failed.join('; ')}` : null,
    dropped.length > 0 ? `Dropped by the rate limit (500 per user per 5 minutes; queued too long): ${dropped.join(', ')}` : null,
  ].filter((p): p is string => p !== null);
  const output = { channel: config.channel, sent, failed, dropped };
  if (waitUntil !== null) {
    const until = new Date(waitUntil + 1000).toISOString();
    return { status: 'waiting', reason: [...parts, `Queued by the rate limit (500 per user per 5 minutes) until ${until}`].join('. '), until, output };
  }
  if (sent.length === 0) return { status: 'error', reason: parts.join('. ') || 'Nothing was sent', output };
  return { status: 'completed', reason: parts.join('. '), output };
}

const label: Record<Config['channel'], string> = { email: 'email', in_app: 'in-app notification', sms: 'SMS', whatsapp: 'WhatsApp' };

type Sender = (r: Recipient, first: boolean) => Promise<Outcome>;

/** The channel's delivery, with what it needs checked once: a sender number, a mail server, a WhatsApp sender and template. */
async function channelSender(ctx: ActionContext, config: Config, recipients: readonly Recipient[]): Promise<Sender | { unavailable: string }> {
  const key = (r: Recipient): string => r.userId ?? `email:${r.email?.toLowerCase()}`;
  switch (config.channel) {
    case 'in_app': {
      const title = (await ctx.render(config.title)).trim() || 'Workflow alert';
      const message = (await ctx.render(config.message)).trim();
      const redirect = redirectFor(ctx, config.redirect);
      return async (r) => {
        await ctx.dbEffect(`in_app:${r.userId}`, (uow) =>
          createNotification(uow, { userId: r.userId!, title, message, redirect, dedupeKey: `wf:${ctx.run.id}:${ctx.step.key}` }),
        );
        await ctx.metric('delivered', r.userId!);
        return { ok: true };
      };
    }
    case 'sms': {
      const from = await senderNumber(ctx, null);
      if (!from) return { unavailable: 'No phone number to send from: add one under Settings → Phone Numbers' };
      const body = smsWithAttachmentLinks(await ctx.render(config.message), config.attachmentUrls);
      const tooLong = smsTooLong(body);
      if (tooLong) return { unavailable: tooLong };
      return async (r) => {
        const to = textablePhone(r.phone);
        if ('problem' in to) return { ok: false, reason: to.problem };
        const sent = await sendTextMessage(ctx, `sms:${key(r)}`, { channel: 'sms', purpose: 'internal', to: to.phone, from: from.number, body, userId: r.userId });
        return sent.ok ? { ok: true } : { ok: false, reason: 'notAllowed' in sent ? sent.notAllowed : `Twilio refused: ${sent.message}` };
      };
    }
    case 'whatsapp': {
      const wa = await whatsAppSender(ctx, config.templateName);
      if ('unavailable' in wa) return wa;
      const message = (await ctx.render(config.message)).trim();
      return async (r) => {
        const to = textablePhone(r.phone);
        if ('problem' in to) return { ok: false, reason: to.problem };
        const sent = await sendTextMessage(ctx, `whatsapp:${key(r)}`, {
          channel: 'whatsapp', purpose: 'internal', to: to.phone, from: wa.from, body: message || wa.template.body, userId: r.userId,
          contentSid: wa.template.contentSid, contentVariables: wa.variables(message),
        });
        return sent.ok ? { ok: true } : { ok: false, reason: 'notAllowed' in sent ? sent.notAllowed : `Twilio refused: ${sent.message}` };
      };
    }
    case 'email': {
      // From Email may be a custom value ({{user.email}}): what it fills to is checked and sent.
      const fromEmail = (await ctx.render(config.fromEmail)).trim();
      if (!fromEmail) return { unavailable: `The From Email (${config.fromEmail}) is empty once its merge fields are filled` };
      if (!ctx.ports.mail()) return { unavailable: 'No mail server is configured for this cloud (SMTP_HOST): the email was not sent' };
      // From a verified sending domain of the practice, as Send Email: said once for every recipient.
      const sender = await senderProblem(ctx.db, ctx.account.id, fromEmail);
      if (sender) return { unavailable: `${sender}. The email was not sent` };
      const content = await emailContent(ctx, config);
      if ('unavailable' in content) return content;
      const subject = (await ctx.render(content.subject)).trim() || 'Workflow alert';
      const { html, text } = await emailBody(content.body, (source, options) => ctx.render(source, options));
      const fromName = (await ctx.render(config.fromName)).trim();
      // One alert per person: nobody among the recipients is copied, and Bcc leaves out Cc.
      const copies = distinctCopies(recipients, checkAddresses(config.cc).valid, checkAddresses(config.bcc).valid);
      const files = await libraryAttachments(ctx, config.attachments);
      if (files.missing.length > 0) return { unavailable: `Attachments no longer in the media library: ${files.missing.join(', ')}` };
      return async (r, first) => {
        if (!r.email) return { ok: false, reason: `"${r.name}" is not an email address` };
        // Cc/Bcc get one copy (with the first recipient's email), not one per recipient.
        const sent = await sendMailMessage(ctx, `email:${key(r)}`, {
          purpose: 'internal', fromName, fromEmail, to: r.email, subject, html, ...(text ? { text } : {}), attachments: files.files, userId: r.userId,
          cc: first ? copies.cc : [], bcc: first ? copies.bcc : [],
        });
        if ('noServer' in sent) return { ok: false, reason: 'no mail server is configured' };
        if ('notSent' in sent) return { ok: false, reason: sent.notSent };
        return sent.ok ? { ok: true } : { ok: false, reason: sent.message };
      };
    }
  }
}

/**
 * The email's subject and body: the step's own, with its Template's where the step leaves them
 * blank (the article: the subject "can be left blank if your template includes one").
 */
async function emailContent(ctx: ActionContext, config: Extract<Config, { channel: 'email' }>): Promise<{ subject: string; body: string } | { unavailable: string }> {
  const own = { subject: config.subject, body: config.message };
  const blankSubject = own.subject.trim().length === 0;
  const blankBody = own.body.trim().length === 0;
  if (!config.templateId || (!blankSubject && !blankBody)) return own;
  const template = await findTemplate(ctx.db, ctx.account.id, config.templateId);
  if (!template) {
    if (blankBody) return { unavailable: 'The email template chosen was deleted and the Message is blank: choose another template or write the message' };
    return own;
  }
  return { subject: blankSubject ? template.subject : own.subject, body: blankBody ? template.body : own.body };
}

function redirectFor(ctx: ActionContext, redirect: 'contact' | 'call' | 'appointment' | 'none'): string | null {
  const { callId, appointmentId } = ctx.run.context;
  if (redirect === 'contact' && ctx.contact) return `contact:${ctx.contact.id}`;
  if (redirect === 'call' && typeof callId === 'string') return `call:${callId}`;
  if (redirect === 'appointment' && typeof appointmentId === 'string') return `appointment:${appointmentId}`;
  return null;
}
