import { DEFAULT_DISPOSITION_LABELS, MAX_DISPOSITIONS, type Disposition } from '../../shared/cloud/entities';
import type { CloudContext, Principal } from '../context';
import { ApiError, notFound } from '../errors';
import { newId } from '../ids';
import { requireAdmin } from '../auth/roles';
import { DISPOSITION_COLUMNS, toDisposition } from './rows';
import type { UnitOfWork } from '../db/unit-of-work';

/** Active dispositions in picker order, or all of them (deleted ones too) for labelling history. */
export async function listDispositions(ctx: CloudContext, accountId: string, includeDeleted = false): Promise<Disposition[]> {
  const rows = await ctx.db.query(
    `SELECT ${DISPOSITION_COLUMNS} FROM dispositions d WHERE d.account_id = $1 ${includeDeleted ? '' : 'AND d.deleted_at IS NULL'}
      ORDER BY d.deleted_at IS NOT NULL, d.position, d.created_at`,
    [accountId],
  );
  return rows.map(toDisposition);
}

async function lockActive(uow: UnitOfWork): Promise<{ id: string; label: string; position: number }[]> {
  // The account row lock serialises disposition edits, so the limit of 10 holds under concurrency.
  await uow.q.query(`SELECT id FROM accounts WHERE id = $1 FOR NO KEY UPDATE`, [uow.accountId]);
  return uow.q.query<{ id: string; label: string; position: number }>(
    `SELECT id, label, position FROM dispositions WHERE account_id = $1 AND deleted_at IS NULL ORDER BY position, created_at`,
    [uow.accountId],
  );
}

async function readOne(uow: UnitOfWork, id: string): Promise<Disposition> {
  const rows = await uow.q.query(`SELECT ${DISPOSITION_COLUMNS} FROM dispositions d WHERE d.id = $1`, [id]);
  return toDisposition(rows[0]!);
}

function assertUniqueLabel(active: { id: string; label: string }[], label: string, exceptId?: string): void {
  if (active.some((d) => d.id !== exceptId && d.label.toLowerCase() === label.toLowerCase())) {
    throw new ApiError('CONFLICT', `A disposition named "${label}" already exists`);
  }
}

/** Creates the default set for a new account (no admin needed: part of account creation). */
export async function createDefaultDispositions(uow: UnitOfWork): Promise<void> {
  let position = 0;
  for (const label of DEFAULT_DISPOSITION_LABELS) {
    const id = newId('dsp');
    await uow.q.query(`INSERT INTO dispositions (id, account_id, label, position) VALUES ($1, $2, $3, $4)`, [id, uow.accountId, label, position++]);
    uow.touch('dispositions', id);
  }
}

export async function createDisposition(uow: UnitOfWork, principal: Principal, label: string): Promise<Disposition> {
  requireAdmin(principal);
  const active = await lockActive(uow);
  if (active.length >= MAX_DISPOSITIONS) {
    throw new ApiError('DISPOSITION_LIMIT_REACHED', `An account can have at most ${MAX_DISPOSITIONS} dispositions; delete one first`);
  }
  assertUniqueLabel(active, label);
  const id = newId('dsp');
  const position = active.reduce((max, d) => Math.max(max, d.position), -1) + 1;
  await uow.q.query(`INSERT INTO dispositions (id, account_id, label, position) VALUES ($1, $2, $3, $4)`, [id, uow.accountId, label, position]);
  uow.touch('dispositions', id);
  await uow.audit(principal.userId, 'disposition.create', 'disposition', id, { label });
  return readOne(uow, id);
}

export async function renameDisposition(uow: UnitOfWork, principal: Principal, id: string, label: string): Promise<Disposition> {
  requireAdmin(principal);
  const active = await lockActive(uow);
  const current = active.find((d) => d.id === id);
  if (!current) throw notFound('Disposition');
  assertUniqueLabel(active, label, id);
  await uow.q.query(`UPDATE dispositions SET label = $2, updated_at = now() WHERE id = $1`, [id, label]);
  uow.touch('dispositions', id);
  await uow.audit(principal.userId, 'disposition.rename', 'disposition', id, { from: current.label, to: label });
  return readOne(uow, id);
}

/** Soft delete: calls that used it keep pointing at it and still show its label. */
export async function deleteDisposition(uow: UnitOfWork, principal: Principal, id: string): Promise<Disposition> {
  requireAdmin(principal);
  const active = await lockActive(uow);
  const current = active.find((d) => d.id === id);
  if (!current) throw notFound('Disposition');
  await uow.q.query(`UPDATE dispositions SET deleted_at = now(), updated_at = now() WHERE id = $1`, [id]);
  uow.touch('dispositions', id);
  let position = 0;
  for (const d of active) {
    if (d.id === id) continue;
    if (d.position !== position) {
      await uow.q.query(`UPDATE dispositions SET position = $2 WHERE id = $1`, [d.id, position]);
      uow.touch('dispositions', d.id);
    }
    position += 1;
  }
  await uow.audit(principal.userId, 'disposition.delete', 'disposition', id, { label: current.label });
  return readOne(uow, id);
}

export async function reorderDispositions(uow: UnitOfWork, principal: Principal, orderedIds: string[]): Promise<Disposition[]> {
  requireAdmin(principal);
  const active = await lockActive(uow);
  const same = orderedIds.length === active.length && new Set(orderedIds).size === orderedIds.length && orderedIds.every((id) => active.some((d) => d.id === id));
  if (!same) {
    throw new ApiError('DISPOSITION_ORDER_MISMATCH', 'The new order must list every current disposition exactly once');
  }
  for (const [position, id] of orderedIds.entries()) {
    if (active.find((d) => d.id === id)?.position === position) continue;
    await uow.q.query(`UPDATE dispositions SET position = $2, updated_at = now() WHERE id = $1`, [id, position]);
    uow.touch('dispositions', id);
  }
  await uow.audit(principal.userId, 'disposition.reorder', 'disposition', null, { orderedIds });
  const rows = await uow.q.query(
    `SELECT ${DISPOSITION_COLUMNS} FROM dispositions d WHERE d.account_id = $1 AND d.deleted_at IS NULL ORDER BY d.position`,
    [uow.accountId],
  );
  return rows.map(toDisposition);
}
