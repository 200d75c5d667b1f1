import type { User } from '../../shared/cloud/entities';
import type { Principal } from '../context';
import type { UnitOfWork } from '../db/unit-of-work';
import { ApiError, notFound } from '../errors';
import { requireAdmin } from '../auth/roles';
import { USER_COLUMNS, toUser } from '../accounts/rows';

/**
 * A member's Inbound Number (My Staff → Call & Voicemail settings): one number per member, one
 * member per number. Assigning is refused — naming who holds what — when it would give a member a
 * second number or take a number from another member; changing a member's own number swaps it.
 */

interface Holder {
  numberId: string;
  numberName: string;
  userId: string;
  userName: string;
}

async function holderOfNumber(uow: UnitOfWork, numberId: string): Promise<Holder | null> {
  const rows = await uow.q.query<{ id: string; name: string; user_id: string; user_name: string }>(
    `SELECT pn.id, pn.name, u.id AS user_id, u.name AS user_name FROM phone_numbers pn JOIN users u ON u.id = pn.assigned_user_id WHERE pn.id = $1`,
    [numberId],
  );
  const r = rows[0];
  return r ? { numberId: r.id, numberName: r.name, userId: r.user_id, userName: r.user_name } : null;
}

async function numberOfMember(uow: UnitOfWork, userId: string): Promise<Holder | null> {
  const rows = await uow.q.query<{ id: string; name: string; user_id: string; user_name: string }>(
    `SELECT pn.id, pn.name, u.id AS user_id, u.name AS user_name FROM phone_numbers pn JOIN users u ON u.id = pn.assigned_user_id
      WHERE pn.assigned_user_id = $1 AND pn.account_id = $2`,
    [userId, uow.accountId],
  );
  const r = rows[0];
  return r ? { numberId: r.id, numberName: r.name, userId: r.user_id, userName: r.user_name } : null;
}

export const heldByOther = (h: Holder): ApiError =>
  new ApiError('NUMBER_ALREADY_ASSIGNED', `${h.numberName} is already ${h.userName}'s Inbound Number. Unassign it from ${h.userName} first.`);
export const memberHasOne = (h: Holder): ApiError =>
  new ApiError('NUMBER_ALREADY_ASSIGNED', `${h.userName} already has an Inbound Number (${h.numberName}); a team member can have only one. Unassign it first.`);

/**
 * Checks that `userId` may become the member of `numberId` (called with rows locked by the caller).
 * `swap`: the member's own current number is given up (the staff screen's dropdown); otherwise
 * a member who has one is refused (the number's settings screen).
 */
export async function checkAssignment(uow: UnitOfWork, numberId: string, userId: string, swap: boolean): Promise<{ previousNumberId: string | null }> {
  const holder = await holderOfNumber(uow, numberId);
  if (holder && holder.userId !== userId) throw heldByOther(holder);
  const current = await numberOfMember(uow, userId);
  if (current && current.numberId !== numberId && !swap) throw memberHasOne(current);
  return { previousNumberId: current && current.numberId !== numberId ? current.numberId : null };
}

async function liveUser(uow: UnitOfWork, userId: string): Promise<void> {
  const rows = await uow.q.query(`SELECT id FROM users WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL FOR NO KEY UPDATE`, [userId, uow.accountId]);
  if (rows.length === 0) throw notFound('User');
}

/** PUT /v1/users/:id/inbound-number — the staff screen. Null unassigns the member's number. */
export async function setInboundNumber(uow: UnitOfWork, principal: Principal, userId: string, numberId: string | null): Promise<User> {
  requireAdmin(principal);
  await liveUser(uow, userId);
  let previous: string | null = null;
  if (numberId) {
    const target = await uow.q.query(`SELECT id FROM phone_numbers WHERE id = $1 AND account_id = $2 AND status = 'active' FOR NO KEY UPDATE`, [numberId, uow.accountId]);
    if (target.length === 0) throw notFound('Phone number');
    previous = (await checkAssignment(uow, numberId, userId, true)).previousNumberId;
  } else {
    previous = (await numberOfMember(uow, userId))?.numberId ?? null;
  }
  if (previous) {
    await uow.q.query(`UPDATE phone_numbers SET assigned_user_id = NULL WHERE id = $1`, [previous]);
    uow.touch('phoneNumbers', previous);
  }
  if (numberId) {
    await uow.q.query(`UPDATE phone_numbers SET assigned_user_id = $2 WHERE id = $1`, [numberId, userId]);
    uow.touch('phoneNumbers', numberId);
  }
  uow.touch('users', userId);
  await uow.audit(principal.userId, 'user.inbound_number', 'user', userId, { phoneNumberId: numberId, previousPhoneNumberId: previous });
  const rows = await uow.q.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [userId]);
  return toUser(rows[0]!);
}
