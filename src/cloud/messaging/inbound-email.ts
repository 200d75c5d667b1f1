import { createHash } from 'node:crypto';
import type { AddressObject, Headers } from 'mailparser';
import type { UnitOfWork } from '../db/unit-of-work';
import { recordDomainEvent } from '../events/domain-events';
import { countMetric } from './outbound';

/**
 * Inbound email: a reply to an email a workflow sent. The mail provider posts the raw RFC 822
 * message to the practice's webhook (inbound-email-routes.ts); only its headers are read (with
 * mailparser) — the body is never parsed, kept or logged. A reply is matched to the sent email by
 * the Message-IDs it names (In-Reply-To first, then References newest first) among the practice's
 * own sent emails, never by address: mail that names none of them is recorded as unmatched and
 * otherwise ignored. Each inbound message counts once (its own Message-ID), however often it is
 * posted.
 */
export interface InboundHeaders {
  /** The inbound message's Message-ID, or a hash of the message when it has none (still one per message). */
  messageKey: string;
  /** The Message-IDs it answers, most likely first. */
  answers: string[];
  from: string | null;
}

/** The most Message-IDs read from In-Reply-To + References (a long thread names many; the newest are kept). */
const MAX_REFERENCES = 50;
const MESSAGE_ID = /<[^<>\s]{1,250}>/g;

const idsIn = (value: unknown): string[] => (Array.isArray(value) ? value : typeof value === 'string' ? [value] : []).flatMap((v) => String(v).match(MESSAGE_ID) ?? []);

function toInboundHeaders(headers: Headers, raw: Buffer): InboundHeaders {
  const messageId = idsIn(headers.get('message-id'))[0];
  const inReplyTo = idsIn(headers.get('in-reply-to'));
  const references = idsIn(headers.get('references')).reverse();
  const answers = [...new Set([...inReplyTo, ...references])].slice(0, MAX_REFERENCES);
  const from = (headers.get('from') as AddressObject | undefined)?.value[0]?.address ?? null;
  return { messageKey: messageId ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`, answers, from: from ? from.slice(0, 254) : null };
}

/** The message is not mail the parser can read (a 400 to the provider, unlike a failure of the cloud's own, which it retries). */
export class UnreadableEmailError extends Error {}

/**
 * Reads the headers of a raw message; the parser is stopped there, so the body is never decoded.
 * mailparser (with its charset tables) is loaded on the first reply, not at start: it took about a
 * sixth of a second of the embedded cloud's start (issue #21), for mail most starts never see.
 */
export async function readInboundHeaders(raw: Buffer): Promise<InboundHeaders> {
  const { MailParser } = await import('mailparser');
  return new Promise((resolve, reject) => {
    const parser = new MailParser({ skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
    let done = false;
    const finish = (headers: Headers): void => {
      if (done) return;
      done = true;
      resolve(toInboundHeaders(headers, raw));
      parser.destroy();
    };
    parser.once('headers', finish);
    parser.once('end', () => finish(new Map()));
    parser.once('error', (error: Error) => (done ? undefined : ((done = true), reject(new UnreadableEmailError(error.message)))));
    // Nothing past the headers is wanted: attachments are let go as they come.
    parser.on('data', (part: { type: string; release?: () => void }) => part.release?.());
    try {
      parser.end(raw);
    } catch (error) {
      if (done) return;
      done = true;
      reject(new UnreadableEmailError(error instanceof Error ? error.message : String(error)));
    }
  });
}

export type InboundOutcome =
  | { matched: false; duplicate: boolean }
  | { matched: true; duplicate: boolean; outboundMessageId: string; contactId: string | null };

type SentEmail = {
  id: string;
  email_message_id: string;
  run_id: string | null;
  step_id: string | null;
  workflow_id: string | null;
  to_address: string;
  contact_id: string | null;
  purpose: string;
};

/**
 * Records one inbound email for the practice (`uow.accountId`). A first arrival that answers one of
 * the practice's sent emails counts Replied on its workflow step (once per run and recipient,
 * with the time), notes the reply on the message, and — for mail sent to a contact — records
 * `message.inbound` (channel email), which ends the contact's runs in workflows with Stop on Response.
 */
export async function recordInboundEmail(uow: UnitOfWork, headers: InboundHeaders): Promise<InboundOutcome> {
  const q = uow.q;
  const sent =
    headers.answers.length === 0
      ? []
      : await q.query<SentEmail>(
          `SELECT id, email_message_id, run_id, step_id, workflow_id, to_address, contact_id, purpose FROM outbound_messages
            WHERE account_id = $1 AND channel = 'email' AND email_message_id = ANY($2::text[]) FOR NO KEY UPDATE`,
          [uow.accountId, headers.answers],
        );
  const match = headers.answers.map((id) => sent.find((s) => s.email_message_id === id)).find((s) => s !== undefined) ?? null;
  const inserted = await q.query(
    `INSERT INTO inbound_emails (account_id, message_key, outbound_message_id, contact_id, from_address) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (account_id, message_key) DO NOTHING RETURNING message_key`,
    [uow.accountId, headers.messageKey, match?.id ?? null, match?.contact_id ?? null, headers.from],
  );
  const duplicate = inserted.length === 0;
  if (!match) return { matched: false, duplicate };
  if (duplicate) return { matched: true, duplicate, outboundMessageId: match.id, contactId: match.contact_id };
  await q.query(`UPDATE outbound_messages SET replied_at = coalesce(replied_at, now()), updated_at = now() WHERE id = $1`, [match.id]);
  await countMetric(q, match, 'replied');
  // A team member answering an internal notification is not the contact responding.
  if (match.contact_id && (match.purpose === 'contact' || match.purpose === 'review')) {
    recordDomainEvent(uow, { accountId: uow.accountId, type: 'message.inbound', contactId: match.contact_id, runId: match.run_id, payload: { channel: 'email', ...(headers.from ? { from: headers.from } : {}) } });
  }
  return { matched: true, duplicate, outboundMessageId: match.id, contactId: match.contact_id };
}
