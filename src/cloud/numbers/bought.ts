import type { PhoneNumber } from '../../shared/cloud/entities';
import type { Money, NumberPrice, NumberType } from '../../shared/cloud/numbers';
import type { Queryable } from '../db';
import { write, type UnitOfWork } from '../db/unit-of-work';
import { isUniqueViolation } from '../errors';
import { newId } from '../ids';
import type { NumbersDeps } from './deps';
import { numberKind } from './number-kind';
import { abandonPurchase, giveBackUnrecorded, PurchaseSettledMeanwhile, recordPurchase, renameAfterPurchase } from './ownership';
import { accountCountry, priceFor } from './prices';
import { NUMBER_COLUMNS, toPhoneNumber } from './rows';
import type { OwnedNumber } from './twilio-numbers';

/** A purchase as checked against the numbers themselves: the country and type they are, and that type's price. */
export interface VerifiedPurchase {
  locationId: string | null;
  country: string;
  numberType: NumberType;
  price: NumberPrice;
}

/** What a number bought at Twilio became here. */
export type Kept =
  | { kind: 'added'; number: PhoneNumber; charged: Money }
  /** The earlier purchase it was adopted from had just been recorded by someone else (the sweep, another retry): the number is on the list already. */
  | { kind: 'recorded-meanwhile' }
  /** It could not be recorded: given back to Twilio (or, when a row records it, left for the operator). */
  | { kind: 'not-kept'; message: string };

const MONTH = `interval '1 month'`;

/**
 * A number bought at Twilio becomes the practice's: its row, its first month's charge and its
 * purchase recorded in one transaction, then its name at Twilio without the purchase tag. Every
 * way a purchase ends up bought comes here: Proceed to Buy (bought at once, or adopted after no
 * answer) and the sweep of unconfirmed purchases (unconfirmed-job.ts). `actorUserId` null: the
 * sweep, audited with no actor.
 */
export async function keepBought(
  deps: NumbersDeps,
  who: { accountId: string; actorUserId: string | null },
  input: VerifiedPurchase,
  bought: { owned: OwnedNumber; intentId: string; name: string },
  auditDetail: Record<string, unknown> = {},
): Promise<Kept> {
  const { db, log } = deps.ctx;
  const { owned, intentId, name } = bought;
  let added: { number: PhoneNumber; charged: Money };
  try {
    added = await write(db, who.accountId, (uow) => addPurchased(uow, who.actorUserId, input, bought, deps.webhooksSet(), auditDetail));
  } catch (error) {
    if (error instanceof PurchaseSettledMeanwhile) {
      // The number is on the practice's list through the purchase that bought it; this attempt bought nothing of its own.
      if (error.intentId !== intentId) await abandonPurchase(db, intentId);
      return { kind: 'recorded-meanwhile' };
    }
    // Bought at Twilio but not recorded here: given back (unless a row records it) rather than paid for while nobody sees it.
    log.error({ err: error, phoneNumber: owned.phoneNumber }, 'a bought number could not be recorded');
    await giveBackUnrecorded(deps, intentId, owned, null);
    return { kind: 'not-kept', message: isUniqueViolation(error) ? 'This number is already one of the practice’s numbers.' : 'The number could not be added to the practice; it was not kept.' };
  }
  await renameAfterPurchase(deps, owned, name);
  return { kind: 'added', ...added };
}

async function addPurchased(
  uow: UnitOfWork, actorUserId: string | null, input: VerifiedPurchase, bought: { owned: OwnedNumber; intentId: string; name: string }, webhooksSet: string,
  auditDetail: Record<string, unknown>,
): Promise<{ number: PhoneNumber; charged: Money }> {
  const { owned, intentId, name } = bought;
  // First: it takes the purchase's row lock, so a retry and the sweep adopting one number never both add it.
  await recordPurchase(uow.q, intentId, owned);
  const id = newId('num');
  const fee = input.price.monthlyFee;
  await uow.q.query(
    `INSERT INTO phone_numbers (id, account_id, location_id, number, name, twilio_sid, country, number_type, capabilities, billing_since, monthly_fee_micros, currency, webhooks_set)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, now(), $10, $11, $12)`,
    [id, uow.accountId, input.locationId, owned.phoneNumber, name, owned.sid, input.country, input.numberType, JSON.stringify(owned.capabilities), fee.micros, fee.currency, webhooksSet],
  );
  await uow.q.query(
    `INSERT INTO number_charges (account_id, phone_number_id, reason, amount_micros, currency, period_start, period_end)
     VALUES ($1, $2, 'purchase', $3, $4, now(), now() + ${MONTH})`,
    [uow.accountId, id, fee.micros, fee.currency],
  );
  uow.touch('phoneNumbers', id);
  await uow.audit(actorUserId, 'phone_number.purchase', 'phone_number', id, {
    phoneNumber: owned.phoneNumber, twilioSid: owned.sid, numberType: input.numberType, country: input.country, monthlyFee: fee, ...auditDetail,
  });
  const rows = await uow.q.query(`SELECT ${NUMBER_COLUMNS} FROM phone_numbers pn WHERE pn.id = $1`, [id]);
  return { number: toPhoneNumber(rows[0]!), charged: fee };
}

/**
 * An unconfirmed purchase as Proceed to Buy verified it, checked again from the number itself for
 * the sweep that adopts it: the practice's country and the number's type, that type's price now,
 * and its location while it is still there. Null: it is not a number the app buys for the
 * practice now (no price, another country).
 */
export async function verifiedAgain(q: Queryable, accountId: string, phoneNumber: string, locationId: string | null): Promise<VerifiedPurchase | null> {
  const home = await accountCountry(q, accountId);
  const kind = numberKind(phoneNumber, home);
  if (!kind.ok || kind.country !== home) return null;
  const price = await priceFor(q, home, kind.type);
  if (!price) return null;
  const live = locationId ? await q.query(`SELECT 1 FROM locations WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [locationId, accountId]) : [];
  return { locationId: live.length > 0 ? locationId : null, country: home, numberType: kind.type, price };
}
