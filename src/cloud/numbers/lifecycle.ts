import type { DeleteNumberRequest, DeletedNumber, Money, NumberPrice, NumberType, RestoreResult } from '../../shared/cloud/numbers';
import type { Principal } from '../context';
import type { Row } from '../db/columns';
import { write, type UnitOfWork } from '../db/unit-of-work';
import { ApiError, notFound } from '../errors';
import type { NumbersDeps } from './deps';
import { HOLD_DAYS, RESET_SETTINGS, restoreDecision } from './lifecycle-rules';
import { claimNumber, currentState, unclaimNumber } from './operations';
import { priceFor } from './prices';
import { DELETED_COLUMNS, MANAGED_COLUMNS, toDeletedNumber, toManagedNumber } from './rows';
import { buyProvably, giveBackUnrecorded, heldByRow, recordPurchase, renameAfterPurchase } from './ownership';
import { TwilioNumberError, type OwnedNumber } from './twilio-numbers';

/**
 * Deleting, releasing and restoring a number (seed 001):
 * - delete + keep ("NO", "to keep the number's configuration"): the number leaves the practice's
 *   list and rings no one, but stays the practice's at Twilio with its settings; it is held for 10
 *   days, not billed. Its member's Inbound Number is let go (a held number rings no one) and
 *   remembered.
 * - restore of a held number (admin, within the 10 days; "if you didn't release it … reassign it
 *   back"): active again as it was — its settings, and its member if they have no other Inbound
 *   Number now — billed again from today. If the practice no longer holds it at Twilio it is bought
 *   back; when someone else has claimed it meanwhile, refused.
 * - after 10 days a held number is released by the release job (release-job.ts).
 * - delete + release (typed "Release"), or a held number released: given back to Twilio; in the
 *   app, permanent. Aesthetix support may restore one released by accident within 10 days of its
 *   deletion (supportRestoreNumber, `npm run cloud:numbers`): bought back if nobody has claimed it,
 *   its configuration not restored (the defaults), billed at once.
 */

const HOLD = `interval '${HOLD_DAYS} days'`;

async function unassign(uow: UnitOfWork, id: string): Promise<string | null> {
  const rows = await uow.q.query<{ assigned_user_id: string | null }>(`SELECT assigned_user_id FROM phone_numbers WHERE id = $1`, [id]);
  const member = rows[0]?.assigned_user_id ?? null;
  if (member) uow.touch('users', member); // their inboundNumberId changes
  return member;
}

/** Why a number cannot be deleted or restored right now, in words an admin can act on. */
async function refusal(deps: NumbersDeps, accountId: string, id: string, wanted: 'delete' | 'restore' | 'release'): Promise<ApiError> {
  const state = await currentState(deps.ctx.db, accountId, id);
  if (!state) return notFound('Phone number');
  if (state.operation) return new ApiError('NUMBER_BUSY', `This number is being ${state.operation === 'releasing' ? 'released' : 'restored'} right now; try again in a moment.`);
  if (state.status === 'released') return new ApiError('NUMBER_RELEASED', 'This number was released to Twilio; it is no longer the practice’s.');
  if (wanted === 'restore' && state.status === 'active') return new ApiError('CONFLICT', 'This number is not deleted.');
  if (wanted === 'restore' && state.past_due) return windowPassed();
  if (wanted !== 'restore' && state.status === 'held') return wanted === 'delete' ? new ApiError('CONFLICT', 'This number is already deleted.') : new ApiError('CONFLICT', 'This number cannot be released now.');
  return notFound('Phone number');
}

const windowPassed = (): ApiError =>
  new ApiError('NUMBER_RESTORE_WINDOW_PASSED', `More than ${HOLD_DAYS} days have passed since this number was deleted; it can no longer be restored.`);

