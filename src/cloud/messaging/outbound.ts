import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db';
import { newId } from '../ids';

/**
 * The record of what the communication actions send (table `outbound_messages`). A message is
 * recorded BEFORE it goes to the provider: its id is in the status callback URL, its links point
 * at /l/<token>, its open pixel at /o/<token>.gif — so receipts, clicks and opens find the step
 * (statistics) and the contact (history) it belongs to, even when they arrive before the send
 * call has returned.
 *
 * An email is recorded with the Message-ID header it is sent with (`emailMessageId`), so a reply
 * posted to the inbound email webhook finds it through In-Reply-To / References (inbound-email.ts)
 * and counts Replied. What is NOT recorded, because nothing here reports it: Stored and Complained
 * (plain SMTP has no provider event feed). The desktop's statistics say "not tracked by this mail
 * setup" for them rather than show counts that never move.
 */
export type OutboundChannel = 'sms' | 'whatsapp' | 'email' | 'voicemail';
export type OutboundPurpose = 'contact' | 'internal' | 'review' | 'test';
export type OutboundStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed' | 'bounced' | 'rejected';

export interface NewOutbound {
  accountId: string;
  channel: OutboundChannel;
  purpose: OutboundPurpose;
  step?: { runId: string; stepId: string; workflowId: string } | null;
  contactId?: string | null;
  userId?: string | null;
  senderUserId?: string | null;
  to: string;
  from: string | null;
  subject?: string | null;
  body: string;
  /** Replace http(s) links with tracked ones: every link of a text, or the href values of HTML. */
  trackLinks?: 'text' | 'html' | false;
  /** Email: add an open pixel. */
  trackOpens?: boolean;
  /** Email: the domain of its Message-ID (`<message id@domain>`, the From address's); recorded with it. */
  messageIdDomain?: string;
}

export interface RecordedOutbound {
  id: string;
  /** The body as it is sent: tracked links, the open pixel. */
  body: string;
  createdAt: string;
  /** Email: the Message-ID header to send it with (`<…>`), as recorded. */
  emailMessageId?: string;
}

/** An email's Message-ID: unique because the message id is. */
export const emailMessageIdOf = (messageId: string, domain: string): string => `<${messageId}@${domain}>`;

export const trackedLinkPath = (token: string): string => `/l/${token}`;
export const openPixelPath = (token: string): string => `/o/${token}.gif`;
export const messageStatusPath = '/hooks/messaging/status';

