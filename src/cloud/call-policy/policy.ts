import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Toll-fraud controls (issue [security], "Also"): which countries a practice's outbound calls and
 * transfers may reach, and how many a user may place per hour. PURE: the store loads the facts,
 * asks here, and records the answer. Table tests in `policy.test.ts`.
 */
export interface CallPolicy {
  /** The practice's own country (ISO 3166-1 alpha-2). */
  country: string;
  /** Countries calls may reach; null: the practice's own country only. */
  allowedCountries: string[] | null;
  outboundCallsPerUserHour: number;
}

export type DialDecision =
  | { ok: true; country: string }
  | { ok: false; code: 'CALL_DESTINATION_NOT_ALLOWED' | 'OUTBOUND_CALL_LIMIT'; message: string; country: string | null };

export const allowedCountriesOf = (policy: CallPolicy): string[] => policy.allowedCountries ?? [policy.country];

const regionName = (country: string): string => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(country) ?? country;
  } catch {
    return country;
  }
};

/**
 * Whether a dial out to `to` (E.164) is allowed, given the user's dials in the last hour. The
 * country comes from the number itself (libphonenumber: +1 876… is Jamaica, not the US), and a
 * number whose country cannot be told is refused.
 */
export function decideDial(policy: CallPolicy, to: string, dialsLastHour: number): DialDecision {
  const country = parsePhoneNumberFromString(to)?.country ?? null;
  const allowed = allowedCountriesOf(policy);
  if (!country || !allowed.includes(country)) {
    const where = country ? `${regionName(country)} (${country})` : 'that destination';
    return {
      ok: false,
      code: 'CALL_DESTINATION_NOT_ALLOWED',
      country,
      message: `Calls to ${where} are not allowed for your practice. An admin can allow more countries under Settings → Call policy.`,
    };
  }
  if (dialsLastHour >= policy.outboundCallsPerUserHour) {
    return {
      ok: false,
      code: 'OUTBOUND_CALL_LIMIT',
      country,
      message: `You have placed ${policy.outboundCallsPerUserHour} outbound calls in the last hour, your practice's limit. Try again later, or ask an admin to raise it.`,
    };
  }
  return { ok: true, country };
}
