import type { Queryable } from '../db';
import type { Row } from '../db/columns';
import { newId } from '../ids';
import type { NumbersDeps } from './deps';
import { TwilioNumberError, type OwnedNumber } from './twilio-numbers';

/**
 * Whose a number at Twilio is. Every practice's numbers sit in the one platform Twilio account, so
 * "the account holds +1 424 555 0101" says nothing about which practice it belongs to. A number is
 * acted on (adopted, re-pointed, released) only when it is provably the caller's:
 * - by the sid its row recorded, or
 * - after a purchase that got no answer: the purchase was written down first (an intent, one per
 *   number platform-wide), the number carries that intent's id in its FriendlyName, and no row of
 *   any practice records its sid, nor (unless released) its number.
 * Nothing found by the number alone is trusted otherwise.
 */

/** How long a purchase may be in flight at Twilio before it counts as unconfirmed (the next purchase of the number, or the sweep, settles it so). */
const PENDING_STALE = `interval '10 minutes'`;
/** A reconciliation run's claim on a purchase (reconcile-job.ts) older than this has lapsed (the run died). */
export const RECONCILE_CLAIM_LAPSE = `interval '5 minutes'`;
/** A purchase settled as not bought whose number Twilio bought after all, not being given back by a reconciliation run now. */
const LANDED_LATE_UNCLAIMED = `(status = 'not_bought' AND (reconcile_claimed_at IS NULL OR reconcile_claimed_at < now() - ${RECONCILE_CLAIM_LAPSE}))`;
/** Twilio's FriendlyName limit. */
const FRIENDLY_NAME_MAX = 64;

/** The FriendlyName a purchase buys with: the number's name, then its intent's id (which survives the 64-character cut). */
export function taggedName(name: string, intentId: string): string {
  const tag = ` [${intentId}]`;
  return name.slice(0, FRIENDLY_NAME_MAX - tag.length) + tag;
}

/** The intent id a FriendlyName was tagged with at purchase, or null. */
export function intentOfName(friendlyName: string): string | null {
  return /\[(npi_[0-9a-f]{32})\]$/.exec(friendlyName)?.[1] ?? null;
}

