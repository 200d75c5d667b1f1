import type { z } from 'zod';
import type { NumberRequest, createNumberRequestSchema } from '../../shared/cloud/numbers';
import type { CloudContext, Principal } from '../context';
import type { UnitOfWork } from '../db/unit-of-work';
import { ApiError, notFound } from '../errors';
import { newId } from '../ids';
import { REQUEST_COLUMNS, toNumberRequest } from './rows';

/** Requests to Aesthetix support: an international number, a port-in, a number not listed. The admin sees them and may cancel an open one. */
export async function createNumberRequest(uow: UnitOfWork, principal: Principal, input: z.output<typeof createNumberRequestSchema>): Promise<NumberRequest> {
  const id = newId('nreq');
  await uow.q.query(
    `INSERT INTO number_requests (id, account_id, kind, country, number_type, phone_numbers, note, requested_by) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)`,
    [id, uow.accountId, input.kind, input.country, input.numberType, JSON.stringify(input.phoneNumbers), input.note, principal.userId],
  );
  await uow.audit(principal.userId, 'number_request.create', 'number_request', id, { kind: input.kind, country: input.country, phoneNumbers: input.phoneNumbers });
  return get(uow, id);
}

export async function listNumberRequests(ctx: CloudContext, principal: Principal): Promise<NumberRequest[]> {
  const rows = await ctx.db.query(`SELECT ${REQUEST_COLUMNS} FROM number_requests nr WHERE nr.account_id = $1 ORDER BY nr.created_at DESC, nr.id LIMIT 200`, [principal.accountId]);
  return rows.map(toNumberRequest);
}

export async function cancelNumberRequest(uow: UnitOfWork, principal: Principal, id: string): Promise<NumberRequest> {
  const rows = await uow.q.query<{ status: string }>(`SELECT status FROM number_requests WHERE id = $1 AND account_id = $2 FOR NO KEY UPDATE`, [id, uow.accountId]);
  if (rows.length === 0) throw notFound('Request');
  if (rows[0]!.status !== 'open') throw new ApiError('CONFLICT', 'Support has already picked this request up; contact them to change it.');
  await uow.q.query(`UPDATE number_requests SET status = 'cancelled', updated_at = now() WHERE id = $1`, [id]);
  await uow.audit(principal.userId, 'number_request.cancel', 'number_request', id);
  return get(uow, id);
}

async function get(uow: UnitOfWork, id: string): Promise<NumberRequest> {
  const rows = await uow.q.query(`SELECT ${REQUEST_COLUMNS} FROM number_requests nr WHERE nr.id = $1`, [id]);
  return toNumberRequest(rows[0]!);
}