/** The unguessable segment of /l/<token> and /o/<token>.gif: 96 random bits. */
export const newLinkToken = (): string => randomBytes(12).toString('base64url');
const token = newLinkToken;
const TEXT_URL = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;
const HREF_URL = /(href\s*=\s*")(https?:\/\/[^"]+)(")/gi;

/** Records a message about to be sent and returns the body to send. */
export async function recordOutbound(q: Queryable, input: NewOutbound, publicUrl: string): Promise<RecordedOutbound> {
  const id = newId('msg');
  const base = publicUrl.replace(/\/$/, '');
  const links: { token: string; url: string }[] = [];
  const ownLink = base + trackedLinkPath('');
  const track = (url: string): string => {
    // Already one of ours (a trigger link made for this contact): tracked once, not wrapped again.
    if (url.startsWith(ownLink)) return url;
    const t = token();
    links.push({ token: t, url });
    return base + trackedLinkPath(t);
  };
  let body = input.body;
  if (input.trackLinks === 'text') body = body.replace(TEXT_URL, (url) => track(url));
  if (input.trackLinks === 'html') body = body.replace(HREF_URL, (_m, pre: string, url: string, post: string) => pre + track(unescapeAttr(url)) + post);
  const openToken = input.trackOpens ? token() : null;
  if (openToken) {
    const pixel = `<img src="${base + openPixelPath(openToken)}" width="1" height="1" alt="" style="display:block;border:0">`;
    body = /<\/body>/i.test(body) ? body.replace(/<\/body>/i, `${pixel}</body>`) : body + pixel;
  }
  const emailMessageId = input.channel === 'email' && input.messageIdDomain ? emailMessageIdOf(id, input.messageIdDomain) : null;
  const rows = await q.query<{ created_at: string }>(
    `INSERT INTO outbound_messages (id, account_id, channel, purpose, run_id, step_id, workflow_id, contact_id, user_id, sender_user_id,
       to_address, from_address, subject, body, open_token, email_message_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING created_at`,
    [
      id, input.accountId, input.channel, input.purpose, input.step?.runId ?? null, input.step?.stepId ?? null, input.step?.workflowId ?? null,
      input.contactId ?? null, input.userId ?? null, input.senderUserId ?? null, input.to, input.from, input.subject ?? null, body, openToken, emailMessageId,
    ],
  );
  for (const link of links) await q.query(`INSERT INTO tracked_links (token, message_id, url) VALUES ($1, $2, $3)`, [link.token, id, link.url]);
  await attachTriggerLinks(q, input.accountId, id, body, ownLink);
  return { id, body, createdAt: new Date(rows[0]!.created_at).toISOString(), ...(emailMessageId ? { emailMessageId } : {}) };
}

/**
 * The trigger links a message carries (made for its contact when the step rendered it; see
 * trigger-links/tokens.ts) now belong to this message: a click also counts as the message's. The
 * latest message wins (a Manual SMS sent again after Twilio refused it). Only the practice's own
 * tokens: a link of another practice's pasted into a text stays just a link.
 */
async function attachTriggerLinks(q: Queryable, accountId: string, messageId: string, body: string, ownLink: string): Promise<void> {
  if (!body.includes(ownLink)) return;
  const tokens = [...body.matchAll(new RegExp(`${escapeRegExp(ownLink)}([A-Za-z0-9_-]{8,64})`, 'g'))].map((m) => m[1]!);
  if (tokens.length === 0) return;
  await q.query(`UPDATE trigger_link_tokens SET message_id = $1 WHERE account_id = $2 AND token = ANY($3::text[]) AND NOT test`, [messageId, accountId, tokens]);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const unescapeAttr = (s: string): string => s.replace(/&amp;/g, '&');

/** How far a status has come: a late `sent` never overwrites `delivered`; failures are final. */
const RANK: Record<OutboundStatus, number> = { queued: 0, sent: 1, delivered: 2, read: 3, undelivered: 4, failed: 4, bounced: 4, rejected: 4 };

/** Maps Twilio's message statuses onto ours (`accepted`/`scheduled`/`sending` are still queued). */
export function fromTwilioStatus(status: string): OutboundStatus | null {
  switch (status) {
    case 'accepted': case 'scheduled': case 'queued': case 'sending': return 'queued';
    case 'sent': return 'sent';
    case 'delivered': return 'delivered';
    case 'read': return 'read';
    case 'undelivered': return 'undelivered';
    case 'failed': return 'failed';
    case 'canceled': return 'failed';
    default: return null;
  }
}

export interface StatusUpdate {
  messageId: string;
  providerId?: string | null;
  status: OutboundStatus;
  errorCode?: string | null;
  errorMessage?: string | null;
}

type MessageRow = {
  id: string;
  account_id: string;
  run_id: string | null;
  step_id: string | null;
  workflow_id: string | null;
  to_address: string;
  status: OutboundStatus;
  purpose: OutboundPurpose;
};

/**
 * Moves a message's status forward (never back) and counts the step's statistics on the first
 * arrival of each outcome: `delivered` / `failed`. Returns the message, or null if unknown.
 */
export async function applyStatus(q: Queryable, update: StatusUpdate): Promise<MessageRow | null> {
  const rows = await q.query<MessageRow>(
    `SELECT id, account_id, run_id, step_id, workflow_id, to_address, status, purpose FROM outbound_messages WHERE id = $1 FOR NO KEY UPDATE`,
    [update.messageId],
  );
  const row = rows[0];
  if (!row) return null;
  if (update.providerId) {
    await q.query(`UPDATE outbound_messages SET provider_id = $2 WHERE id = $1 AND provider_id IS NULL`, [row.id, update.providerId]);
  }
  if (RANK[update.status] <= RANK[row.status]) return row;
  await q.query(
    `UPDATE outbound_messages SET status = $2, error_code = coalesce($3, error_code), error_message = coalesce($4, error_message), updated_at = now() WHERE id = $1`,
    [row.id, update.status, update.errorCode ?? null, update.errorMessage ?? null],
  );
  const metric = update.status === 'delivered' || update.status === 'read' ? 'delivered' : RANK[update.status] === 4 ? 'failed' : null;
  if (metric) await countMetric(q, row, metric);
  if (update.status === 'bounced') await countMetric(q, row, 'bounced');
  if (update.status === 'rejected') await countMetric(q, row, 'rejected');
  return { ...row, status: update.status };
}

/** A step statistic, once per run and recipient (the engine's `step_metrics`); nothing for test sends. */
export async function countMetric(q: Queryable, row: Pick<MessageRow, 'run_id' | 'step_id' | 'workflow_id' | 'to_address'>, metric: string): Promise<void> {
  if (!row.run_id || !row.step_id || !row.workflow_id) return;
  await q.query(
    `INSERT INTO step_metrics (run_id, step_id, workflow_id, metric, subject) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [row.run_id, row.step_id, row.workflow_id, metric, row.to_address],
  );
}

/** A click on a tracked link: counted, and the URL to send the browser to. */
export async function recordClick(q: Queryable, linkToken: string): Promise<string | null> {
  const links = await q.query<{ url: string; message_id: string }>(
    `UPDATE tracked_links SET clicks = clicks + 1, first_clicked_at = coalesce(first_clicked_at, now()) WHERE token = $1 RETURNING url, message_id`,
    [linkToken],
  );
  const link = links[0];
  if (!link) return null;
  const messages = await q.query<MessageRow>(
    `UPDATE outbound_messages SET clicked_at = coalesce(clicked_at, now()) WHERE id = $1 RETURNING run_id, step_id, workflow_id, to_address`,
    [link.message_id],
  );
  if (messages[0]) await countMetric(q, messages[0], 'clicked');
  return link.url;
}

/**
 * Where a link in a sent message goes, counting nothing (recordClick's read-only twin): for a HEAD,
 * which a mail scanner or an unfurler sends to check a link, and which has no side effects.
 */
export async function trackedLinkTarget(q: Queryable, linkToken: string): Promise<string | null> {
  const links = await q.query<{ url: string }>(`SELECT url FROM tracked_links WHERE token = $1`, [linkToken]);
  return links[0]?.url ?? null;
}

/** The open pixel was fetched: counted once per message. */
export async function recordOpen(q: Queryable, openToken: string): Promise<boolean> {
  const messages = await q.query<MessageRow>(
    `UPDATE outbound_messages SET opened_at = coalesce(opened_at, now()) WHERE open_token = $1 RETURNING run_id, step_id, workflow_id, to_address`,
    [openToken],
  );
  if (!messages[0]) return false;
  await countMetric(q, messages[0], 'opened');
  return true;
}

/** The provider id recorded for a message (a status callback may have brought it before the send returned). */
export async function providerIdOf(q: Queryable, messageId: string): Promise<{ providerId: string | null; status: OutboundStatus } | null> {
  const rows = await q.query<{ provider_id: string | null; status: OutboundStatus }>(`SELECT provider_id, status FROM outbound_messages WHERE id = $1`, [messageId]);
  return rows[0] ? { providerId: rows[0].provider_id, status: rows[0].status } : null;
}
