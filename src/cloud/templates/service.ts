import type { CreateTemplate, MessageTemplate, TemplateChannel, UpdateTemplate } from '../../shared/cloud/templates';
import { requireAdmin } from '../auth/roles';
import type { CloudContext, Principal } from '../context';
import type { Queryable } from '../db';
import type { UnitOfWork } from '../db/unit-of-work';
import { ApiError, isUniqueViolation, notFound } from '../errors';
import { newId } from '../ids';
import { assertTemplatesParse } from './merge-check';
import { TEMPLATE_COLUMNS, toTemplate } from './rows';

/** Saved email and SMS templates: everyone reads them (actions, manual SMS), admins edit them. */
export async function listTemplates(ctx: CloudContext, principal: Principal, channel?: TemplateChannel): Promise<MessageTemplate[]> {
  const rows = await ctx.db.query(
    `SELECT ${TEMPLATE_COLUMNS} FROM message_templates t WHERE t.account_id = $1 AND t.deleted_at IS NULL AND ($2::text IS NULL OR t.channel = $2)
      ORDER BY lower(t.name), t.id`,
    [principal.accountId, channel ?? null],
  );
  return rows.map(toTemplate);
}

/** One live template of the account, or null; `lock` holds its row until the transaction ends (to compare, then write). */
export async function findTemplate(q: Queryable, accountId: string, id: string, options: { lock?: boolean } = {}): Promise<MessageTemplate | null> {
  const rows = await q.query(
    `SELECT ${TEMPLATE_COLUMNS} FROM message_templates t WHERE t.id = $1 AND t.account_id = $2 AND t.deleted_at IS NULL ${options.lock ? 'FOR NO KEY UPDATE' : ''}`,
    [id, accountId],
  );
  return rows[0] ? toTemplate(rows[0]) : null;
}

export async function getTemplate(ctx: CloudContext, principal: Principal, id: string): Promise<MessageTemplate> {
  const template = await findTemplate(ctx.db, principal.accountId, id);
  if (!template) throw notFound('Template');
  return template;
}

const nameTaken = (channel: string, name: string): ApiError => new ApiError('CONFLICT', `An ${channel === 'sms' ? 'SMS' : 'email'} template named "${name}" already exists`);

export async function createTemplate(uow: UnitOfWork, principal: Principal, input: CreateTemplate): Promise<MessageTemplate> {
  requireAdmin(principal);
  const subject = input.channel === 'email' ? input.subject : '';
  assertTemplatesParse({ 'body.subject': subject, 'body.body': input.body });
  const id = newId('tpl');
  try {
    await uow.q.query(
      `INSERT INTO message_templates (id, account_id, channel, name, subject, body, created_by, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
      [id, uow.accountId, input.channel, input.name, subject, input.body, principal.userId],
    );
  } catch (error) {
    // The transaction is lost either way; a concurrent save of the same name is a plain conflict.
    if (isUniqueViolation(error)) throw nameTaken(input.channel, input.name);
    throw error;
  }
  await uow.audit(principal.userId, 'template.create', 'message_template', id, { channel: input.channel, name: input.name });
  return (await findTemplate(uow.q, uow.accountId, id))!;
}

/**
 * Edits a template. `expectedVersion` refuses to overwrite an edit made meanwhile (CONFLICT);
 * every edit bumps the version. `afterEdit` carries a changed subject or body into the workflow
 * steps that sync with this template, in the same transaction (sync.ts: rewriteSyncedSteps).
 */
export async function updateTemplate(
  uow: UnitOfWork,
  principal: Principal,
  id: string,
  input: UpdateTemplate,
  afterEdit?: (uow: UnitOfWork, template: MessageTemplate) => Promise<void>,
): Promise<MessageTemplate> {
  requireAdmin(principal);
  const rows = await uow.q.query(`SELECT ${TEMPLATE_COLUMNS} FROM message_templates t WHERE t.id = $1 AND t.account_id = $2 AND t.deleted_at IS NULL FOR NO KEY UPDATE`, [id, uow.accountId]);
  if (!rows[0]) throw notFound('Template');
  const before = toTemplate(rows[0]);
  if (input.expectedVersion !== undefined && input.expectedVersion !== before.version) {
    throw new ApiError('CONFLICT', `The template was changed meanwhile (now version ${before.version}); reload it and edit again`);
  }
  if (before.channel === 'sms' && input.subject) throw new ApiError('VALIDATION_FAILED', 'body.subject: SMS templates have no subject', { errors: [{ path: 'body.subject', message: 'SMS templates have no subject' }] });
  if (before.channel === 'sms' && input.body && input.body.length > 1600) {
    throw new ApiError('VALIDATION_FAILED', 'body.body: an SMS template is at most 1600 characters', { errors: [{ path: 'body.body', message: 'At most 1600 characters' }] });
  }
  const next = { name: input.name ?? before.name, subject: input.subject ?? before.subject, body: input.body ?? before.body };
  if (next.name === before.name && next.subject === before.subject && next.body === before.body) return before;
  assertTemplatesParse({ 'body.subject': next.subject, 'body.body': next.body });
  try {
    await uow.q.query(
      `UPDATE message_templates SET name = $2, subject = $3, body = $4, version = version + 1, updated_by = $5, updated_at = now() WHERE id = $1`,
      [id, next.name, next.subject, next.body, principal.userId],
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(before.channel, next.name);
    throw error;
  }
  const changed = (['name', 'subject', 'body'] as const).filter((k) => next[k] !== before[k]);
  await uow.audit(principal.userId, 'template.update', 'message_template', id, { fields: changed });
  const saved = (await findTemplate(uow.q, uow.accountId, id))!;
  if (afterEdit && (changed.includes('subject') || changed.includes('body'))) await afterEdit(uow, saved);
  return saved;
}

/** Soft delete: steps that used it keep their own copy of the text (and say so in the log when synced). */
export async function deleteTemplate(uow: UnitOfWork, principal: Principal, id: string): Promise<void> {
  requireAdmin(principal);
  const rows = await uow.q.query<{ name: string }>(
    `UPDATE message_templates SET deleted_at = now(), updated_by = $3, updated_at = now() WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL RETURNING name`,
    [id, uow.accountId, principal.userId],
  );
  if (!rows[0]) throw notFound('Template');
  await uow.audit(principal.userId, 'template.delete', 'message_template', id, { name: rows[0].name });
}
