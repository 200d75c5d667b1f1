import type { WhatsAppSettings, WhatsAppTemplateView } from '../../shared/cloud/whatsapp';
import { whatsAppTemplateStatusSchema } from '../../shared/cloud/whatsapp';
import type { CloudContext, Principal } from '../context';
import type { Queryable } from '../db';
import type { UnitOfWork } from '../db/unit-of-work';
import { ApiError } from '../errors';
import { createTwilioClient } from '../telephony/rest';

type TemplateRow = {
  content_sid: string; name: string; language: string; body: string; variables: Record<string, string> | null; category: string | null;
  status: WhatsAppTemplateView['status']; rejection_reason: string | null; synced_at: Date | string;
};
const iso = (v: Date | string): string => new Date(v).toISOString();

export async function whatsAppSettings(db: Queryable, accountId: string): Promise<WhatsAppSettings> {
  const senders = await db.query<{ phone_number_id: string; number: string; updated_at: Date | string }>(
    `SELECT ws.phone_number_id, pn.number, ws.updated_at FROM whatsapp_senders ws
       JOIN phone_numbers pn ON pn.id = ws.phone_number_id AND pn.deleted_at IS NULL WHERE ws.account_id = $1`,
    [accountId],
  );
  const rows = await db.query<TemplateRow>(
    `SELECT content_sid, name, language, body, variables, category, status, rejection_reason, synced_at FROM whatsapp_templates
      WHERE account_id = $1 AND removed_at IS NULL ORDER BY (status = 'approved') DESC, name, content_sid`,
    [accountId],
  );
  const templates = rows.map((r) => ({
    contentSid: r.content_sid, name: r.name, language: r.language, body: r.body, variables: r.variables ?? {}, category: r.category,
    status: r.status, rejectionReason: r.rejection_reason, syncedAt: iso(r.synced_at),
  }));
  const synced = await db.query<{ at: Date | string | null }>(`SELECT max(synced_at) AS at FROM whatsapp_templates WHERE account_id = $1`, [accountId]);
  const s = senders[0];
  return {
    sender: s ? { phoneNumberId: s.phone_number_id, number: s.number, updatedAt: iso(s.updated_at) } : null,
    templates,
    templatesSyncedAt: synced[0]?.at ? iso(synced[0].at) : null,
  };
}

/** Chooses (or clears) the WhatsApp sender: one of the practice's live numbers. */
export async function setWhatsAppSender(uow: UnitOfWork, principal: Principal, phoneNumberId: string | null): Promise<WhatsAppSettings> {
  if (phoneNumberId === null) {
    await uow.q.query(`DELETE FROM whatsapp_senders WHERE account_id = $1`, [uow.accountId]);
  } else {
    const own = await uow.q.query(`SELECT 1 FROM phone_numbers WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [phoneNumberId, uow.accountId]);
    if (own.length === 0) throw new ApiError('NOT_FOUND', 'Phone number not found');
    await uow.q.query(
      `INSERT INTO whatsapp_senders (account_id, phone_number_id, updated_by, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (account_id) DO UPDATE SET phone_number_id = $2, updated_by = $3, updated_at = now()`,
      [uow.accountId, phoneNumberId, principal.userId],
    );
  }
  await uow.audit(principal.userId, 'whatsapp.sender', 'account', uow.accountId, { phoneNumberId });
  return whatsAppSettings(uow.q, uow.accountId);
}

export interface ContentWithApproval {
  sid: string;
  friendlyName: string;
  language: string;
  variables: Record<string, string> | null;
  types: Record<string, { body?: string } | undefined>;
  approvalRequests: { name?: string; category?: string; status?: string; rejection_reason?: string } | null;
}

/** Reads the practice's templates from Twilio's Content API (ContentAndApprovals, every page). */
export async function fetchWhatsAppTemplates(ctx: CloudContext): Promise<ContentWithApproval[]> {
  try {
    return (await createTwilioClient(ctx.config).content.v1.contentAndApprovals.list({ pageSize: 100 })) as unknown as ContentWithApproval[];
  } catch (error) {
    throw new ApiError('TWILIO_REQUEST_FAILED', `Twilio could not list the WhatsApp templates: ${(error as Error).message}`);
  }
}

/**
 * Stores what Twilio reported (outside the network call's time): new and changed templates
 * upserted, ones Twilio no longer has marked removed (a step naming one then says so instead of
 * sending). A Twilio failure before this changes nothing.
 */
export async function storeWhatsAppTemplates(uow: UnitOfWork, principal: Principal, contents: ContentWithApproval[]): Promise<WhatsAppSettings> {
  const seen: string[] = [];
  for (const c of contents) {
    const body = c.types['twilio/text']?.body;
    if (!body) continue; // only text templates can be filled from a step's message
    const approval = c.approvalRequests ?? {};
    const status = whatsAppTemplateStatusSchema.safeParse(approval.status ?? 'unsubmitted');
    seen.push(c.sid);
    await uow.q.query(
      `INSERT INTO whatsapp_templates (account_id, content_sid, name, language, body, variables, category, status, rejection_reason, synced_at, removed_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, now(), NULL)
       ON CONFLICT (account_id, content_sid) DO UPDATE SET name = $3, language = $4, body = $5, variables = $6::jsonb, category = $7, status = $8,
         rejection_reason = $9, synced_at = now(), removed_at = NULL`,
      [
        uow.accountId, c.sid, approval.name || c.friendlyName, c.language || 'en', body, JSON.stringify(c.variables ?? {}), approval.category ?? null,
        status.success ? status.data : 'unsubmitted', approval.rejection_reason || null,
      ],
    );
  }
  await uow.q.query(
    `UPDATE whatsapp_templates SET removed_at = now(), synced_at = now() WHERE account_id = $1 AND removed_at IS NULL AND NOT (content_sid = ANY($2::text[]))`,
    [uow.accountId, seen],
  );
  await uow.audit(principal.userId, 'whatsapp.templates_refreshed', 'account', uow.accountId, { templates: seen.length });
  return whatsAppSettings(uow.q, uow.accountId);
}
