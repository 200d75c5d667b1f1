import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { z } from 'zod';
import type { NumberType, PurchaseOutcome, PurchaseResult, purchaseRequestSchema } from '../../shared/cloud/numbers';
import type { Principal } from '../context';
import { write } from '../db/unit-of-work';
import { ApiError, notFound } from '../errors';
import { keepBought, type VerifiedPurchase } from './bought';
import type { NumbersDeps } from './deps';
import { numberKind } from './number-kind';
import { accountCountry, priceFor } from './prices';
import { buyProvably, type BuyAttempt } from './ownership';

export type PurchaseInput = z.output<typeof purchaseRequestSchema>;

/**
 * Proceed to Buy: each selected number is bought at Twilio (pointed at the cloud's webhooks) and
 * added to the practice, one by one, each with its own outcome — bought, taken by someone else
 * meanwhile (Twilio's 21422, another practice's row, or a purchase of it in flight), or failed with
 * the reason. Every purchase is written down before Twilio is asked (ownership.ts): a number is
 * never taken from, or released under, another practice. What each number is comes from the number
 * itself, not from the request: one of another country is not bought here (requested from
 * support), and one of another type than the request says is refused (it would be billed at the
 * wrong rate). Every attempt is audited.
 */
export async function purchaseNumbers(deps: NumbersDeps, principal: Principal, input: PurchaseInput): Promise<PurchaseResult> {
  const { db } = deps.ctx;
  const home = await accountCountry(db, principal.accountId);
  if (input.country !== home) throw requiresSupport(home);
  const numberType = verifiedType(input, home);
  const price = await priceFor(db, home, numberType);
  if (!price) throw new ApiError('NUMBER_PRICE_MISSING', `There is no price for ${numberType} numbers in ${home} yet; ask Aesthetix support.`);
  if (input.locationId) {
    const found = await db.query(`SELECT 1 FROM locations WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [input.locationId, principal.accountId]);
    if (found.length === 0) throw notFound('Location');
  }
  const verified: VerifiedPurchase = { locationId: input.locationId, country: home, numberType, price };
  const results: PurchaseOutcome[] = [];
  for (const phoneNumber of input.phoneNumbers) results.push(await buyOne(deps, principal, verified, phoneNumber));
  return { results };
}

const requiresSupport = (home: string): ApiError =>
  new ApiError('NUMBER_REQUIRES_SUPPORT', `Numbers outside ${home} are not bought in the app: Aesthetix support buys international numbers for you. Send a request instead.`);

const TYPE_WORDS: Record<NumberType, string> = { local: 'a local', 'toll-free': 'a toll-free', mobile: 'a mobile' };
const TYPE_SEARCH: Record<NumberType, string> = { local: 'Local', 'toll-free': 'Toll-Free', mobile: 'Mobile' };

/**
 * The type every number really is (its numbering plan), which must be the one the request names:
 * the type decides the monthly fee, so a toll-free number is never bought, stored or billed as local.
 */
function verifiedType(input: PurchaseInput, home: string): NumberType {
  const problems: { path: string; message: string }[] = [];
  input.phoneNumbers.forEach((phoneNumber, index) => {
    const kind = numberKind(phoneNumber, home);
    const shown = parsePhoneNumberFromString(phoneNumber)?.formatNational() ?? phoneNumber;
    if (!kind.ok) problems.push({ path: `phoneNumbers.${index}`, message: `${shown} is not a number Aesthetix can buy in the app; ask Aesthetix support.` });
    else if (kind.country !== home) throw requiresSupport(home);
    else if (kind.type !== input.numberType) {
      problems.push({ path: `phoneNumbers.${index}`, message: `${shown} is ${TYPE_WORDS[kind.type]} number, not ${TYPE_WORDS[input.numberType]} one: search ${TYPE_SEARCH[kind.type]} numbers to buy it.` });
    }
  });
  if (problems.length > 0) throw new ApiError('VALIDATION_FAILED', problems.map((p) => p.message).join(' '), { errors: problems });
  return input.numberType;
}

async function buyOne(deps: NumbersDeps, principal: Principal, input: VerifiedPurchase, phoneNumber: string): Promise<PurchaseOutcome> {
  const { db } = deps.ctx;
  const name = parsePhoneNumberFromString(phoneNumber)?.formatNational() ?? phoneNumber;
  const attempt = await buyProvably(deps, { accountId: principal.accountId, actorUserId: principal.userId, phoneNumber, name, forRowId: null, locationId: input.locationId });
  if (attempt.kind !== 'bought') {
    const outcome = notBought(phoneNumber, attempt);
    const twilioCode = attempt.kind === 'taken' ? attempt.twilioCode : attempt.failure.twilioCode;
    await write(db, principal.accountId, (uow) =>
      uow.audit(principal.userId, 'phone_number.purchase_failed', 'phone_number', null, { phoneNumber, outcome: outcome.status, twilioCode, ...(attempt.kind === 'failed' && attempt.unconfirmed ? { unconfirmed: true } : {}) }),
    );
    return outcome;
  }
  const kept = await keepBought(deps, { accountId: principal.accountId, actorUserId: principal.userId }, input, { owned: attempt.owned, intentId: attempt.intentId, name });
  switch (kept.kind) {
    case 'added':
      return { phoneNumber, status: 'bought', number: kept.number, charged: kept.charged };
    case 'recorded-meanwhile':
      return { phoneNumber, status: 'taken', message: 'This number is already one of the practice’s numbers.' };
    case 'not-kept':
      return { phoneNumber, status: 'failed', message: kept.message, twilioCode: null };
  }
}

/** What the admin is told of a purchase Twilio neither answered nor let us look up: the sweep settles it (unconfirmed-job.ts). */
const UNCONFIRMED_MESSAGE =
  'Twilio did not answer, so it is not known yet whether this number was bought. Aesthetix asks Twilio again within a few minutes: if Twilio has it, it is added to your numbers and billed; if not, nothing is bought or charged. It is listed under Numbers until then, or buy it again now to settle it at once.';

function notBought(phoneNumber: string, attempt: Exclude<BuyAttempt, { kind: 'bought' }>): PurchaseOutcome {
  if (attempt.kind === 'failed') {
    const { failure } = attempt;
    if (attempt.unconfirmed) return { phoneNumber, status: 'failed', message: UNCONFIRMED_MESSAGE, twilioCode: null, unconfirmed: true };
    return { phoneNumber, status: 'failed', message: failure.kind === 'unreachable' ? 'Twilio could not be reached; this number was not bought. Try again.' : failure.message, twilioCode: failure.twilioCode };
  }
  if (attempt.ownRow) return { phoneNumber, status: 'taken', message: 'This number is already one of the practice’s numbers.' };
  if (attempt.inFlight) {
    return { phoneNumber, status: 'taken', message: 'This number is being bought right now. If it was you, it appears in the list in a moment; otherwise pick another one.' };
  }
  return { phoneNumber, status: 'taken', message: 'Someone else bought this number a moment ago. Pick another one.' };
}
