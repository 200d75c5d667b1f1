import { parsePhoneNumberFromString, type NumberType as PlanType } from 'libphonenumber-js/max';
import type { NumberType } from '../../shared/cloud/numbers';

/**
 * What a number is, worked out from the number itself (the numbering plan), never from what a
 * request says about it: its country decides whether it is bought in the app or requested from
 * support, its type decides its price. Pure.
 */
export type NumberKind =
  | { ok: true; country: string; type: NumberType }
  /** Not a valid number, or of a kind the app does not sell (premium rate, shared cost, pager…). */
  | { ok: false; reason: 'unrecognised' };

/** The countries of the North American Numbering Plan the app sells in: their toll-free codes are shared. */
const NANP_SOLD = new Set(['US', 'CA']);

export function numberKind(e164: string, home: string): NumberKind {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed?.isValid()) return { ok: false, reason: 'unrecognised' };
  const type = typeOf(parsed.getType());
  if (!type) return { ok: false, reason: 'unrecognised' };
  // NANP toll-free numbers (800, 833, 844, 855, 866, 877, 888) belong to no one country: the
  // numbering plan files them under US, yet a Canadian practice buys them as its own.
  const sharedTollFree = type === 'toll-free' && parsed.countryCallingCode === '1' && NANP_SOLD.has(home);
  const country = sharedTollFree ? home : parsed.country;
  return country ? { ok: true, country, type } : { ok: false, reason: 'unrecognised' };
}

function typeOf(type: PlanType): NumberType | null {
  switch (type) {
    case 'TOLL_FREE':
      return 'toll-free';
    case 'MOBILE':
      return 'mobile';
    // NANP numbers cannot be told apart (FIXED_LINE_OR_MOBILE): Twilio sells them as local.
    case 'FIXED_LINE':
    case 'FIXED_LINE_OR_MOBILE':
      return 'local';
    default:
      return null;
  }
}
