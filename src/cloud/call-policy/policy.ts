import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Toll-fraud controls (issue [security], "Also"): which countries a practice's outbound calls,
 * transfers and texts may reach, and how many calls a user may place per hour. PURE: the store
 * loads the facts, asks here, and records the answer. Table tests in `policy.test.ts`.
 */
export interface CallPolicy {
  /** The practice's own country (ISO 3166-1 alpha-2). */
  country: string;
  /** Countries calls may reach; null: the practice's own country only. */
  allowedCountries: string[] | null;
  outboundCallsPerUserHour: number;
}

export type DestinationRefusal = { ok: false; code: 'CALL_DESTINATION_NOT_ALLOWED'; message: string; country: string | null; to: string };
export type DestinationDecision = { ok: true; country: string } | DestinationRefusal;

export type DialDecision =
  | { ok: true; country: string }
  | DestinationRefusal
  | { ok: false; code: 'OUTBOUND_CALL_LIMIT'; message: string; country: string; to: string; limit: number };

export const allowedCountriesOf = (policy: CallPolicy): string[] => policy.allowedCountries ?? [policy.country];

const regionName = (country: string): string => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(country) ?? country;
  } catch {
    return country;
  }
};

/**
 * Whether a call or a text (SMS, WhatsApp) may go to `to` (E.164). The country comes from the
 * number itself (libphonenumber: +1 876… is Jamaica, not the US), and a number whose country
 * cannot be told is refused. Texts follow the calls' list: SMS pumping is the texting form of the
 * same fraud, and an admin keeps one list of where the practice's traffic may go.
 */
export function decideDestination(policy: CallPolicy, to: string, what: 'call' | 'text'): DestinationDecision {
  const country = parsePhoneNumberFromString(to)?.country ?? null;
  if (country && allowedCountriesOf(policy).includes(country)) return { ok: true, country };
  const where = country ? `${regionName(country)} (${country})` : 'that destination';
  return {
    ok: false,
    code: 'CALL_DESTINATION_NOT_ALLOWED',
    country,
    to,
    message: `${what === 'call' ? 'Calls' : 'Texts'} to ${where} are not allowed for your practice. An admin can allow more countries under Settings → Call policy.`,
  };
}

/** Whether a dial out to `to` (E.164) is allowed: its destination, then the user's dials in the last hour. */
export function decideDial(policy: CallPolicy, to: string, dialsLastHour: number): DialDecision {
  const destination = decideDestination(policy, to, 'call');
  if (!destination.ok) return destination;
  if (dialsLastHour >= policy.outboundCallsPerUserHour) {
    return {
      ok: false,
      code: 'OUTBOUND_CALL_LIMIT',
      country: destination.country,
      to,
      limit: policy.outboundCallsPerUserHour,
      message: `You have placed ${policy.outboundCallsPerUserHour} outbound calls in the last hour, your practice's limit. Try again later, or ask an admin to raise it.`,
    };
  }
  return destination;
}
