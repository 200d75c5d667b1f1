import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { z } from 'zod';
import type { Money, NumberPrice, PurchaseOutcome, PurchaseResult, purchaseRequestSchema } from '../../shared/cloud/numbers';
import type { Principal } from '../context';
import { write, type UnitOfWork } from '../db/unit-of-work';
import { ApiError, isUniqueViolation, notFound } from '../errors';
import { newId } from '../ids';
import type { NumbersDeps } from './deps';
import { accountCountry, priceFor } from './prices';
import { NUMBER_COLUMNS, toPhoneNumber } from './rows';
import { TwilioNumberError, type OwnedNumber } from './twilio-numbers';

export type PurchaseInput = z.output<typeof purchaseRequestSchema>;

const MONTH = `interval '1 month'`;

/**
 * Proceed to Buy: each selected number is bought at Twilio (pointed at the cloud's webhooks) and
 * added to the practice, one by one, each with its own outcome — bought, taken by someone else
 * meanwhile (Twilio's 21422), or failed with the reason. Numbers of another country are not bought
 * here (requested from support). Every attempt is audited.
 */
export async function purchaseNumbers(deps: NumbersDeps, principal: Principal, input: PurchaseInput): Promise<PurchaseResult> {
  const { db } = deps.ctx;
  const home = await accountCountry(db, principal.accountId);
  if (input.country !== home) {
    throw new ApiError('NUMBER_REQUIRES_SUPPORT', `Numbers outside ${home} are not bought in the app: Aesthetix support buys international numbers for you. Send a request instead.`);
  }
  const price = await priceFor(db, input.country, input.numberType);
  if (!price) throw new ApiError('NUMBER_PRICE_MISSING', `There is no price for ${input.numberType} numbers in ${input.country} yet; ask Aesthetix support.`);
  if (input.locationId) {
    const found = await db.query(`SELECT 1 FROM locations WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [input.locationId, principal.accountId]);
    if (found.length === 0) throw notFound('Location');
  }
  const results: PurchaseOutcome[] = [];
  for (const phoneNumber of input.phoneNumbers) results.push(await buyOne(deps, principal, input, price, phoneNumber));
  return { results };
}

async function buyOne(deps: NumbersDeps, principal: Principal, input: PurchaseInput, price: NumberPrice, phoneNumber: string): Promise<PurchaseOutcome> {
  const { db, log } = deps.ctx;
  const name = parsePhoneNumberFromString(phoneNumber)?.formatNational() ?? phoneNumber;
  let owned: OwnedNumber;
  try {
    owned = await deps.provider().buy(phoneNumber, { friendlyName: name, ...deps.webhooks() });
  } catch (error) {
    const failure = error instanceof TwilioNumberError ? error : new TwilioNumberError('unreachable', String(error), null);
    // No answer may still mean it was bought: look before saying it was not.
    const adopted = failure.kind === 'unreachable' ? await deps.provider().find(phoneNumber, null).catch(() => null) : null;
    if (!adopted) {
      const outcome: PurchaseOutcome =
        failure.kind === 'not-available'
          ? { phoneNumber, status: 'taken', message: 'Someone else bought this number a moment ago. Pick another one.' }
          : {
              phoneNumber,
              status: 'failed',
              message: failure.kind === 'unreachable' ? 'Twilio could not be reached; this number was not bought. Try again.' : failure.message,
              twilioCode: failure.twilioCode,
            };
      await write(db, principal.accountId, (uow) =>
        uow.audit(principal.userId, 'phone_number.purchase_failed', 'phone_number', null, { phoneNumber, outcome: outcome.status, twilioCode: failure.twilioCode }),
      );
      return outcome;
    }
    owned = adopted;
  }
  try {
    const { number, charged } = await write(db, principal.accountId, (uow) => addPurchased(uow, principal, input, price, owned, name, deps.webhooksSet()));
    return { phoneNumber, status: 'bought', number, charged };
  } catch (error) {
    // Bought at Twilio but not recorded here: give it back rather than pay for a number nobody sees.
    log.error({ err: error, phoneNumber }, 'a bought number could not be recorded; releasing it at Twilio');
    await deps.provider().release(owned.sid).catch((releaseError: unknown) => log.error({ err: releaseError, phoneNumber, sid: owned.sid }, 'releasing an unrecorded number failed'));
    const message = isUniqueViolation(error) ? 'This number is already one of the practice’s numbers.' : 'The number could not be added to the practice; it was not kept.';
    return { phoneNumber, status: 'failed', message, twilioCode: null };
  }
}

async function addPurchased(
  uow: UnitOfWork, principal: Principal, input: PurchaseInput, price: NumberPrice, owned: OwnedNumber, name: string, webhooksSet: string,
): Promise<{ number: ReturnType<typeof toPhoneNumber>; charged: Money }> {
  const id = newId('num');
  const fee = price.monthlyFee;
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
  await uow.audit(principal.userId, 'phone_number.purchase', 'phone_number', id, {
    phoneNumber: owned.phoneNumber, twilioSid: owned.sid, numberType: input.numberType, country: input.country, monthlyFee: fee,
  });
  const rows = await uow.q.query(`SELECT ${NUMBER_COLUMNS} FROM phone_numbers pn WHERE pn.id = $1`, [id]);
  return { number: toPhoneNumber(rows[0]!), charged: fee };
}
