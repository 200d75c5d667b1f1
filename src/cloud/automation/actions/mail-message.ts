import { mediaForUrl } from '../../media/service';
import { countMetric, emailMessageIdOf, recordOutbound, type OutboundPurpose } from '../../messaging/outbound';
import { addressList, canonicalEmail, emailAddressProblem } from '../../../shared/cloud/email-address';
import { dkimSigning } from '../../sending-domains/sender';
import { EffectRefused, type ActionContext } from './types';

/**
 * What the email-sending actions share (Send Email, Internal Notification email, Review Request):
 * Cc/Bcc checking, media-library attachments, and each message through nodemailer exactly once.
 *
 * The window SMTP cannot make exact: a mail server cannot be asked "did you take message X?", so
 * an attempt that died after DATA was sent and before the ledger recorded the answer is never
 * repeated — the step errs "may or may not have happened" (src/cloud/automation/README.md).
 */
/**
 * Splits Cc/Bcc entries (each may hold several, comma-separated) into valid addresses — in their
 * canonical form (xn--), as they are sent — and skipped ones, as typed.
 */
export function checkAddresses(entries: string[]): { valid: string[]; invalid: string[] } {
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const address of addressList(entries)) {
    const canonical = canonicalEmail(address);
    if (canonical) {
      if (!valid.some((v) => v.toLowerCase() === canonical.toLowerCase())) valid.push(canonical);
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
  | { ok: true; messageId: string; smtpId: string; response: string; copies?: CopiesOutcome }
  | { ok: false; messageId: string; code: number | null; message: string; rejected: boolean; copies?: CopiesOutcome };

/** Nothing was sent: no mail server is configured, or the message could not be signed (`notSent`: why). */
export type MailNotSent = { ok: false; noServer: true } | { ok: false; notSent: string };

/** The untracked Cc/Bcc copy of a tracked message: sent, or why not (the contact's message went regardless). */
export type CopiesOutcome = { sent: true; refused: string[] } | { sent: false; reason: string };

/** What the step's log says about the copy, if anything went wrong with it. */
export function copiesNote(copies: CopiesOutcome | undefined): string | null {
  if (!copies) return null;
  if (!copies.sent) return `The Cc/Bcc copy was not sent: ${copies.reason}`;
  return copies.refused.length > 0 ? `The mail server refused the Cc/Bcc copy for ${copies.refused.join(', ')}` : null;
}

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
 *
 * A tracked message (`track`) carries the contact's open pixel and tracked links, so it goes to the
 * contact alone: Cc and Bcc get a copy of their own without them (the article: "Cc/Bcc recipients
 * are not counted in these stats"), under ledger key `<key>:copies`, once the contact's message is
 * settled. Both show the same To and Cc headers, as one message to everyone would.
 */
export async function sendMailMessage(ctx: ActionContext, key: string, message: MailMessage): Promise<MailOutcome | MailNotSent> {
  const transport = ctx.ports.mail();
  if (!transport) return { ok: false, noServer: true };
  // One form on the wire and in the ledger: the domain lower case, international names in xn--.
  const fromEmail = canonicalEmail(message.fromEmail);
  if (!fromEmail) return { ok: false, notSent: `The From Email "${message.fromEmail}" is not an email address` };
  // The recipients too (a contact's email is stored as typed: anna@bücher.de goes to anna@xn--bcher-kva.de).
  const to = canonicalEmail(message.to);
  if (!to) return { ok: false, notSent: emailAddressProblem(message.to, `The address "${message.to}" is not an email address`)! };
  const canonicalAll = (list: string[] | undefined) => list?.map((a) => canonicalEmail(a) ?? a);
  const m = { ...message, fromEmail, to, cc: canonicalAll(message.cc), bcc: canonicalAll(message.bcc) };
  // Only From a verified sending domain of the practice (or a subdomain of one), signed with its DKIM key.
  const signing = await dkimSigning(ctx.db, ctx.account.id, fromEmail, ctx.ports.secrets());
  if (!signing.ok) return { ok: false, notSent: signing.reason };
  const base = ctx.ports.publicUrl().replace(/\/$/, '');
  const step = { runId: ctx.run.id, stepId: ctx.step.id, workflowId: ctx.run.workflowId };
  const domain = fromEmail.slice(fromEmail.lastIndexOf('@') + 1);
  // The Message-ID is recorded with the message, before it leaves: a reply names it (In-Reply-To).
  const record = await ctx.dbEffect(`${key}:record`, (uow) =>
    recordOutbound(uow.q, {
      accountId: ctx.account.id, channel: 'email', purpose: m.purpose, step, contactId: m.contactId ?? null, userId: m.userId ?? null,
      senderUserId: m.senderUserId ?? null, to: m.to, from: m.fromEmail, subject: m.subject, body: m.html,
      trackLinks: m.track ? 'html' : false, trackOpens: m.track ?? false, messageIdDomain: domain,
    }, base),
  );
  // A ledger entry written before 0800 has no emailMessageId: the same id, made the same way.
  const smtpId = record.emailMessageId ?? emailMessageIdOf(record.id, domain);
  const copyRecipients = m.track ? [...(m.cc ?? []), ...(m.bcc ?? [])] : [];
  const mail = {
    dkim: signing.dkim,
    from: { name: m.fromName, address: m.fromEmail },
    to: m.to,
    ...(m.cc?.length ? { cc: m.cc } : {}),
    subject: m.subject,
    ...(m.text ? { text: m.text } : {}),
    attachments: (m.attachments ?? []).map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
  };
  const sent = await ctx.effect<MailOutcome>(key, async () => {
    try {
      const info = await transport.sendMail({
        ...mail,
        html: record.body,
        messageId: smtpId,
        // The envelope decides who receives it: with a separate copy, the contact alone.
        ...(copyRecipients.length > 0 ? { envelope: { from: m.fromEmail, to: [m.to] } } : m.bcc?.length ? { bcc: m.bcc } : {}),
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
        const refusedAddress = e.code === 'EENVELOPE';
        const message = refusedAddress ? `The mail server refused ${m.to}: ${e.response ?? e.message}` : e.response ?? e.message;
        return { ok: false, messageId: record.id, code: e.responseCode, message, rejected: refusedAddress };
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
  if (copyRecipients.length === 0) return sent;
  // The copy goes whatever became of the contact's message, as it would have in one message to all.
  const copies = await sendCopies(ctx, `${key}:copies`, () =>
    transport.sendMail({ ...mail, html: m.html, messageId: `<${record.id}.copy@${domain}>`, envelope: { from: m.fromEmail, to: copyRecipients } }),
  );
  return { ...sent, copies };
}

/**
 * The Cc/Bcc copy, at most once like every effect. A refusal to try later retries the step (the
 * contact's message is in the ledger and is not sent again); a permanent refusal, or an earlier
 * attempt that stopped mid-way (SMTP cannot be asked whether it took it), is reported, not repeated.
 */
async function sendCopies(ctx: ActionContext, key: string, send: () => Promise<{ rejected?: unknown[] }>): Promise<CopiesOutcome> {
  return ctx.effect<CopiesOutcome>(
    key,
    async () => {
      try {
        const info = await send();
        const refused = ((info.rejected ?? []) as (string | { address: string })[]).map((r) => (typeof r === 'string' ? r : r.address));
        return { sent: true, refused };
      } catch (error) {
        const e = error as SmtpError;
        if (e.code && NOT_CONNECTED.has(e.code)) throw new EffectRefused(`The mail server could not be reached: ${e.message}`);
        if (typeof e.responseCode === 'number' && e.responseCode >= 400 && e.responseCode < 500) {
          throw new EffectRefused(`The mail server asked to try later: ${e.response ?? e.message}`);
        }
        if (typeof e.responseCode === 'number' && e.responseCode >= 500) return { sent: false, reason: `the mail server refused it (${e.response ?? e.message})` };
        throw error;
      }
    },
    { reconcile: async () => ({ sent: false, reason: 'it may or may not have been sent (an earlier attempt stopped before the mail server answered), so it was not sent again' }) },
  );
}
