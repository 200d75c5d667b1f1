import type { PhoneNumber } from '../../shared/cloud/entities';
import type { z } from 'zod';
import type { updatePhoneNumberSchema } from '../../shared/cloud/api';
import type { CloudContext, Principal } from '../context';
import { ApiError, notFound } from '../errors';
import { requireAdmin } from '../auth/roles';
import { NUMBER_COLUMNS, toPhoneNumber } from './rows';
import type { UnitOfWork } from '../db/unit-of-work';

export async function listNumbers(ctx: CloudContext, principal: Principal): Promise<PhoneNumber[]> {
  const rows = await ctx.db.query(`SELECT ${NUMBER_COLUMNS} FROM phone_numbers pn WHERE pn.account_id = $1 AND pn.deleted_at IS NULL ORDER BY pn.name`, [principal.accountId]);
  return rows.map(toPhoneNumber);
}

export type NumberUpdate = z.infer<typeof updatePhoneNumberSchema>;

const columns: Record<Exclude<keyof NumberUpdate, 'ringAllUserIds'>, string> = {
  name: 'name',
  forwardingNumber: 'forwarding_number',
  callerIdMode: 'caller_id_mode',
  callConnect: 'call_connect',
  whisperMessage: 'whisper_message',
  recordCalls: 'record_calls',
  ringTimeoutSeconds: 'ring_timeout_seconds',
  inboundRouting: 'inbound_routing',
  assignedUserId: 'assigned_user_id',
};

/** Admin-only: a number's settings, including which member it is the inbound number of. */
export async function updateNumber(uow: UnitOfWork, principal: Principal, id: string, update: NumberUpdate): Promise<PhoneNumber> {
  requireAdmin(principal);
  const rows = await uow.q.query(`SELECT ${NUMBER_COLUMNS} FROM phone_numbers pn WHERE pn.id = $1 AND pn.account_id = $2 AND pn.deleted_at IS NULL FOR UPDATE`, [id, uow.accountId]);
  if (rows.length === 0) throw notFound('Phone number');
  const before = toPhoneNumber(rows[0]!);
  const userIds = [...(update.assignedUserId ? [update.assignedUserId] : []), ...(update.ringAllUserIds ?? [])];
  if (userIds.length > 0) {
    const found = await uow.q.query<{ id: string }>(`SELECT id FROM users WHERE account_id = $1 AND deleted_at IS NULL AND id = ANY(SELECT jsonb_array_elements_text($2::jsonb))`, [uow.accountId, JSON.stringify(userIds)]);
    const missing = userIds.filter((u) => !found.some((f) => f.id === u));
    if (missing.length > 0) throw new ApiError('VALIDATION_FAILED', `No such user in this account: ${missing.join(', ')}`);
  }
  if (update.assignedUserId && update.assignedUserId !== before.assignedUserId) {
    const taken = await uow.q.query<{ name: string }>(`SELECT name FROM phone_numbers WHERE assigned_user_id = $1 AND id <> $2`, [update.assignedUserId, id]);
    if (taken.length > 0) {
      throw new ApiError('NUMBER_ALREADY_ASSIGNED', `That team member already has an inbound number (${taken[0]!.name}); unassign it first`);
    }
  }
  const sets: string[] = [];
  const params: unknown[] = [id];
  for (const [key, column] of Object.entries(columns) as [keyof typeof columns, string][]) {
    if (update[key] === undefined) continue;
    params.push(update[key]);
    sets.push(`${column} = $${params.length}`);
  }
  if (update.ringAllUserIds) {
    params.push(JSON.stringify([...new Set(update.ringAllUserIds)]));
    sets.push(`ring_all_user_ids = $${params.length}::jsonb`);
  }
  if (sets.length > 0) await uow.q.query(`UPDATE phone_numbers SET ${sets.join(', ')} WHERE id = $1`, params);
  uow.touch('phoneNumbers', id);
  // The inbound number shows on the user too (inboundNumberId).
  for (const userId of new Set([before.assignedUserId, update.assignedUserId])) if (userId && update.assignedUserId !== undefined) uow.touch('users', userId);
  await uow.audit(principal.userId, 'phone_number.update', 'phone_number', id, { changes: update });
  const after = await uow.q.query(`SELECT ${NUMBER_COLUMNS} FROM phone_numbers pn WHERE pn.id = $1`, [id]);
  return toPhoneNumber(after[0]!);
}
