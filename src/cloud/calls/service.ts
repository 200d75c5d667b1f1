import type { z } from 'zod';
import type { listCallsQuerySchema } from '../../shared/cloud/api';
import type { Call } from '../../shared/cloud/entities';
import type { CloudContext, Principal } from '../context';
import { ApiError, notFound } from '../errors';
import { decodeCursor } from '../http/cursor';
import { CALL_COLUMNS, toCall } from './rows';
import type { UnitOfWork } from '../db/unit-of-work';
import { recordDomainEvent } from '../events/domain-events';

export async function getCall(ctx: CloudContext, principal: Principal, id: string): Promise<Call> {
  const rows = await ctx.db.query(`SELECT ${CALL_COLUMNS} FROM calls k WHERE k.id = $1 AND k.account_id = $2`, [id, principal.accountId]);
  if (rows.length === 0) throw notFound('Call');
  return toCall(rows[0]!);
}

/** Newest first; `before` is the opaque cursor of the previous page (`X-Next-Cursor`), scoped to the caller's practice. */
export async function listCalls(ctx: CloudContext, principal: Principal, query: z.infer<typeof listCallsQuerySchema>): Promise<Call[]> {
  const params: unknown[] = [principal.accountId, query.limit];
  const where: string[] = ['k.account_id = $1'];
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (query.dispositionId) add('k.disposition_id = ?', query.dispositionId);
  if (query.direction) add('k.direction = ?', query.direction);
  if (query.userId) add('k.user_id = ?', query.userId);
  if (query.before) {
    const lastId = String(decodeCursor(ctx.keys, principal.accountId, 'calls', query.before));
    add('(k.started_at, k.id) < (SELECT started_at, id FROM calls WHERE id = ? AND account_id = $1)', lastId);
  }
  const rows = await ctx.db.query(
    `SELECT ${CALL_COLUMNS} FROM calls k WHERE ${where.join(' AND ')} ORDER BY k.started_at DESC, k.id DESC LIMIT $2`,
    params,
  );
  return rows.map(toCall);
}

async function lockCall(uow: UnitOfWork, callId: string): Promise<Call> {
  const rows = await uow.q.query(`SELECT ${CALL_COLUMNS} FROM calls k WHERE k.id = $1 AND k.account_id = $2 FOR NO KEY UPDATE`, [callId, uow.accountId]);
  if (rows.length === 0) throw notFound('Call');
  return toCall(rows[0]!);
}

/**
 * One disposition per call (a new choice replaces the old one). Only live dispositions can be
 * chosen, and only on calls answered in the app; a call keeps its disposition when that
 * disposition is later deleted.
 */
export async function setCallDisposition(
  uow: UnitOfWork,
  principal: Principal,
  callId: string,
  dispositionId: string | null,
  note: string | null | undefined,
): Promise<Call> {
  const call = await lockCall(uow, callId);
  // The article: dispositions are not for calls answered on a personal number or a desk phone (a
  // call forwarded out, or one logged from an outside dialer); clearing one stays possible.
  if (dispositionId && call.source === 'external') {
    throw new ApiError('CONFLICT', 'Dispositions are only for calls answered in the app; this call was answered on an outside phone.');
  }
  if (dispositionId) {
    const found = await uow.q.query(`SELECT 1 FROM dispositions WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [dispositionId, uow.accountId]);
    if (found.length === 0) throw new ApiError('NOT_FOUND', 'That disposition does not exist or was deleted');
  }
  await uow.q.query(
    `UPDATE calls SET disposition_id = $2, note = CASE WHEN $3::boolean THEN $4 ELSE note END, updated_at = now() WHERE id = $1`,
    [callId, dispositionId, note !== undefined, note ?? null],
  );
  uow.touch('calls', callId);
  await uow.audit(principal.userId, 'call.set_disposition', 'call', callId, { from: call.dispositionId, to: dispositionId, ...(note !== undefined ? { noteChanged: true } : {}) });
  if (call.dispositionId !== dispositionId) {
    // Set, changed or cleared: workflows react (Call Details trigger); the same choice again is no event.
    recordDomainEvent(uow, {
      accountId: uow.accountId, type: 'call.disposition_set', callId, contactId: call.contactId, actorUserId: principal.userId,
      payload: { dispositionId, previousDispositionId: call.dispositionId },
    });
  }
  const rows = await uow.q.query(`SELECT ${CALL_COLUMNS} FROM calls k WHERE k.id = $1`, [callId]);
  return toCall(rows[0]!);
}

export async function setCallNote(uow: UnitOfWork, principal: Principal, callId: string, note: string | null): Promise<Call> {
  await lockCall(uow, callId);
  await uow.q.query(`UPDATE calls SET note = $2, updated_at = now() WHERE id = $1`, [callId, note]);
  uow.touch('calls', callId);
  await uow.audit(principal.userId, 'call.set_note', 'call', callId, {});
  const rows = await uow.q.query(`SELECT ${CALL_COLUMNS} FROM calls k WHERE k.id = $1`, [callId]);
  return toCall(rows[0]!);
}
