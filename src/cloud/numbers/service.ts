import type { PhoneNumber } from '../../shared/cloud/entities';
import type { ManagedNumber } from '../../shared/cloud/numbers';
import type { z } from 'zod';
import type { updatePhoneNumberSchema } from '../../shared/cloud/api';
import type { CloudContext, Principal } from '../context';
import { ApiError, notFound } from '../errors';
import { requireAdmin } from '../auth/roles';
import { write, type UnitOfWork } from '../db/unit-of-work';
import { checkAssignment } from './assignment';
import type { NumbersDeps } from './deps';
import { heldByRow } from './ownership';
import { MANAGED_COLUMNS, NUMBER_COLUMNS, toManagedNumber, toPhoneNumber } from './rows';

export async function listNumbers(ctx: CloudContext, principal: Principal): Promise<PhoneNumber[]> {
  const rows = await ctx.db.query(`SELECT ${NUMBER_COLUMNS} FROM phone_numbers pn WHERE pn.account_id = $1 AND pn.deleted_at IS NULL ORDER BY pn.name`, [principal.accountId]);
  return rows.map(toPhoneNumber);
}

/** Settings → Phone Numbers: the live numbers with type, capabilities, member and monthly cost. */
export async function listManagedNumbers(ctx: CloudContext, principal: Principal): Promise<ManagedNumber[]> {
  const rows = await ctx.db.query(`SELECT ${MANAGED_COLUMNS} FROM phone_numbers pn WHERE pn.account_id = $1 AND pn.status = 'active' ORDER BY pn.name, pn.id`, [principal.accountId]);
  return rows.map(toManagedNumber);
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
  const rows = await uow.q.query(`SELECT ${NUMBER_COLUMNS} FROM phone_numbers pn WHERE pn.id = $1 AND pn.account_id = $2 AND pn.deleted_at IS NULL FOR NO KEY UPDATE`, [id, uow.accountId]);
  if (rows.length === 0) throw notFound('Phone number');
  const before = toPhoneNumber(rows[0]!);
  const userIds = [...(update.assignedUserId ? [update.assignedUserId] : []), ...(update.ringAllUserIds ?? [])];
  if (userIds.length > 0) {
    const found = await uow.q.query<{ id: string }>(`SELECT id FROM users WHERE account_id = $1 AND deleted_at IS NULL AND id = ANY(SELECT jsonb_array_elements_text($2::jsonb))`, [uow.accountId, JSON.stringify(userIds)]);
    const missing = userIds.filter((u) => !found.some((f) => f.id === u));
    if (missing.length > 0) throw new ApiError('VALIDATION_FAILED', `No such user in this account: ${missing.join(', ')}`);
  }
  if (update.forwardingNumber) {
    // Forwarding to one of the practice's own numbers would ring this webhook again, forever. Only its
    // own: another practice's number is an ordinary destination, and asking about it must not tell
    // whether it is on the platform.
    const own = await uow.q.query(`SELECT 1 FROM phone_numbers WHERE number = $1 AND account_id = $2 AND deleted_at IS NULL`, [update.forwardingNumber, uow.accountId]);
    if (own.length > 0) throw new ApiError('VALIDATION_FAILED', 'Forward to a phone outside the practice: forwarding to one of its own numbers would loop.', { errors: [{ path: 'forwardingNumber', message: 'Not one of the practice’s numbers' }] });
  }
  if (update.assignedUserId && update.assignedUserId !== before.assignedUserId) {
    await checkAssignment(uow, id, update.assignedUserId, false);
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

/**
 * PATCH /v1/numbers/:id: the settings, then the number's name at Twilio (its FriendlyName, what
 * the Twilio console and invoices show). That second step is best effort: the practice's setting
 * is what counts, and a failure is logged.
 */
export async function updateNumberSettings(deps: NumbersDeps, principal: Principal, id: string, update: NumberUpdate): Promise<PhoneNumber> {
  const updated = await write(deps.ctx.db, principal.accountId, (uow) => updateNumber(uow, principal, id, update));
  if (update.name !== undefined) {
    const rows = await deps.ctx.db.query(`SELECT id, number, twilio_sid FROM phone_numbers WHERE id = $1`, [id]);
    try {
      const owned = rows[0] ? await heldByRow(deps, rows[0]) : null;
      if (owned) await deps.provider().update(owned.sid, { friendlyName: updated.name });
    } catch (error) {
      deps.ctx.log.warn({ err: error, numberId: id }, 'the number was renamed here but not at Twilio');
    }
  }
  return updated;
}
