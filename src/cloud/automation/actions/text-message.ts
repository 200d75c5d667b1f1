import { decideTextDestination } from '../../call-policy/service';
import { messageStatusPath, providerIdOf, recordOutbound, type OutboundPurpose, type OutboundStatus } from '../../messaging/outbound';
import { findTemplate } from '../../templates/service';
import { EffectRefused, type ActionContext } from './types';
import { isTwilioClientError } from '../../telephony/rest';

/**
 * What the text-sending actions share (Send SMS, Internal Notification SMS/WhatsApp, Review
 * Request): the sending number, the template text, and one message sent through the official
 * `twilio` client exactly once — recorded first (its id is in the status callback), sent through
 * the intent ledger, its SID recorded after.
 */
export interface TextMessage {
  channel: 'sms' | 'whatsapp';
  purpose: OutboundPurpose;
  /** E.164 (without the `whatsapp:` prefix). */
  to: string;
  from: string;
  body: string;
  contactId?: string | null;
  userId?: string | null;
  senderUserId?: string | null;
  /** Replace links with tracked ones (Clicked). */
  trackLinks?: boolean;
  /** An approved WhatsApp template (Content SID) and its {{1}}… values. */
  contentSid?: string;
  contentVariables?: Record<string, string>;
}

/** What Twilio answered. */
type SentOutcome = { ok: true; messageId: string; sid: string; status: string } | { ok: false; messageId: string; code: number | null; message: string };

export type TextOutcome =
  | SentOutcome
  /** The practice's call policy does not allow texts to the number's country (the policy's words): nothing was recorded or sent. */
  | { ok: false; notAllowed: string };

/** Twilio's "the recipient replied STOP" refusal. */
export const OPTED_OUT = 21610;

/** The number to send from: the step's choice, else the contact's assigned user's number, else the account's first. */
export async function senderNumber(ctx: ActionContext, fromNumberId: string | null): Promise<{ id: string; number: string } | null> {
  const rows = await ctx.db.query<{ id: string; number: string }>(
    `SELECT id, number FROM phone_numbers
      WHERE account_id = $1 AND deleted_at IS NULL
        AND ($2::text IS NULL OR id = $2)
      ORDER BY (assigned_user_id IS NOT NULL AND assigned_user_id = $3) DESC, created_at, id LIMIT 1`,
    [ctx.account.id, fromNumberId, ctx.contact?.assignedUserId ?? null],
  );
  return rows[0] ?? null;
}

/**
 * The text a step sends: its own, as the version the run is on holds it. With "Sync Edits to
 * Template" on, saving the draft and editing the template keep the two the same
 * (templates/sync.ts), and a template edit goes live when the workflow is published again, like any
 * draft edit. A synced step whose template was deleted says so.
 */
export async function templateText(ctx: ActionContext, templateId: string | null, sync: boolean, own: { body: string; subject?: string }): Promise<{ body: string; subject: string; note?: string }> {
  const text = { body: own.body, subject: own.subject ?? '' };
  if (!templateId || !sync) return text;
  return (await findTemplate(ctx.db, ctx.account.id, templateId)) ? text : { ...text, note: 'Its template was deleted: sent the step’s own copy' };
}


/**
 * Sends one text through the ledger under `key` (stable per step and recipient) — only to a
 * country the practice's call policy allows: SMS pumping is the texting form of toll fraud, and
 * anyone who may add a contact may enrol it. Every text a workflow sends is checked, to a staff
 * member's own phone too (a number that user typed). The answer is kept with the record effect, so
 * a repeat of the step reports what was decided the first time.
 */
export async function sendTextMessage(ctx: ActionContext, key: string, m: TextMessage): Promise<TextOutcome> {
  const base = ctx.ports.publicUrl().replace(/\/$/, '');
  const record = await ctx.dbEffect(`${key}:record`, async (uow) => {
    const destination = await decideTextDestination(uow.q, ctx.account.id, m.to);
    if (!destination.ok) return { notAllowed: destination.message };
    return recordOutbound(uow.q, {
      accountId: ctx.account.id, channel: m.channel, purpose: m.purpose, step: { runId: ctx.run.id, stepId: ctx.step.id, workflowId: ctx.run.workflowId },
      contactId: m.contactId ?? null, userId: m.userId ?? null, senderUserId: m.senderUserId ?? null,
      to: m.to, from: m.from, body: m.body, trackLinks: m.trackLinks ? 'text' : false,
    }, base);
  });
  if ('notAllowed' in record) return { ok: false, notAllowed: record.notAllowed };
  const address = (n: string): string => (m.channel === 'whatsapp' ? `whatsapp:${n}` : n);
  const client = ctx.ports.twilio();
  const statusCallback = `${base}${messageStatusPath}?m=${encodeURIComponent(record.id)}`;
  const sent = await ctx.effect<SentOutcome>(
    key,
    async () => {
      try {
        const message = await client.messages.create({
          to: address(m.to), from: address(m.from), statusCallback,
          ...(m.contentSid ? { contentSid: m.contentSid, contentVariables: JSON.stringify(m.contentVariables ?? {}) } : { body: record.body }),
        });
        return { ok: true, messageId: record.id, sid: message.sid, status: message.status };
      } catch (error) {
        if (isTwilioClientError(error)) {
          // Too many requests: Twilio did nothing; try again later (pg-boss backs off).
          if (error.status === 429) throw new EffectRefused(`Twilio is rate limiting: ${error.message}`);
          return { ok: false, messageId: record.id, code: error.code ?? null, message: error.message };
        }
        throw error; // network or 5xx: Twilio may have acted — in doubt, reconciled below
      }
    },
    {
      // A template message cannot be recognised in Twilio's list by its text: it stays in doubt.
      reconcile: m.contentSid ? undefined : async () => {
        const known = await providerIdOf(ctx.db, record.id);
        if (known?.providerId) return { ok: true, messageId: record.id, sid: known.providerId, status: known.status };
        const since = Date.parse(record.createdAt) - 60_000;
        const recent = await client.messages.list({ to: address(m.to), from: address(m.from), limit: 50 });
        const found = recent.find((x) => x.body === record.body && (!x.dateCreated || x.dateCreated.getTime() >= since));
        return found ? { ok: true, messageId: record.id, sid: found.sid, status: found.status } : undefined;
      },
    },
  );
  await ctx.dbEffect(`${key}:result`, async (uow) => {
    const status: OutboundStatus = sent.ok ? 'queued' : 'failed';
    await uow.q.query(
      `UPDATE outbound_messages SET provider_id = coalesce(provider_id, $2),
              status = CASE WHEN status = 'queued' THEN $3 ELSE status END,
              error_code = coalesce(error_code, $4), error_message = coalesce(error_message, $5), updated_at = now()
        WHERE id = $1`,
      [record.id, sent.ok ? sent.sid : null, status, sent.ok ? null : String(sent.code ?? ''), sent.ok ? null : sent.message],
    );
    return null;
  });
  return sent;
}