/** Trash icon → "Delete" typed → keep (release: false) or release ("Release" typed). */
export async function deleteNumber(deps: NumbersDeps, principal: Principal, id: string, request: DeleteNumberRequest): Promise<DeletedNumber> {
  const { db } = deps.ctx;
  if (!request.release) {
    const kept = await write(db, principal.accountId, async (uow) => {
      const rows = await uow.q.query(
        `SELECT id FROM phone_numbers WHERE id = $1 AND account_id = $2 AND status = 'active' AND (operation IS NULL OR operation_at < now() - interval '5 minutes') FOR NO KEY UPDATE`,
        [id, uow.accountId],
      );
      if (rows.length === 0) return null;
      const member = await unassign(uow, id);
      await uow.q.query(
        `UPDATE phone_numbers SET status = 'held', deleted_at = now(), deleted_by = $2, release_due_at = now() + ${HOLD}, held_member_id = assigned_user_id, assigned_user_id = NULL,
                billing_since = NULL, monthly_fee_micros = NULL, currency = NULL, operation = NULL, operation_at = NULL
          WHERE id = $1`,
        [id, principal.userId],
      );
      uow.touch('phoneNumbers', id);
      await uow.audit(principal.userId, 'phone_number.delete', 'phone_number', id, { release: false, unassignedUserId: member, holdDays: HOLD_DAYS });
      return deletedView(uow, id);
    });
    if (!kept) throw await refusal(deps, principal.accountId, id, 'delete');
    return kept;
  }
  const row = await claimNumber(db, principal.accountId, id, 'releasing', ['active']);
  if (!row) throw await refusal(deps, principal.accountId, id, 'delete');
  await releaseAtTwilio(deps, row, id);
  return write(db, principal.accountId, async (uow) => {
    const member = await unassign(uow, id);
    await markReleased(uow, id, principal.userId, true);
    await uow.audit(principal.userId, 'phone_number.delete', 'phone_number', id, { release: true, unassignedUserId: member });
    await uow.audit(principal.userId, 'phone_number.release', 'phone_number', id, { phoneNumber: row.number, reason: 'deleted' });
    return deletedView(uow, id);
  });
}

/** "Release now" on a held number (typed "Release"): the admin decides not to wait for the 10 days. */
export async function releaseHeldNumber(deps: NumbersDeps, principal: Principal, id: string): Promise<DeletedNumber> {
  const row = await claimNumber(deps.ctx.db, principal.accountId, id, 'releasing', ['held']);
  if (!row) throw await refusal(deps, principal.accountId, id, 'release');
  await releaseAtTwilio(deps, row, id);
  return write(deps.ctx.db, principal.accountId, async (uow) => {
    await markReleased(uow, id, principal.userId, false);
    await uow.audit(principal.userId, 'phone_number.release', 'phone_number', id, { phoneNumber: row.number, reason: 'released while held' });
    return deletedView(uow, id);
  });
}

/**
 * Gives the number back to Twilio if the practice still holds it — by its row's sid, never a number
 * found by the number alone that may be another practice's (ownership.ts). On failure the claim is
 * dropped and nothing changed.
 */
export async function releaseAtTwilio(deps: NumbersDeps, row: Row, id: string): Promise<void> {
  try {
    const owned = await heldByRow(deps, row);
    if (owned) await deps.provider().release(owned.sid);
  } catch (error) {
    await unclaimNumber(deps.ctx.db, id, 'releasing');
    throw twilioFailure(error, 'Twilio could not be reached to release the number; nothing was changed. Try again.');
  }
}

/** The row is released: deleted (if it was not), not billed, no member, claim dropped. */
export async function markReleased(uow: UnitOfWork, id: string, actor: string | null, deleting: boolean): Promise<void> {
  await uow.q.query(
    `UPDATE phone_numbers SET status = 'released', released_at = now(), deleted_at = coalesce(deleted_at, now()), deleted_by = CASE WHEN $3 THEN $2 ELSE deleted_by END,
            release_due_at = NULL, assigned_user_id = NULL, held_member_id = NULL, billing_since = NULL, monthly_fee_micros = NULL, currency = NULL, operation = NULL, operation_at = NULL
      WHERE id = $1`,
    [id, actor, deleting],
  );
  uow.touch('phoneNumbers', id);
}

function twilioFailure(error: unknown, unreachable: string): ApiError {
  if (error instanceof TwilioNumberError && error.kind === 'not-configured') return new ApiError('TWILIO_NOT_CONFIGURED', error.message);
  if (error instanceof TwilioNumberError && error.kind !== 'unreachable') return new ApiError('TWILIO_REQUEST_FAILED', error.message);
  return new ApiError('TWILIO_REQUEST_FAILED', unreachable);
}

