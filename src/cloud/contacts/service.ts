import { noDnd, type Contact, type Dnd } from '../../shared/cloud/entities';
import type { CloudContext, Principal } from '../context';
import { ApiError, notFound } from '../errors';
import { newId } from '../ids';
import { CONTACT_COLUMNS, toContact } from './rows';
import type { UnitOfWork } from '../db/unit-of-work';
import { recordDomainEvent } from '../events/domain-events';

/** Domain events for tags that appeared or disappeared (Contact Tag Added / Removed triggers). */
async function recordTagChanges(
  uow: UnitOfWork, contactId: string, before: readonly string[], after: readonly string[], actorUserId: string | null, runId: string | null = null,
): Promise<void> {
  for (const tag of after.filter((t) => !before.includes(t))) {
    recordDomainEvent(uow, { accountId: uow.accountId, type: 'contact.tag_added', contactId, actorUserId, runId, payload: { tag } });
  }
  for (const tag of before.filter((t) => !after.includes(t))) {
    recordDomainEvent(uow, { accountId: uow.accountId, type: 'contact.tag_removed', contactId, actorUserId, runId, payload: { tag } });
  }
}

export interface ContactInput {
  name?: string;
  phone?: string | null;
  email?: string | null;
  tags?: string[];
  locationId?: string | null;
  assignedUserId?: string | null;
  dnd?: Dnd;
}

async function assertUserInAccount(uow: UnitOfWork, userId: string | null | undefined): Promise<void> {
  if (!userId) return;
  const rows = await uow.q.query(`SELECT 1 FROM users WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [userId, uow.accountId]);
  if (rows.length === 0) throw new ApiError('VALIDATION_FAILED', 'assignedUserId: no such user in this account', { errors: [{ path: 'assignedUserId', message: 'No such user' }] });
}

/** Another practice's location and one that does not exist get the same answer (nothing tells which ids exist). */
async function assertLocationInAccount(uow: UnitOfWork, locationId: string | null | undefined): Promise<void> {
  if (!locationId) return;
  const rows = await uow.q.query(`SELECT 1 FROM locations WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [locationId, uow.accountId]);
  if (rows.length === 0) throw new ApiError('VALIDATION_FAILED', 'locationId: no such location in this account', { errors: [{ path: 'locationId', message: 'No such location' }] });
}

async function readContact(uow: UnitOfWork, id: string): Promise<Contact> {
  const rows = await uow.q.query(`SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.id = $1`, [id]);
  return toContact(rows[0]!);
}

/** `cause.runId`: the workflow run that creates it (its events then carry the run, so workflow loops are seen). */
export async function createContact(uow: UnitOfWork, principal: Principal | null, input: ContactInput & { name: string }, cause: { runId?: string } = {}): Promise<Contact> {
  await assertUserInAccount(uow, input.assignedUserId);
  await assertLocationInAccount(uow, input.locationId);
  const id = newId('con');
  const inserted = await uow.q.query(
    `INSERT INTO contacts AS c (id, account_id, location_id, name, phone, email, tags, assigned_user_id, dnd)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::jsonb) RETURNING ${CONTACT_COLUMNS}`,
    [id, uow.accountId, input.locationId ?? null, input.name, input.phone ?? null, input.email ?? null, JSON.stringify([...new Set(input.tags ?? [])]), input.assignedUserId ?? null, JSON.stringify(input.dnd ?? noDnd())],
  );
  const created = toContact(inserted[0]!);
  uow.touch('contacts', id);
  if (principal) await uow.audit(principal.userId, 'contact.create', 'contact', id, { name: input.name });
  recordDomainEvent(uow, { accountId: uow.accountId, type: 'contact.created', contactId: id, actorUserId: principal?.userId ?? null, runId: cause.runId ?? null, payload: {} });
  await recordTagChanges(uow, id, [], created.tags, principal?.userId ?? null, cause.runId ?? null);
  return created;
}

export async function updateContact(uow: UnitOfWork, principal: Principal, id: string, input: ContactInput): Promise<Contact> {
  const rows = await uow.q.query(`SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.id = $1 AND c.account_id = $2 AND c.deleted_at IS NULL FOR NO KEY UPDATE`, [id, uow.accountId]);
  if (rows.length === 0) throw notFound('Contact');
  const before = toContact(rows[0]!);
  await assertUserInAccount(uow, input.assignedUserId);
  const next = {
    name: input.name ?? before.name,
    phone: input.phone === undefined ? before.phone : input.phone,
    email: input.email === undefined ? before.email : input.email,
    tags: input.tags ? [...new Set(input.tags)] : before.tags,
    assignedUserId: input.assignedUserId === undefined ? before.assignedUserId : input.assignedUserId,
    dnd: input.dnd ?? before.dnd,
  };
  await uow.q.query(
    `UPDATE contacts SET name = $2, phone = $3, email = $4, tags = $5::jsonb, assigned_user_id = $6, dnd = $7::jsonb, updated_at = now() WHERE id = $1`,
    [id, next.name, next.phone, next.email, JSON.stringify(next.tags), next.assignedUserId, JSON.stringify(next.dnd)],
  );
  uow.touch('contacts', id);
  const changed = Object.keys(input).filter((k) => input[k as keyof ContactInput] !== undefined);
  await uow.audit(principal.userId, 'contact.update', 'contact', id, { fields: changed, ...(input.dnd ? { dnd: input.dnd } : {}) });
  await recordTagChanges(uow, id, before.tags, next.tags, principal.userId);
  return readContact(uow, id);
}

export async function getContact(ctx: CloudContext, principal: Principal, id: string): Promise<Contact> {
  const rows = await ctx.db.query(`SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.id = $1 AND c.account_id = $2`, [id, principal.accountId]);
  if (rows.length === 0) throw notFound('Contact');
  return toContact(rows[0]!);
}

export async function listContacts(ctx: CloudContext, principal: Principal, search: string | undefined, limit: number): Promise<Contact[]> {
  const params: unknown[] = [principal.accountId, limit];
  let filter = '';
  if (search) {
    params.push(`%${search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    filter = `AND (c.name ILIKE $3 OR c.phone LIKE $3 OR c.email ILIKE $3)`;
  }
  const rows = await ctx.db.query(
    `SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.account_id = $1 AND c.deleted_at IS NULL ${filter} ORDER BY c.name, c.id LIMIT $2`,
    params,
  );
  return rows.map(toContact);
}
