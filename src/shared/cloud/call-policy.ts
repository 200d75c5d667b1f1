import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { OUTBOUND_CALLS_PER_USER_HOUR } from './call-policy-limits';

/** Toll-fraud controls of a practice (issue [security]): where calls may go, how many per user and hour. */
const country = z
  .string()
  .trim()
  .toUpperCase()
  .refine((c) => /^[A-Z]{2}$/.test(c) && isSupportedCountry(c), 'A two-letter country code, e.g. US');

export const callPolicySchema = z.object({
  /** The practice's own country: the only destination unless the admin allows more. */
  country: z.string(),
  /** Where outbound calls and transfers may go (always includes what `usingDefault` implies). */
  allowedCountries: z.array(z.string()),
  /** True while no list was set: the practice's own country only. */
  usingDefault: z.boolean(),
  outboundCallsPerUserHour: z.number().int(),
});
export type CallPolicyView = z.infer<typeof callPolicySchema>;

export const updateCallPolicySchema = z
  .object({
    country: country.optional(),
    /** null: back to the default (the practice's own country). */
    allowedCountries: z.array(country).min(1).max(50).nullable().optional(),
    outboundCallsPerUserHour: z.number().int().min(OUTBOUND_CALLS_PER_USER_HOUR.min).max(OUTBOUND_CALLS_PER_USER_HOUR.max).optional(),
  })
  .strict();
export type UpdateCallPolicy = z.infer<typeof updateCallPolicySchema>;

export const callPolicyPath = '/v1/call-policy';
