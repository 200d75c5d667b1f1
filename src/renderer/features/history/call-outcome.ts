import { callOutcomeLabels } from '../../../shared/cloud/call-outcomes';
import type { CallListItemView } from '../../../shared/ipc/views';

export type OutcomeKind = 'answered' | 'in-progress' | 'missed' | 'voicemail' | 'blocked' | 'busy' | 'unanswered' | 'failed';

export interface CallOutcome {
  kind: OutcomeKind;
  /** What the row and the details say about how the call went. */
  label: string;
  /** Seconds it rang before it was answered, or until it stopped ringing (null when unknown). */
  ringSeconds: number | null;
  /** Seconds of conversation: only for answered calls (a voicemail's length is not talk time). */
  talkSeconds: number | null;
}

const seconds = (from: string | null, to: string | null): number | null => {
  if (!from || !to) return null;
  const ms = new Date(to).getTime() - new Date(from).getTime();
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms / 1000) : null;
};

/**
 * How a call went, in a receptionist's words, with honest lengths: ring time and talk time are
 * separate, and a blocked, rejected or sent-to-voicemail call never shows its total as a talk time.
 */
export function callOutcome(item: CallListItemView): CallOutcome {
  const { call } = item;
  const voicemail = call.recordings.some((r) => r.kind === 'voicemail');
  const ring = seconds(call.startedAt, call.answeredAt ?? call.endedAt);
  const base = { ringSeconds: ring, talkSeconds: null };
  switch (call.status) {
    case 'rejected':
      return { kind: 'blocked', label: 'Blocked (Do Not Disturb)', ringSeconds: 0, talkSeconds: null };
    case 'missed':
      return voicemail ? { kind: 'voicemail', label: 'Sent to voicemail', ...base } : { kind: 'missed', label: 'Missed', ...base };
    case 'busy':
      return { kind: 'busy', label: call.direction === 'inbound' ? 'Rejected' : 'Busy', ...base };
    case 'no-answer':
    case 'canceled':
      return { kind: 'unanswered', label: call.direction === 'inbound' ? 'Missed' : 'No answer', ...base };
    case 'failed':
      return { kind: 'failed', label: 'Failed', ...base };
    case 'queued':
    case 'ringing':
    case 'in-progress':
      return { kind: 'in-progress', label: call.status === 'in-progress' ? 'In progress' : 'Ringing', ringSeconds: null, talkSeconds: null };
    case 'completed': {
      if (!call.answeredAt && call.direction === 'inbound') return { kind: voicemail ? 'voicemail' : 'missed', label: voicemail ? 'Sent to voicemail' : 'Missed', ...base };
      const talk = seconds(call.answeredAt, call.endedAt) ?? call.durationSeconds;
      return { kind: 'answered', label: 'Answered', ringSeconds: call.answeredAt ? ring : null, talkSeconds: talk };
    }
  }
}

/**
 * What the receptionist logged for a call placed from the Manual Actions queue when it was not a
 * disposition (No answer / Left voicemail / Wrong number): shown where a disposition would be.
 */
export function taskOutcomeLabel(item: CallListItemView): string | null {
  const outcome = item.call.taskOutcome;
  return outcome && outcome !== 'disposition' ? callOutcomeLabels[outcome] : null;
}

/** Calls the softphone did not carry: logged from an outside dialer (Log External Call) or placed by a workflow's Call action. */
export function callSourceLabel(call: Pick<CallListItemView['call'], 'source'>): string | null {
  if (call.source === 'external') return 'External';
  if (call.source === 'workflow') return 'Workflow';
  return null;
}