/** Restore of a number deleted with NO, within its 10 days: back as it was, billing restarts, refused if someone else claimed the number. */
export async function restoreNumber(deps: NumbersDeps, principal: Principal, id: string): Promise<RestoreResult> {
  const { db } = deps.ctx;
  const row = await claimNumber(db, principal.accountId, id, 'restoring', ['held'], 'release_due_at > now()');
  if (!row) throw await refusal(deps, principal.accountId, id, 'restore');
  // The rule again, on the row as claimed and the database's clock (the claim already checked it in SQL).
  const now = new Date(String((await db.query<{ now: string }>(`SELECT now() AS now`))[0]!.now));
  const decision = restoreDecision({ status: 'held', releaseDueAt: row.release_due_at ? new Date(String(row.release_due_at)) : null }, now);
  if (!decision.ok) {
    await unclaimNumber(db, id, 'restoring');
    throw windowPassed();
  }
  const price = await restorePrice(deps, row);
  let held: HeldAgain;
  try {
    held = await holdAgain(deps, principal, row);
  } catch (error) {
    if (error instanceof TwilioNumberError && error.kind === 'not-available') {
      // Someone else has it now: it is gone for good.
      await write(db, principal.accountId, async (uow) => {
        await markReleased(uow, id, null, false);
        await uow.audit(principal.userId, 'phone_number.restore_refused', 'phone_number', id, { phoneNumber: row.number, reason: 'claimed', twilioCode: error.twilioCode });
      });
      throw claimed();
    }
    await unclaimNumber(db, id, 'restoring');
    throw twilioFailure(error, 'Twilio could not be reached to restore the number; nothing was changed. Try again.');
  }
  return reactivate(deps, { accountId: principal.accountId, actorUserId: principal.userId, row, held, fee: price.monthlyFee, configuration: 'kept' });
}

/**
 * Aesthetix support restores a number the practice released by accident, within 10 days of its
 * deletion (seed 001): bought back if nobody has claimed it meanwhile, "configurations are not
 * restored" (its settings go back to the defaults, no member), the monthly fee charged at once.
 * The operator runs it (`npm run cloud:numbers -- restore <numberId>`); audited with no actor.
 */
export async function supportRestoreNumber(deps: NumbersDeps, id: string): Promise<RestoreResult & { accountId: string }> {
  const { db } = deps.ctx;
  const row = await claimNumber(db, null, id, 'restoring', ['released'], `deleted_at > now() - ${HOLD}`);
  if (!row) throw await supportRefusal(deps, id);
  const accountId = String(row.account_id);
  const price = await restorePrice(deps, row);
  const attempt = await buyProvably(deps, { accountId, actorUserId: null, phoneNumber: String(row.number), name: String(row.name), forRowId: id, locationId: null });
  if (attempt.kind !== 'bought') {
    await unclaimNumber(db, id, 'restoring');
    if (attempt.kind === 'failed') throw twilioFailure(attempt.failure, 'Twilio could not be reached to buy the number back; nothing was changed. Try again.');
    throw attempt.ownRow ? new ApiError('CONFLICT', 'The practice has this number on its list again.') : claimed();
  }
  const restored = await reactivate(deps, { accountId, actorUserId: null, row, held: { owned: attempt.owned, intentId: attempt.intentId }, fee: price.monthlyFee, configuration: 'reset' });
  return { ...restored, accountId };
}

const claimed = (): ApiError => new ApiError('NUMBER_CLAIMED', 'Someone else has claimed this number since it was deleted, so it cannot be restored.');

async function restorePrice(deps: NumbersDeps, row: Row): Promise<NumberPrice> {
  const price = await priceFor(deps.ctx.db, String(row.country), row.number_type as NumberType);
  if (price) return price;
  await unclaimNumber(deps.ctx.db, String(row.id), 'restoring');
  throw new ApiError('NUMBER_PRICE_MISSING', `There is no price for ${String(row.number_type)} numbers in ${String(row.country)}; ask Aesthetix support.`);
}

