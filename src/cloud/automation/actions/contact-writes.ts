import type { Contact } from '../../../shared/cloud/entities';
import { CONTACT_COLUMNS, toContact } from '../../contacts/rows';
import { recordDomainEvent } from '../../events/domain-events';
import type { UnitOfWork } from '../../db/unit-of-work';
import type { ActionContext } from './types';

export type ContactPatch = Partial<Pick<Contact, 'tags' | 'dnd' | 'assignedUserId' | 'name' | 'email' | 'phone'>> & {
  /** Keys to set; a null value removes the key. */
  customFields?: Record<string, string | null>;
};

/**
 * A contact change made by a workflow step, inside the step's dbEffect transaction: the row is
 * locked and re-read (another change may have landed since the step read it), changed, touched for
 * sync (the desktop and the routing cache hear of it), audited as the workflow's doing, and its tag
 * changes become domain events like anyone else's. Returns null for a deleted contact.
 */
export async function updateContactBy(
  uow: UnitOfWork,
  ctx: Pick<ActionContext, 'run' | 'step'>,
  contactId: string,
  change: (current: Contact) => ContactPatch,
): Promise<Contact | null> {
  const rows = await uow.q.query(`SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.id = $1 AND c.account_id = $2 AND c.deleted_at IS NULL FOR NO KEY UPDATE`, [contactId, uow.accountId]);
  if (!rows[0]) return null;
  const before = toContact(rows[0]);
  const patch = change(before);
  const customFields: Record<string, string> = { ...(before.customFields ?? {}) };
  for (const [key, value] of Object.entries(patch.customFields ?? {})) {
    if (value === null) delete customFields[key];
    else customFields[key] = value;
  }
  const next = { ...before, ...patch, customFields, tags: patch.tags ? [...new Set(patch.tags)] : before.tags };
  const saved = await uow.q.query(
    `UPDATE contacts c SET name = $2, phone = $3, email = $4, tags = $5::jsonb, assigned_user_id = $6, dnd = $7::jsonb, custom_fields = $8::jsonb, updated_at = now()
      WHERE c.id = $1 RETURNING ${CONTACT_COLUMNS}`,
    [contactId, next.name, next.phone, next.email, JSON.stringify(next.tags), next.assignedUserId, JSON.stringify(next.dnd), JSON.stringify(customFields)],
  );
  uow.touch('contacts', contactId);
  await uow.audit(null, 'contact.update', 'contact', contactId, {
    fields: Object.keys(patch),
    by: { workflowId: ctx.run.workflowId, runId: ctx.run.id, step: ctx.step.name },
    ...(patch.dnd ? { dnd: next.dnd } : {}),
  });
  for (const tag of next.tags.filter((t) => !before.tags.includes(t))) {
    recordDomainEvent(uow, { accountId: uow.accountId, type: 'contact.tag_added', contactId, runId: ctx.run.id, payload: { tag } });
  }
  for (const tag of before.tags.filter((t) => !next.tags.includes(t))) {
    recordDomainEvent(uow, { accountId: uow.accountId, type: 'contact.tag_removed', contactId, runId: ctx.run.id, payload: { tag } });
  }
  return toContact(saved[0]!);
}
