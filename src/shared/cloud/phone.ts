import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Normalises a phone number to E.164, or returns null when it is not a valid number. */
export function toE164(input: string, defaultCountry: 'US' | undefined = undefined): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}

const E164_SHAPE = /^\+[1-9]\d{6,14}$/;

/** A valid phone number already written in E.164 (`+13105550100`); anything else is refused. */
export const e164Schema = z
  .string()
  .max(20)
  .refine((value) => E164_SHAPE.test(value) && toE164(value) === value, {
    message: 'Must be a valid phone number in E.164 form, e.g. +13105550100',
  });

/**
 * A number the cloud stored after e164Schema accepted it, as it comes back in a sync pull: only
 * its E.164 shape is checked. libphonenumber's validity check on every pulled contact cost ~0.3 s
 * of a 100,000-call first sync, and a number valid when it was saved must not make the desktop
 * refuse the whole page because a later library version's metadata disagrees.
 */
export const storedE164Schema = z.string().regex(E164_SHAPE, 'Must be a phone number in E.164 form, e.g. +13105550100');
export type E164 = z.infer<typeof e164Schema>;
