// The form parameters Twilio sends about a call, for voice URLs and status callbacks alike.
import { geoOf } from '../state/numbering-plan';
import type { CallLeg } from './call-leg';

export const API_VERSION = '2010-04-01';

export function callParams(leg: CallLeg): Record<string, string> {
  return {
    AccountSid: leg.accountSid,
    ApiVersion: API_VERSION,
    CallSid: leg.sid,
    CallStatus: leg.status,
    Called: leg.to,
    Caller: leg.from,
    Direction: leg.direction,
    From: leg.from,
    To: leg.to,
    ...(leg.parentCallSid ? { ParentCallSid: leg.parentCallSid } : {}),
    ...geoParams(leg.from, ['From', 'Caller']),
    ...geoParams(leg.to, ['To', 'Called']),
    ...leg.extraParams,
  };
}

/**
 * Twilio's geographic parameters for a phone number (FromCity, FromState, FromZip, FromCountry and
 * the same for Caller/To/Called), looked up in the sandbox's numbering plan. A Client identity or
 * SIP address has none.
 */
export function geoParams(party: string, prefixes: readonly string[]): Record<string, string> {
  const geo = geoOf(party);
  if (!geo) return {};
  const out: Record<string, string> = {};
  for (const p of prefixes) {
    out[`${p}City`] = geo.city;
    out[`${p}State`] = geo.state;
    out[`${p}Zip`] = geo.zip;
    out[`${p}Country`] = geo.country;
  }
  return out;
}

const EVENT_OF_STATUS: Record<string, string> = {
  initiated: 'initiated',
  ringing: 'ringing',
  'in-progress': 'answered',
  completed: 'completed',
  busy: 'completed',
  'no-answer': 'completed',
  failed: 'completed',
  canceled: 'completed',
};

export function statusCallbackEventOf(status: string): string | undefined {
  return EVENT_OF_STATUS[status];
}
