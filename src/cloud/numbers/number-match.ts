import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { MatchAt } from '../../shared/cloud/numbers';

/**
 * "Digit or phrase, matching the first, last or any part of the number" (seed 001), pure.
 * Letters are the digits of a phone keypad (FLOWER → 356937); what Twilio is asked for
 * (`Contains`) and the exact check applied to what it answers are built from the same digits, so
 * a result never contradicts the filter whatever Twilio's own reading of the pattern.
 */

const KEYPAD: Readonly<Record<string, string>> = {
  a: '2', b: '2', c: '2', d: '3', e: '3', f: '3', g: '4', h: '4', i: '4', j: '5', k: '5', l: '5', m: '6',
  n: '6', o: '6', p: '7', q: '7', r: '7', s: '7', t: '8', u: '8', v: '8', w: '9', x: '9', y: '9', z: '9',
};

/** Letters → keypad digits; digits stay; anything else is dropped. */
export function keypadDigits(text: string): string {
  let out = '';
  for (const c of text.toLowerCase()) {
    if (c >= '0' && c <= '9') out += c;
    else if (KEYPAD[c]) out += KEYPAD[c];
  }
  return out;
}

/** Twilio's `Contains` allows 16 characters at most. */
const MAX_CONTAINS = 16;

/**
 * The `Contains` value for a search: `+<country code><digits>` anchors at the start, `<digits>$`
 * at the end, bare digits match anywhere (Twilio's documented meta-characters). Null when there
 * is nothing to match.
 */
export function containsPattern(digits: string, matchAt: MatchAt, country: string): string | null {
  if (digits.length < 2) return null;
  switch (matchAt) {
    case 'first': {
      const anchored = `+${callingCode(country)}${digits}`;
      // Too long to anchor with the country code: ask for the digits anywhere; the exact check narrows it.
      return anchored.length <= MAX_CONTAINS ? anchored : digits.slice(0, MAX_CONTAINS);
    }
    case 'last':
      return digits.length + 1 <= MAX_CONTAINS ? `${digits}$` : digits.slice(-MAX_CONTAINS);
    case 'any':
      return digits.slice(0, MAX_CONTAINS);
  }
}

function callingCode(country: string): string {
  try {
    return getCountryCallingCode(country as CountryCode);
  } catch {
    return '';
  }
}

/** Does the number satisfy the filter? "First" and "last" are about the number as dialled at home (its national number). */
export function matchesNumber(e164: string, digits: string, matchAt: MatchAt): boolean {
  if (digits.length === 0) return true;
  const national = parsePhoneNumberFromString(e164)?.nationalNumber ?? e164.replace(/^\+/, '');
  switch (matchAt) {
    case 'first':
      return national.startsWith(digits);
    case 'last':
      return national.endsWith(digits);
    case 'any':
      return national.includes(digits) || e164.replace(/^\+/, '').includes(digits);
  }
}

/** A three-digit match at the start of a North American number is an area code (what the suggestions work from). */
export function areaCodeOf(country: string, digits: string, matchAt: MatchAt): string | null {
  if ((country === 'US' || country === 'CA') && matchAt === 'first' && /^[2-9]\d{2}$/.test(digits.slice(0, 3)) && digits.length >= 3) return digits.slice(0, 3);
  return null;
}
