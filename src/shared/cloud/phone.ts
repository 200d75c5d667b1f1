import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Normalises a phone number to E.164, or returns null when it is not a valid number. */
export function toE164(input: string, defaultCountry: 'US' | undefined = undefined): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}

/** A valid phone number already written in E.164 (`+13105550100`); anything else is refused. */
export const e164Schema = z
  .string()
  .max(20)
  .refine((value) => /^\+[1-9]\d{6,14}$/.test(value) && toE164(value) === value, {
    message: 'Must be a valid phone number in E.164 form, e.g. +13105550100',
  });
export type E164 = z.infer<typeof e164Schema>;
