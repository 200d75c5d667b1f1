// The form parameters Twilio sends about a call, for voice URLs and status callbacks alike.
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
    ...leg.extraParams,
  };
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