async function supportRefusal(deps: NumbersDeps, id: string): Promise<ApiError> {
  const rows = await deps.ctx.db.query<{ account_id: string }>(`SELECT account_id FROM phone_numbers WHERE id = $1`, [id]);
  const state = rows[0] ? await currentState(deps.ctx.db, rows[0].account_id, id) : null;
  if (!state) return notFound('Phone number');
  if (state.operation) return new ApiError('NUMBER_BUSY', `This number is being ${state.operation === 'releasing' ? 'released' : 'restored'} right now; try again in a moment.`);
  if (state.status === 'active') return new ApiError('CONFLICT', 'This number is not deleted.');
  if (state.status === 'held') return new ApiError('CONFLICT', 'This number was not released: the practice restores it itself, with its settings, from Deleted numbers.');
  return windowPassed();
}

/**
 * The number is the practice's again, billed from now: `kept` (deleted with NO) comes back with its
 * settings — its Ring All list without members who have left — and its member, if they have no
 * other Inbound Number now; `reset` (released, restored by support) comes back with the defaults.
 */
async function reactivate(
  deps: NumbersDeps,
  r: { accountId: string; actorUserId: string | null; row: Row; held: HeldAgain; fee: Money; configuration: 'kept' | 'reset' },
): Promise<RestoreResult> {
  const { db } = deps.ctx;
  const id = String(r.row.id);
  const { owned, intentId } = r.held;
  let restored: RestoreResult;
  try {
    restored = await write(db, r.accountId, async (uow) => {
      let member: { id: string; name: string; free: boolean } | null = null;
      if (r.configuration === 'kept') {
        member = await heldMember(uow, id);
        await uow.q.query(
          `UPDATE phone_numbers SET status = 'active', deleted_at = NULL, deleted_by = NULL, release_due_at = NULL, twilio_sid = $2, capabilities = $3::jsonb,
                  assigned_user_id = $4, held_member_id = NULL,
                  ring_all_user_ids = (SELECT coalesce(jsonb_agg(r.id ORDER BY r.n), '[]'::jsonb)
                                         FROM jsonb_array_elements_text(ring_all_user_ids) WITH ORDINALITY AS r(id, n)
                                        WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = r.id AND u.account_id = $5 AND u.deleted_at IS NULL)),
                  billing_since = now(), monthly_fee_micros = $6, currency = $7, operation = NULL, operation_at = NULL, webhooks_set = $8
            WHERE id = $1`,
          [id, owned.sid, JSON.stringify(owned.capabilities), member?.free ? member.id : null, r.accountId, r.fee.micros, r.fee.currency, deps.webhooksSet()],
        );
        if (member?.free) uow.touch('users', member.id); // their Inbound Number is back
      } else {
        await uow.q.query(
          `UPDATE phone_numbers SET status = 'active', deleted_at = NULL, deleted_by = NULL, release_due_at = NULL, released_at = NULL, twilio_sid = $2, capabilities = $3::jsonb,
                  forwarding_number = $4, caller_id_mode = $5, call_connect = $6, whisper_message = $7, record_calls = $8, ring_timeout_seconds = $9,
                  inbound_routing = $10, ring_all_user_ids = $11::jsonb, assigned_user_id = $12, held_member_id = NULL,
                  billing_since = now(), monthly_fee_micros = $13, currency = $14, operation = NULL, operation_at = NULL, webhooks_set = $15
            WHERE id = $1`,
          [id, owned.sid, JSON.stringify(owned.capabilities), RESET_SETTINGS.forwarding_number, RESET_SETTINGS.caller_id_mode, RESET_SETTINGS.call_connect,
            RESET_SETTINGS.whisper_message, RESET_SETTINGS.record_calls, RESET_SETTINGS.ring_timeout_seconds, RESET_SETTINGS.inbound_routing,
            RESET_SETTINGS.ring_all_user_ids, RESET_SETTINGS.assigned_user_id, r.fee.micros, r.fee.currency, deps.webhooksSet()],
        );
      }
      if (intentId) await recordPurchase(uow.q, intentId, owned);
      await uow.q.query(
        `INSERT INTO number_charges (account_id, phone_number_id, reason, amount_micros, currency, period_start, period_end)
         VALUES ($1, $2, 'restore', $3, $4, now(), now() + interval '1 month')`,
        [uow.accountId, id, r.fee.micros, r.fee.currency],
      );
      uow.touch('phoneNumbers', id);
      await uow.audit(r.actorUserId, 'phone_number.restore', 'phone_number', id, {
        phoneNumber: r.row.number, twilioSid: owned.sid, charged: r.fee, settings: r.configuration, byAesthetixSupport: r.actorUserId === null,
        memberRestored: member?.free ? member.id : null,
      });
      const rows = await uow.q.query(`SELECT ${MANAGED_COLUMNS} FROM phone_numbers pn WHERE pn.id = $1`, [id]);
      return { number: toManagedNumber(rows[0]!), charged: r.fee satisfies Money, memberNotRestored: member && !member.free ? member.name : null };
    });
  } catch (error) {
    // Bought back but not recorded: given back rather than paid for unseen (the row is as it was).
    if (intentId) await giveBackUnrecorded(deps, intentId, owned, id);
    await unclaimNumber(db, id, 'restoring');
    throw error;
  }
  if (intentId) await renameAfterPurchase(deps, owned, String(r.row.name));
  return restored;
}

