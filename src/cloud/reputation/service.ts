import {
  DEFAULT_REPUTATION_WORDING, type ReputationSettings, type ReviewRequest, type UpdateReputationSettings,
} from '../../shared/cloud/reputation';
import type { CloudContext, Principal } from '../context';
import type { Queryable } from '../db';
import type { UnitOfWork } from '../db/unit-of-work';
import { ApiError } from '../errors';
import { assertTemplatesParse } from '../templates/merge-check';

type Row = { review_link: string | null; requests_enabled: boolean; email_subject: string; email_body: string; sms_body: string; updated_at: string | null };

const toSettings = (r: Row | undefined): ReputationSettings =>
  r
    ? { reviewLink: r.review_link, requestsEnabled: r.requests_enabled, emailSubject: r.email_subject, emailBody: r.email_body, smsBody: r.sms_body, updatedAt: r.updated_at ? new Date(r.updated_at).toISOString() : null }
    : { reviewLink: null, requestsEnabled: false, ...DEFAULT_REPUTATION_WORDING, updatedAt: null };

/** The account's Reputation settings (the default wording until an admin saves them). */
export async function reputationSettings(q: Queryable, accountId: string): Promise<ReputationSettings> {
  const rows = await q.query<Row>(
    `SELECT review_link, requests_enabled, email_subject, email_body, sms_body, updated_at FROM reputation_settings WHERE account_id = $1`,
    [accountId],
  );
  return toSettings(rows[0]);
}

export async function updateReputationSettings(uow: UnitOfWork, principal: Principal, input: UpdateReputationSettings): Promise<ReputationSettings> {
  const current = await reputationSettings(uow.q, uow.accountId);
  const next = { ...current, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as ReputationSettings;
  assertTemplatesParse({ emailSubject: next.emailSubject, emailBody: next.emailBody, smsBody: next.smsBody });
  if (next.requestsEnabled && !next.reviewLink) throw new ApiError('VALIDATION_FAILED', 'reviewLink: review requests need a review link (your Google Business Profile or another review page)');
  await uow.q.query(
    `INSERT INTO reputation_settings (account_id, review_link, requests_enabled, email_subject, email_body, sms_body, updated_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())
     ON CONFLICT (account_id) DO UPDATE SET review_link = $2, requests_enabled = $3, email_subject = $4, email_body = $5, sms_body = $6, updated_by = $7, updated_at = now()`,
    [uow.accountId, next.reviewLink, next.requestsEnabled, next.emailSubject, next.emailBody, next.smsBody, principal.userId],
  );
  await uow.audit(principal.userId, 'reputation.update', 'reputation_settings', uow.accountId, { requestsEnabled: next.requestsEnabled });
  return reputationSettings(uow.q, uow.accountId);
}

/** Review requests sent (newest first), optionally for one contact, with Queued/Sent/Delivered (SMS only)/Failed. */
export async function listReviewRequests(ctx: CloudContext, principal: Principal, contactId: string | undefined, limit: number): Promise<ReviewRequest[]> {
  const rows = await ctx.db.query<{ id: string; contact_id: string | null; channel: 'email' | 'sms'; to_address: string; sender_user_id: string | null; status: string; error_message: string | null; created_at: string }>(
    `SELECT id, contact_id, channel, to_address, sender_user_id, status, error_message, created_at FROM outbound_messages
      WHERE account_id = $1 AND purpose = 'review' AND ($2::text IS NULL OR contact_id = $2) ORDER BY created_at DESC, id DESC LIMIT $3`,
    [principal.accountId, contactId ?? null, limit],
  );
  return rows.map((r) => ({
    id: r.id, contactId: r.contact_id, channel: r.channel, to: r.to_address, senderUserId: r.sender_user_id,
    status: reviewStatus(r.channel, r.status), error: r.error_message, createdAt: new Date(r.created_at).toISOString(),
  }));
}

/** Our message status as the seed's review-request status: email never reports Delivered (accepted = Sent). */
export function reviewStatus(channel: 'email' | 'sms', status: string): ReviewRequest['status'] {
  if (status === 'queued') return 'queued';
  if (status === 'sent') return 'sent';
  if (status === 'delivered' || status === 'read') return channel === 'sms' ? 'delivered' : 'sent';
  return 'failed';
}
