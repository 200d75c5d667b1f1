/**
 * What a call counts as in Call Reporting, decided from the facts stored on it. This function is
 * the reference: the cloud's generated column `calls.report_status` and the cache's SQL say the
 * same thing in SQL, and tests hold all three to it.
 *
 * - answered   someone at the practice talked with the other party (an inbound call a user picked
 *              up; an outbound call the callee picked up)
 * - missed     an inbound call that reached the practice, was answered by no one, and left no voicemail
 * - voicemail  the same, but the caller left a voicemail
 * - blocked    refused without ringing anyone (the contact has call Do Not Disturb)
 * - external   handled outside the softphone: forwarded to an outside phone, or logged by hand
 * - no_answer  an outbound call the callee did not pick up (busy, no answer, failed, cancelled)
 * - live       still ringing (not answered, not ended)
 */
export const REPORT_STATUSES = ['answered', 'missed', 'voicemail', 'blocked', 'external', 'no_answer', 'live'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** How a call came to be. Tasks' Manual Call and automation's workflow calls set theirs when they create the call. */
export const CALL_SOURCES = ['softphone', 'manual_task', 'workflow', 'external'] as const;
export type CallSource = (typeof CALL_SOURCES)[number];

export interface ClassifiableCall {
  direction: 'inbound' | 'outbound';
  status: string;
  source: CallSource;
  answeredAt: string | null;
  endedAt: string | null;
  recordings: readonly { kind: string }[];
}

const LIVE_STATUSES: ReadonlySet<string> = new Set(['queued', 'ringing', 'in-progress']);

export function reportStatusOf(call: ClassifiableCall): ReportStatus {
  if (call.status === 'rejected') return 'blocked';
  if (call.source === 'external') return 'external';
  if (call.answeredAt !== null) return 'answered';
  if (call.endedAt === null && LIVE_STATUSES.has(call.status)) return 'live';
  if (call.direction === 'outbound') return 'no_answer';
  if (call.recordings.some((r) => r.kind === 'voicemail')) return 'voicemail';
  return 'missed';
}

/** Unanswered inbound calls: what "missed" means on the tiles and the missed-calls heat map. */
export const isMissed = (status: ReportStatus): boolean => status === 'missed' || status === 'voicemail';

const seconds = (fromIso: string, toIso: string): number => Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));

/** Time to answer (answered calls only). */
export const ringSecondsOf = (call: { startedAt: string; answeredAt: string | null }): number | null =>
  call.answeredAt === null ? null : seconds(call.startedAt, call.answeredAt);

/** Talk time: answer to end (answered, ended calls only). */
export const talkSecondsOf = (call: { answeredAt: string | null; endedAt: string | null }): number | null =>
  call.answeredAt === null || call.endedAt === null ? null : seconds(call.answeredAt, call.endedAt);
