import { z } from 'zod';
import { mediaForUrl } from '../../media/service';
import { countMetric, recordOutbound, type OutboundPurpose } from '../../messaging/outbound';
import { EffectRefused, type ActionContext } from './types';

/**
 * What the email-sending actions share (Send Email, Internal Notification email, Review Request):
 * Cc/Bcc checking, media-library attachments, and one message through nodemailer exactly once.
 *
 * The window SMTP cannot make exact: a mail server cannot be asked "did you take message X?", so
 * an attempt that died after DATA was sent and before the ledger recorded the answer is never
 * repeated — the step errs "may or may not have happened" (src/cloud/automation/README.md).
 */
const emailSchema = z.string().email().max(254);
export const isEmail = (s: string): boolean => emailSchema.safeParse(s).success;

/** Splits Cc/Bcc entries (each may hold several, comma-separated) into valid addresses and skipped ones. */
export function checkAddresses(entries: string[]): { valid: string[]; invalid: string[] } {
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const address of entries.flatMap((e) => e.split(',')).map((a) => a.trim()).filter((a) => a.length > 0)) {
    if (isEmail(address)) {
      if (!valid.some((v) => v.toLowerCase() === address.toLowerCase())) valid.push(address);
    } else invalid.push(address);
  }
  return { valid, invalid };
}

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

/** Attachments are files of the account's media library (read from the database, never fetched). */
export async function libraryAttachments(ctx: ActionContext, attachments: { name: string; url: string }[]): Promise<{ files: MailAttachment[]; missing: string[] }> {
  const files: MailAttachment[] = [];
  const missing: string[] = [];
  const base = ctx.ports.publicUrl().replace(/\/$/, '');
  for (const a of attachments) {
    const media = await mediaForUrl(ctx.db, ctx.account.id, a.url, base);
    if (media) files.push({ filename: a.name || media.name, content: media.bytes, contentType: media.contentType });
    else missing.push(a.name);
  }
  return { files, missing };
}

export interface MailMessage {
  purpose: OutboundPurpose;
  fromName: string;
  fromEmail: string;
  to: string;
  cc?: string[];
  bcc?: string[];
  subject: string;
  html: string;
  /** A text/plain alternative (the body as the admin typed it, merge fields filled). */
  text?: string;
  attachments?: MailAttachment[];
  contactId?: string | null;
  userId?: string | null;
  senderUserId?: string | null;
  /** Opens (pixel) and clicks (tracked links) — for mail to contacts. */
  track?: boolean;
}

export type MailOutcome =
  | { ok: true; messageId: string; smtpId: string; response: string }
  | { ok: false; messageId: string; code: number | null; message: string; rejected: boolean };

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message: string;
  rejected?: string[];
}

/** Connection errors before anything was sent: the server certainly has nothing. */
const NOT_CONNECTED = new Set(['ECONNECTION', 'EDNS', 'ETLS', 'EAUTH']);

/**
 * Sends one email under ledger key `key`. Statistics of the PRIMARY recipient only (the seed):
 * Accepted and Delivered when the receiving server takes it for that address, Rejected when it
 * refuses the address, Bounced on a permanent (5xx) refusal of the message.
 */
export async function sendMailMessage(ctx: ActionContext, key: string, m: MailMessage): Promise<MailOutcome | { ok: false; noServer: true }> {
  const transport = ctx.ports.mail();
  if (!transport) return { ok: false, noServer: true };
  const base = ctx.ports.publicUrl().replace(/\/$/, '');
  const step = { runId: ctx.run.id, stepId: ctx.step.id, workflowId: ctx.run.workflowId };
  const record = await ctx.dbEffect(`${key}:record`, (uow) =>
    recordOutbound(uow.q, {
      accountId: ctx.account.id, channel: 'email', purpose: m.purpose, step, contactId: m.contactId ?? null, userId: m.userId ?? null,
      senderUserId: m.senderUserId ?? null, to: m.to, from: m.fromEmail, subject: m.subject, body: m.html,
      trackLinks: m.track ? 'html' : false, trackOpens: m.track ?? false,
    }, base),
  );
  const smtpId = `<${record.id}@${m.fromEmail.split('@')[1] ?? 'aesthetix.invalid'}>`;
  const sent = await ctx.effect<MailOutcome>(key, async () => {
    try {
      const info = await transport.sendMail({
        from: { name: m.fromName, address: m.fromEmail },
        to: m.to,
        ...(m.cc?.length ? { cc: m.cc } : {}),
        ...(m.bcc?.length ? { bcc: m.bcc } : {}),
        subject: m.subject,
        html: record.body,
        ...(m.text ? { text: m.text } : {}),
        messageId: smtpId,
        attachments: (m.attachments ?? []).map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
      });
      const rejected = (info.rejected as (string | { address: string })[]).map((r) => (typeof r === 'string' ? r : r.address).toLowerCase());
      if (rejected.includes(m.to.toLowerCase())) {
        return { ok: false, messageId: record.id, code: null, message: `The mail server refused ${m.to}`, rejected: true };
      }
      return { ok: true, messageId: record.id, smtpId, response: String(info.response ?? '') };
    } catch (error) {
      const e = error as SmtpError;
      if (e.code && NOT_CONNECTED.has(e.code)) throw new EffectRefused(`The mail server could not be reached: ${e.message}`);
      if (typeof e.responseCode === 'number' && e.responseCode >= 400 && e.responseCode < 500) {
        throw new EffectRefused(`The mail server asked to try later: ${e.response ?? e.message}`);
      }
      if (typeof e.responseCode === 'number' && e.responseCode >= 500) {
        // EENVELOPE: every recipient refused at RCPT; otherwise the message itself was refused.
        return { ok: false, messageId: record.id, code: e.responseCode, message: e.response ?? e.message, rejected: e.code === 'EENVELOPE' };
      }
      throw error; // the connection broke mid-way: in doubt, never repeated
    }
  });
  await ctx.dbEffect(`${key}:result`, async (uow) => {
    const status = sent.ok ? 'delivered' : sent.rejected ? 'rejected' : 'bounced';
    await uow.q.query(
      `UPDATE outbound_messages SET provider_id = $2, status = $3, error_code = $4, error_message = $5, updated_at = now() WHERE id = $1`,
      [record.id, sent.ok ? sent.smtpId : null, status, sent.ok ? null : String(sent.code ?? ''), sent.ok ? null : sent.message],
    );
    const row = { run_id: ctx.run.id, step_id: ctx.step.id, workflow_id: ctx.run.workflowId, to_address: m.to };
    if (sent.ok) {
      await countMetric(uow.q, row, 'accepted');
      await countMetric(uow.q, row, 'delivered');
    } else await countMetric(uow.q, row, sent.rejected ? 'rejected' : 'bounced');
    return null;
  });
  return sent;
}
