import type { AuditEntry, User } from '../../shared/cloud/entities';
import type { CloudContext, Principal } from '../context';
import { notFound } from '../errors';
import { requireAdmin } from '../auth/roles';
import { decodeCursor } from '../http/cursor';
import { USER_COLUMNS, toAuditEntry, toUser } from './rows';

export async function getUser(ctx: CloudContext, principal: Principal, id: string): Promise<User> {
  const rows = await ctx.db.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1 AND u.account_id = $2`, [id, principal.accountId]);
  if (rows.length === 0) throw notFound('User');
  return toUser(rows[0]!);
}

export async function listUsers(ctx: CloudContext, principal: Principal): Promise<User[]> {
  const rows = await ctx.db.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.account_id = $1 AND u.deleted_at IS NULL ORDER BY u.name`, [principal.accountId]);
  return rows.map(toUser);
}

/** Newest first; `before` is the opaque cursor of the previous page (`X-Next-Cursor`). */
export async function listAudit(ctx: CloudContext, principal: Principal, cursor: string | undefined, limit: number): Promise<AuditEntry[]> {
  requireAdmin(principal);
  const before = cursor === undefined ? null : Number(decodeCursor(ctx.keys, principal.accountId, 'audit', cursor));
  const rows = await ctx.db.query(
    `SELECT id, account_id, actor_user_id, action, entity, entity_id, details, at FROM audit_log
      WHERE account_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [principal.accountId, before, limit],
  );
  return rows.map(toAuditEntry);
}
