import { AsYouType, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** The practice's home country for numbers typed without a +country code. */
export const DEFAULT_COUNTRY: CountryCode = 'US';

/**
 * Formatted numbers, remembered: parsing finds the number's country by matching it against each
 * country of its calling code (~0.3–1 ms for a +1 number), and a ringing call's number is formatted
 * by several parts of the screen in the frame that must paint it at once (issue #21).
 */
const formatted = new Map<string, string>();
const FORMATTED_MAX = 1_000;

/** "(415) 555-0123" for home-country numbers, "+44 20 7183 8750" for the rest; raw input otherwise. */
export function formatPhone(raw: string | null | undefined, country: CountryCode = DEFAULT_COUNTRY): string {
  if (!raw) return '';
  const key = `${country} ${raw}`;
  const known = formatted.get(key);
  if (known !== undefined) return known;
  const parsed = parsePhoneNumberFromString(raw, country);
  const text = !parsed ? raw : parsed.country === country ? parsed.formatNational() : parsed.formatInternational();
  if (formatted.size >= FORMATTED_MAX) formatted.clear();
  formatted.set(key, text);
  return text;
}

/** Formats as the receptionist types or pastes. */
export function formatAsYouType(input: string, country: CountryCode = DEFAULT_COUNTRY): string {
  return new AsYouType(country).input(input);
}

export type DialTarget = { ok: true; e164: string; display: string } | { ok: false; reason: string };

/**
 * Whether a typed or pasted string is a number we may dial. Pasted text is forgiving: "Call
 * (415) 555-0123 ext 4" keeps the number; letters-only input and short codes are refused with why.
 */
export function parseDialTarget(input: string, country: CountryCode = DEFAULT_COUNTRY): DialTarget {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, reason: 'Enter a phone number.' };
  const cleaned = trimmed.replace(/(ext|x|#)\.?\s*\d+$/i, '').replace(/[^\d+]/g, '');
  if (cleaned.replace('+', '').length < 7) return { ok: false, reason: 'That number is too short.' };
  const parsed = parsePhoneNumberFromString(cleaned, country);
  if (!parsed || !parsed.isValid()) return { ok: false, reason: 'That is not a valid phone number. Check the digits and the country code.' };
  return { ok: true, e164: parsed.number, display: formatPhone(parsed.number, country) };
}

/** Keeps only what a dial pad can produce (digits, +, *, #), for DTMF. */
export function dtmfDigits(input: string): string {
  return input.replace(/[^0-9*#]/g, '');
}