/** Whose Inbound Number the held number was, and whether they can have it back (still on the team, no other one now). Locks the member. */
async function heldMember(uow: UnitOfWork, id: string): Promise<{ id: string; name: string; free: boolean } | null> {
  const rows = await uow.q.query<{ id: string; name: string; free: boolean }>(
    `SELECT u.id, u.name, (u.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM phone_numbers o WHERE o.assigned_user_id = u.id)) AS free
       FROM phone_numbers pn JOIN users u ON u.id = pn.held_member_id AND u.account_id = pn.account_id
      WHERE pn.id = $1
      FOR NO KEY UPDATE OF u`,
    [id],
  );
  return rows[0] ?? null;
}

interface HeldAgain {
  owned: OwnedNumber;
  /** Set when the number had to be bought back: its purchase, recorded with the restore. */
  intentId: string | null;
}

/**
 * The practice holds the number at Twilio again, pointed at the cloud: still held by its row's sid →
 * re-pointed; gone → bought back like any purchase (21422 if someone else has it). A number the
 * account holds under another sid is not assumed to be this row's: it may be another practice's.
 */
async function holdAgain(deps: NumbersDeps, principal: Principal, row: Row): Promise<HeldAgain> {
  const provider = deps.provider();
  const name = String(row.name);
  const held = await heldByRow(deps, row);
  if (held) {
    await provider.update(held.sid, { ...deps.webhooks(), friendlyName: name });
    return { owned: held, intentId: null };
  }
  const attempt = await buyProvably(deps, { accountId: principal.accountId, actorUserId: principal.userId, phoneNumber: String(row.number), name, forRowId: String(row.id), locationId: null });
  if (attempt.kind === 'bought') return { owned: attempt.owned, intentId: attempt.intentId };
  if (attempt.kind === 'failed') throw attempt.failure;
  throw new TwilioNumberError('not-available', 'The number is not available.', attempt.twilioCode);
}

async function deletedView(uow: UnitOfWork, id: string): Promise<DeletedNumber> {
  const rows = await uow.q.query(`SELECT ${DELETED_COLUMNS}, now() AS db_now FROM phone_numbers pn WHERE pn.id = $1`, [id]);
  return toDeletedNumber(rows[0]!, new Date(String(rows[0]!.db_now)));
}

/** The deleted-numbers view: held ones first (soonest released first), then released ones, newest first. */
export async function listDeleted(deps: NumbersDeps, principal: Principal): Promise<DeletedNumber[]> {
  const rows = await deps.ctx.db.query(
    `SELECT ${DELETED_COLUMNS}, now() AS db_now FROM phone_numbers pn
      WHERE pn.account_id = $1 AND pn.status <> 'active'
      ORDER BY (pn.status = 'held') DESC, pn.release_due_at ASC NULLS LAST, pn.released_at DESC NULLS LAST, pn.id
      LIMIT 500`,
    [principal.accountId],
  );
  return rows.map((r) => toDeletedNumber(r, new Date(String(r.db_now))));
}
