import { triggerLinkKeyFromName } from '../../shared/cloud/trigger-link-fields';
import type { CreateTriggerLink, TriggerLink, TriggerLinkClicks, UpdateTriggerLink } from '../../shared/cloud/trigger-links';
import { requireAdmin } from '../auth/roles';
import type { CloudContext, Principal } from '../context';
import type { Queryable } from '../db';
import type { UnitOfWork } from '../db/unit-of-work';
import { ApiError, isUniqueViolation, notFound } from '../errors';
import { newId } from '../ids';
import { TRIGGER_LINK_COLUMNS, toTriggerLink } from './rows';

/**
 * Trigger links (Automation → Trigger links): the practice's named https links its texts carry as
 * `{{trigger_link.<key>}}`. Admins only; every id is looked up within the caller's practice, so
 * another practice's link reads as one that does not exist. Deleting is soft: tokens already sent
 * keep redirecting (tokens.ts), but the link is no longer listed or accepted in a message.
 */

export async function listTriggerLinks(ctx: CloudContext, principal: Principal): Promise<TriggerLink[]> {
  requireAdmin(principal);
  const rows = await ctx.db.query(`SELECT ${TRIGGER_LINK_COLUMNS} FROM trigger_links l WHERE l.account_id = $1 AND l.deleted_at IS NULL ORDER BY lower(l.name), l.id`, [principal.accountId]);
  return rows.map(toTriggerLink);
}

async function findLive(q: Queryable, accountId: string, id: string, lock = false): Promise<TriggerLink | null> {
  const rows = await q.query(
    `SELECT ${TRIGGER_LINK_COLUMNS} FROM trigger_links l WHERE l.id = $1 AND l.account_id = $2 AND l.deleted_at IS NULL${lock ? ' FOR NO KEY UPDATE OF l' : ''}`,
    [id, accountId],
  );
  return rows[0] ? toTriggerLink(rows[0]) : null;
}

export async function getTriggerLink(ctx: CloudContext, principal: Principal, id: string): Promise<TriggerLink> {
  requireAdmin(principal);
  const link = await findLive(ctx.db, principal.accountId, id);
  if (!link) throw notFound('Trigger link');
  return link;
}

/** The practice's live links among `keys` (all of them when omitted): key → link id. */
export async function liveTriggerLinks(q: Queryable, accountId: string, keys?: readonly string[]): Promise<Map<string, string>> {
  const rows = await q.query<{ id: string; key: string }>(
    `SELECT id, key FROM trigger_links WHERE account_id = $1 AND deleted_at IS NULL AND ($2::text[] IS NULL OR key = ANY($2::text[]))`,
    [accountId, keys ? [...keys] : null],
  );
  return new Map(rows.map((r) => [r.key, r.id]));
}

const nameTaken = (name: string): ApiError => new ApiError('CONFLICT', `A trigger link named "${name}" already exists`, { errors: [{ path: 'body.name', message: `A trigger link named "${name}" already exists` }] });

async function assertNameFree(q: Queryable, accountId: string, name: string, exceptId: string | null): Promise<void> {
  const rows = await q.query(`SELECT 1 FROM trigger_links WHERE account_id = $1 AND deleted_at IS NULL AND lower(name) = lower($2) AND id <> coalesce($3, '')`, [accountId, name, exceptId]);
  if (rows.length > 0) throw nameTaken(name);
}

/** The name's key, with `_2`, `_3`… when the practice has (or had) it: a key is never handed out twice. */
async function freeKey(q: Queryable, accountId: string, name: string): Promise<string> {
  const base = triggerLinkKeyFromName(name);
  const rows = await q.query<{ key: string }>(`SELECT key FROM trigger_links WHERE account_id = $1 AND (key = $2 OR key LIKE $2 || '\\_%')`, [accountId, base]);
  const taken = new Set(rows.map((r) => r.key));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
}

function refusedWrite(error: unknown, name: string): never {
  if (isUniqueViolation(error, 'trigger_links_live_name')) throw nameTaken(name);
  if (isUniqueViolation(error, 'trigger_links_key')) throw new ApiError('CONFLICT', 'Another trigger link was saved at the same moment; save this one again');
  throw error;
}

