import type { CallStatus } from '../../shared/cloud/entities';

export type CallDirection = 'inbound' | 'outbound';

/**
 * A call's record moved by Twilio's status callbacks, pure. Callbacks come for the parent call and
 * for each `<Dial>` leg, may repeat and may arrive out of order; the record only moves forward:
 *
 *   queued ──ringing──► ringing
 *   queued/ringing ──a leg answers──► in-progress (answered_at, other leg, and for an inbound call the answering user)
 *   any live ──parent ends──► completed | busy | no-answer | canceled | failed
 *                              inbound that rang users and was never answered → missed
 *                              outbound "completed" without an answer → no-answer
 *   outbound, unanswered ──the callee's leg ends (busy, no answer…)──► that status, ended
 *   outbound, answered ──the callee's leg ends──► completed, ended, duration = the callee's talk time
 *                     (the call is over: nothing follows the <Dial>; this needs no status callback on
 *                     the TwiML app, whose parent-leg callback may come later, or never)
 *   a terminal record keeps its status (a late answer still records answered_at; the end time is kept once set)
 */

/** The statuses Twilio reports in a status callback. */
export type TwilioCallStatus = 'queued' | 'initiated' | 'ringing' | 'in-progress' | 'answered' | 'completed' | 'busy' | 'no-answer' | 'canceled' | 'failed';

export interface CallProgress {
  direction: CallDirection;
  status: CallStatus;
  answeredAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  userId: string | null;
  otherLegSid: string | null;
  rangUserIds: readonly string[];
}

export type StatusCallback =
  /** The parent call (the caller's leg of an inbound call; the softphone's leg of an outbound one). */
  | { leg: 'call'; status: TwilioCallStatus; at: string; durationSeconds?: number | undefined }
  /** A `<Dial>` leg: `to` is `client:<user id>` for a softphone, a number otherwise. */
  | { leg: 'dial'; callSid: string; status: TwilioCallStatus; at: string; to: string; durationSeconds?: number | undefined };

const TERMINAL: ReadonlySet<string> = new Set<CallStatus | TwilioCallStatus>(['completed', 'busy', 'no-answer', 'canceled', 'failed', 'rejected', 'missed']);
export const isTerminal = (status: string): boolean => TERMINAL.has(status);

/**
 * The record after a callback; the very same object when nothing changes (a replay, an older
 * callback). For an inbound call answered by a softphone, `userId` becomes the identity the leg
 * dialled: untrusted input, which the caller must confirm is a user of the call's account.
 */
export function nextCallProgress(call: CallProgress, callback: StatusCallback): CallProgress {
  const ended = isTerminal(call.status);
  switch (callback.leg) {
    case 'dial': {
      const answers = callback.status === 'in-progress' || callback.status === 'answered';
      if (answers && !call.answeredAt) {
        const identity = callback.to.startsWith('client:') ? callback.to.slice('client:'.length) : null;
        return {
          ...call,
          answeredAt: callback.at,
          otherLegSid: callback.callSid,
          status: ended ? call.status : 'in-progress',
          userId: call.direction === 'inbound' && identity ? identity : call.userId,
        };
      }
      if (answers || call.direction !== 'outbound' || ended || !isTerminal(callback.status)) return call;
      if (!call.answeredAt) {
        // The callee was busy, did not answer, or the leg failed.
        return {
          ...call, status: callback.status as CallStatus, otherLegSid: callback.callSid, endedAt: callback.at,
          ...(callback.durationSeconds !== undefined ? { durationSeconds: callback.durationSeconds } : {}),
        };
      }
      if (callback.callSid !== call.otherLegSid) return call;
      // The callee hung up (or was hung up on): the outbound call is over.
      return { ...call, status: 'completed', endedAt: callback.at, durationSeconds: callback.durationSeconds ?? secondsBetween(call.answeredAt, callback.at) };
    }
    case 'call': {
      if (isTerminal(callback.status)) {
        const next: CallProgress = { ...call, endedAt: call.endedAt ?? callback.at };
        // An outbound call's length is its talk time with the callee: once their leg reported it, it stays.
        const keepTalkTime = call.direction === 'outbound' && ended && call.durationSeconds !== null;
        if (callback.durationSeconds !== undefined && !keepTalkTime) next.durationSeconds = callback.durationSeconds;
        if (!ended) next.status = endStatus(call, callback.status);
        return sameProgress(call, next) ? call : next;
      }
      if (call.status === 'queued' && callback.status === 'ringing') return { ...call, status: 'ringing' };
      return call;
    }
  }
}

const secondsBetween = (from: string, to: string): number => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

function endStatus(call: CallProgress, reported: TwilioCallStatus): CallStatus {
  if (call.direction === 'inbound' && !call.answeredAt && call.rangUserIds.length > 0) return 'missed';
  if (call.direction === 'outbound' && !call.answeredAt && reported === 'completed') return 'no-answer';
  return reported as CallStatus;
}

const fields = ['status', 'answeredAt', 'endedAt', 'durationSeconds', 'userId', 'otherLegSid'] as const;
export function sameProgress(a: CallProgress, b: CallProgress): boolean {
  return fields.every((key) => a[key] === b[key]);
}