/** Does a row other than `exceptRowId` record this sid (any practice, any status) or this number (unless released)? */
export async function recordedByARow(q: Queryable, phoneNumber: string, sid: string | null, exceptRowId: string | null): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM phone_numbers
      WHERE id IS DISTINCT FROM $3 AND ((twilio_sid IS NOT NULL AND twilio_sid = $2) OR (number = $1 AND status <> 'released'))
      LIMIT 1`,
    [phoneNumber, sid, exceptRowId],
  );
  return rows.length > 0;
}

/**
 * The number at Twilio that a row holds, or null when the practice no longer holds it (or it
 * cannot be proven to be the row's). By the row's sid; a row from before sids were recorded (the
 * seeded demo numbers) falls back to the number only when nothing else could own it: no other row
 * records it or its sid, and no purchase of it is in flight.
 */
export async function heldByRow(deps: NumbersDeps, row: Row): Promise<OwnedNumber | null> {
  const provider = deps.provider();
  const number = String(row.number);
  if (row.twilio_sid) {
    const bySid = await provider.bySid(String(row.twilio_sid));
    return bySid?.phoneNumber === number ? bySid : null;
  }
  const found = await provider.byNumber(number);
  if (!found) return null;
  const { db } = deps.ctx;
  if (await recordedByARow(db, number, found.sid, String(row.id))) return null;
  const buying = await db.query(`SELECT 1 FROM number_purchase_intents WHERE phone_number = $1 AND status = 'pending'`, [number]);
  return buying.length > 0 ? null : found;
}

export type BuyAttempt =
  /** Bought (or adopted after no answer, with proof); the intent is `recorded` by the caller with its row. */
  | { kind: 'bought'; owned: OwnedNumber; intentId: string }
  /** Twilio sold it to someone else, or a row (`ownRow`: of this practice) already records it, or its purchase is in flight. */
  | { kind: 'taken'; ownRow: boolean; inFlight: boolean; twilioCode: number | null }
  /**
   * Not bought: Twilio refused, or never answered and the number is not provably this purchase's.
   * `unconfirmed`: neither the buy nor the look-up after it was answered — it may have been bought;
   * the sweep (unconfirmed-job.ts) settles it.
   */
  | { kind: 'failed'; failure: TwilioNumberError; unconfirmed: boolean };

/**
 * Purchases left `pending` past PENDING_STALE (the process died while Twilio was asked) are as
 * unconfirmed as ones that got no answer: settled so, for one number (before it is bought again) or all (the sweep).
 */
export async function markStalePending(q: Queryable, phoneNumber: string | null): Promise<void> {
  await q.query(
    `UPDATE number_purchase_intents SET status = 'unconfirmed', resolved_at = now(), unconfirmed_at = now()
      WHERE status = 'pending' AND created_at < now() - ${PENDING_STALE} AND ($1::text IS NULL OR phone_number = $1)`,
    [phoneNumber],
  );
}

/**
 * Buys a number for a practice, safely under a shared Twilio account: writes the intent first, buys
 * with the intent in the FriendlyName, and when Twilio does not answer (or says the number is not
 * available) adopts what the account holds under the number only if it carries this practice's
 * intent and no row records it. `forRowId`: the held row a restore buys back.
 */
export async function buyProvably(
  deps: NumbersDeps,
  purchase: {
    accountId: string; actorUserId: string | null; phoneNumber: string; name: string; forRowId: string | null;
    /** Where the new number rings (a purchase's "Rings by default"), kept for a sweep that adopts it later; null for a restore. */
    locationId: string | null;
  },
): Promise<BuyAttempt> {
  const { db, log } = deps.ctx;
  const { accountId, phoneNumber } = purchase;
  const intentId = newId('npi');
  const started = await db.transaction(async (q) => {
    const recorded = await q.query<{ account_id: string }>(
      `SELECT account_id FROM phone_numbers WHERE number = $1 AND status <> 'released' AND id IS DISTINCT FROM $2 LIMIT 1`,
      [phoneNumber, purchase.forRowId],
    );
    if (recorded[0]) return { ok: false as const, ownRow: recorded[0].account_id === accountId, inFlight: false };
    await markStalePending(q, phoneNumber);
    const inserted = await q.query(
      `INSERT INTO number_purchase_intents (id, account_id, phone_number, phone_number_id, requested_by, location_id) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (phone_number) WHERE status = 'pending' DO NOTHING RETURNING id`,
      [intentId, accountId, phoneNumber, purchase.forRowId, purchase.actorUserId, purchase.locationId],
    );
    return inserted.length > 0 ? { ok: true as const } : { ok: false as const, ownRow: false, inFlight: true };
  });
  if (!started.ok) return { kind: 'taken', ownRow: started.ownRow, inFlight: started.inFlight, twilioCode: null };

  const provider = deps.provider();
  let failure: TwilioNumberError;
  try {
    return { kind: 'bought', owned: await provider.buy(phoneNumber, { friendlyName: taggedName(purchase.name, intentId), ...deps.webhooks() }), intentId };
  } catch (error) {
    failure = error instanceof TwilioNumberError ? error : new TwilioNumberError('unreachable', String(error), null);
  }
  if (failure.kind === 'unreachable' || failure.kind === 'not-available') {
    // No answer may still mean it was bought; "not available" may mean this practice bought it on an earlier try that got no answer.
    let found: OwnedNumber | null | undefined;
    try {
      found = await provider.byNumber(phoneNumber);
    } catch (error) {
      log.warn({ err: error, phoneNumber }, 'could not look the number up after its purchase got no answer');
    }
    if (found && (await provenPurchase(db, accountId, intentId, found))) {
      log.warn({ phoneNumber, sid: found.sid, intentId }, 'a purchase without an answer had bought the number: adopted');
      return { kind: 'bought', owned: found, intentId };
    }
    if (found && (await db.query(`SELECT 1 FROM phone_numbers WHERE twilio_sid = $1 AND account_id = $2`, [found.sid, accountId])).length > 0) {
      // Already on the practice's list: an earlier purchase of it that got no answer was adopted meanwhile (the sweep, another retry).
      await settle(db, intentId, 'not_bought', null);
      return { kind: 'taken', ownRow: true, inFlight: false, twilioCode: failure.twilioCode };
    }
    if (found === undefined && failure.kind === 'unreachable') {
      await settle(db, intentId, 'unconfirmed', null);
      return { kind: 'failed', failure, unconfirmed: true };
    }
  }
  await settle(db, intentId, 'not_bought', null);
  return failure.kind === 'not-available' ? { kind: 'taken', ownRow: false, inFlight: false, twilioCode: failure.twilioCode } : { kind: 'failed', failure, unconfirmed: false };
}

/**
 * Was `found` bought by this purchase, or by an earlier purchase of the same number by the same
 * practice that never heard back (its FriendlyName says which) — still unconfirmed, or settled as
 * not bought before Twilio finished it (the admin buying it again wants it: adopted rather than
 * given back by the reconciliation, unless a reconciliation run is giving it back now) — and does
 * no row record it?
 */
async function provenPurchase(q: Queryable, accountId: string, intentId: string, found: OwnedNumber): Promise<boolean> {
  const tagged = intentOfName(found.friendlyName);
  if (!tagged) return false;
  const intents = await q.query(
    `SELECT 1 FROM number_purchase_intents
      WHERE id = $1 AND account_id = $2 AND phone_number = $3 AND (id = $4 OR status = 'unconfirmed' OR ${LANDED_LATE_UNCLAIMED})`,
    [tagged, accountId, found.phoneNumber, intentId],
  );
  return intents.length > 0 && !(await recordedByARow(q, found.phoneNumber, found.sid, null));
}

type Settled = 'recorded' | 'not_bought' | 'unconfirmed' | 'released' | 'unrecorded';

async function settle(q: Queryable, intentId: string, status: Settled, sid: string | null): Promise<void> {
  await q.query(
    `UPDATE number_purchase_intents SET status = $2, twilio_sid = coalesce($3, twilio_sid), resolved_at = now(),
            unconfirmed_at = CASE WHEN $2 = 'unconfirmed' THEN coalesce(unconfirmed_at, now()) ELSE unconfirmed_at END
      WHERE id = $1`,
    [intentId, status, sid],
  );
}

/**
 * An unconfirmed purchase settled by the sweep without adding a row (Twilio does not have it from
 * this purchase, a row records it already, or it is left for the operator): only while still
 * unconfirmed — a retry may have settled it meanwhile.
 */
export async function settleUnconfirmed(q: Queryable, intentId: string, status: 'not_bought' | 'recorded' | 'unrecorded', sid: string | null): Promise<boolean> {
  const rows = await q.query(
    `UPDATE number_purchase_intents SET status = $2, twilio_sid = coalesce($3, twilio_sid), resolved_at = now() WHERE id = $1 AND status = 'unconfirmed' RETURNING id`,
    [intentId, status, sid],
  );
  return rows.length > 0;
}

/** A purchase still in flight that bought nothing of its own (the number was adopted through an earlier one that someone else recorded first). */
export async function abandonPurchase(q: Queryable, intentId: string): Promise<void> {
  await q.query(`UPDATE number_purchase_intents SET status = 'not_bought', resolved_at = now() WHERE id = $1 AND status = 'pending'`, [intentId]);
}

/** The purchase whose tag a bought number carries was settled by someone else first (the sweep, or another retry, recorded it). */
export class PurchaseSettledMeanwhile extends Error {
  constructor(readonly intentId: string) {
    super(`purchase ${intentId} was settled meanwhile`);
    this.name = 'PurchaseSettledMeanwhile';
  }
}

/**
 * In the transaction that records the number on its row, before the row is written: the purchase
 * is done. The number may carry an earlier purchase's tag (an unconfirmed one adopted by a retry,
 * or by the sweep, where it is `intentId` itself): that one is recorded too, taking its row lock
 * first, so a retry and the sweep adopting the same number at once are serialised and the second
 * gets `PurchaseSettledMeanwhile` (its transaction rolls back); so is one settled as not bought
 * that landed late, against a reconciliation run giving it back. Any other unconfirmed purchase of
 * the number by the practice bought nothing (a number is bought once): settled `not_bought`.
 */
export async function recordPurchase(q: Queryable, intentId: string, owned: OwnedNumber): Promise<void> {
  const tagged = intentOfName(owned.friendlyName);
  for (const id of tagged && tagged !== intentId ? [tagged, intentId] : [intentId]) {
    // An earlier purchase may also have landed late (settled not bought): recorded unless a reconciliation run is giving it back.
    const rows = await q.query(
      `UPDATE number_purchase_intents SET status = 'recorded', twilio_sid = $2, resolved_at = now()
        WHERE id = $1 AND (status IN ('pending', 'unconfirmed') OR ($3::boolean AND ${LANDED_LATE_UNCLAIMED})) RETURNING account_id`,
      [id, owned.sid, id !== intentId],
    );
    if (rows.length === 0) throw new PurchaseSettledMeanwhile(id);
  }
  await q.query(
    `UPDATE number_purchase_intents SET status = 'not_bought', resolved_at = now()
      WHERE phone_number = $1 AND status = 'unconfirmed' AND account_id = (SELECT account_id FROM number_purchase_intents WHERE id = $2)`,
    [owned.phoneNumber, intentId],
  );
}

/**
 * A number bought but not recorded (the row could not be written): given back to Twilio so nobody
 * pays for a number no practice sees — unless a row records it, in which case it is never released
 * from here (it may be that row's) and is left for the operator.
 */
export async function giveBackUnrecorded(deps: NumbersDeps, intentId: string, owned: OwnedNumber, forRowId: string | null): Promise<'released' | 'kept'> {
  const { db, log } = deps.ctx;
  if (await recordedByARow(db, owned.phoneNumber, owned.sid, forRowId)) {
    log.error({ phoneNumber: owned.phoneNumber, sid: owned.sid, intentId }, 'a bought number could not be recorded and a row already records it: left at Twilio for the operator');
    await settle(db, intentId, 'unrecorded', owned.sid);
    return 'kept';
  }
  try {
    await deps.provider().release(owned.sid);
  } catch (error) {
    log.error({ err: error, phoneNumber: owned.phoneNumber, sid: owned.sid, intentId }, 'releasing a number that could not be recorded failed');
    await settle(db, intentId, 'unrecorded', owned.sid);
    return 'kept';
  }
  await settle(db, intentId, 'released', owned.sid);
  return 'released';
}

/** Once its row records the sid, the purchase tag has done its work: the number's name at Twilio is its name (best effort). */
export async function renameAfterPurchase(deps: NumbersDeps, owned: OwnedNumber, name: string): Promise<void> {
  await deps
    .provider()
    .update(owned.sid, { friendlyName: name })
    .catch((error: unknown) => deps.ctx.log.warn({ err: error, phoneNumber: owned.phoneNumber }, 'the number was bought but its name at Twilio still carries the purchase tag'));
}