export async function createTriggerLink(uow: UnitOfWork, principal: Principal, input: CreateTriggerLink): Promise<TriggerLink> {
  requireAdmin(principal);
  await assertNameFree(uow.q, uow.accountId, input.name, null);
  const id = newId('tl');
  const key = await freeKey(uow.q, uow.accountId, input.name);
  try {
    await uow.q.query(
      `INSERT INTO trigger_links (id, account_id, name, key, url, created_by, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $6)`,
      [id, uow.accountId, input.name, key, input.url, principal.userId],
    );
  } catch (error) {
    refusedWrite(error, input.name);
  }
  await uow.audit(principal.userId, 'trigger_link.create', 'trigger_link', id, { name: input.name, key, url: input.url });
  return (await findLive(uow.q, uow.accountId, id))!;
}

/** Renames it or points it elsewhere; links already sent follow the new destination. The key never changes. */
export async function updateTriggerLink(uow: UnitOfWork, principal: Principal, id: string, input: UpdateTriggerLink): Promise<TriggerLink> {
  requireAdmin(principal);
  const before = await findLive(uow.q, uow.accountId, id, true);
  if (!before) throw notFound('Trigger link');
  const next = { name: input.name ?? before.name, url: input.url ?? before.url };
  if (next.name === before.name && next.url === before.url) return before;
  if (next.name !== before.name) await assertNameFree(uow.q, uow.accountId, next.name, id);
  try {
    await uow.q.query(`UPDATE trigger_links SET name = $2, url = $3, updated_by = $4, updated_at = now() WHERE id = $1`, [id, next.name, next.url, principal.userId]);
  } catch (error) {
    refusedWrite(error, next.name);
  }
  const changed = (['name', 'url'] as const).filter((k) => next[k] !== before[k]);
  await uow.audit(principal.userId, 'trigger_link.update', 'trigger_link', id, { fields: changed, ...(changed.includes('url') ? { from: before.url, to: next.url } : {}) });
  return (await findLive(uow.q, uow.accountId, id))!;
}

/** Soft delete: texts already sent keep leading to its destination; steps that still name it fail with the reason. */
export async function deleteTriggerLink(uow: UnitOfWork, principal: Principal, id: string): Promise<void> {
  requireAdmin(principal);
  const rows = await uow.q.query<{ name: string; key: string }>(
    `UPDATE trigger_links SET deleted_at = now(), updated_by = $3, updated_at = now() WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL RETURNING name, key`,
    [id, uow.accountId, principal.userId],
  );
  if (!rows[0]) throw notFound('Trigger link');
  await uow.audit(principal.userId, 'trigger_link.delete', 'trigger_link', id, { name: rows[0].name, key: rows[0].key });
}

/** Who clicked the link: per contact, newest click first (test sends left out). */
export async function triggerLinkClicks(ctx: CloudContext, principal: Principal, id: string): Promise<TriggerLinkClicks> {
  requireAdmin(principal);
  if (!(await findLive(ctx.db, principal.accountId, id))) throw notFound('Trigger link');
  const rows = await ctx.db.query<{ contact_id: string | null; contact_name: string | null; clicks: number; first_clicked_at: string; last_clicked_at: string }>(
    `SELECT k.contact_id, c.name AS contact_name, sum(k.clicks) AS clicks, min(k.first_clicked_at) AS first_clicked_at, max(k.last_clicked_at) AS last_clicked_at
       FROM trigger_link_tokens k LEFT JOIN contacts c ON c.id = k.contact_id AND c.account_id = k.account_id AND c.deleted_at IS NULL
      WHERE k.link_id = $1 AND k.account_id = $2 AND NOT k.test AND k.clicks > 0
      GROUP BY k.contact_id, c.name
      ORDER BY max(k.last_clicked_at) DESC, k.contact_id
      LIMIT 200`,
    [id, principal.accountId],
  );
  return {
    linkId: id,
    contacts: rows.map((r) => ({ contactId: r.contact_id, contactName: r.contact_name, clicks: Number(r.clicks), firstClickedAt: r.first_clicked_at, lastClickedAt: r.last_clicked_at })),
  };
}
