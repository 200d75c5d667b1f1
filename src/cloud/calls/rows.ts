import type { CallAgentRecord } from '../../shared/cloud/agents';
import type { Call } from '../../shared/cloud/entities';
import { text, textOrNull, int, intOrNull, textArray, type Row } from '../db/columns';

/** What the AI agent left on the call (after-call.ts writes all three at once); absent for every other call. */
function agentRecord(r: Row): Pick<Call, 'agent'> {
  if (typeof r.agent_summary !== 'string') return {};
  const actions = Array.isArray(r.agent_actions) ? (r.agent_actions as Array<CallAgentRecord['actions'][number] & { actionId?: string }>) : [];
  return {
    agent: {
      summary: r.agent_summary,
      transcript: Array.isArray(r.agent_transcript) ? (r.agent_transcript as CallAgentRecord['transcript']) : [],
      // The card ids stay in the cloud: a receptionist's History needs what happened, not the agent's config.
      actions: actions.map(({ type, name, status, detail, at }) => ({ type, name, status, detail, at })),
    },
  };
}

/** A calls row → the wire entity. */
export const CALL_COLUMNS = `k.id, k.account_id, k.location_id, k.twilio_call_sid, k.direction, k.source, k.from_number, k.to_number, k.phone_number_id, k.user_id,
  k.contact_id, k.rang_user_ids, k.status, k.started_at, k.answered_at, k.ended_at, k.duration_seconds, k.recordings, k.disposition_id, k.note, k.seq,
  k.agent_summary, k.agent_transcript, k.agent_actions, k.task_id, k.task_outcome`;
export const toCall = (r: Row): Call => ({
  id: text(r.id),
  accountId: text(r.account_id),
  locationId: textOrNull(r.location_id),
  twilioCallSid: textOrNull(r.twilio_call_sid),
  direction: r.direction === 'outbound' ? 'outbound' : 'inbound',
  source: (r.source ?? 'softphone') as Call['source'],
  from: text(r.from_number),
  to: text(r.to_number),
  phoneNumberId: textOrNull(r.phone_number_id),
  userId: textOrNull(r.user_id),
  contactId: textOrNull(r.contact_id),
  rangUserIds: textArray(r.rang_user_ids),
  status: text(r.status) as Call['status'],
  startedAt: text(r.started_at),
  answeredAt: textOrNull(r.answered_at),
  endedAt: textOrNull(r.ended_at),
  durationSeconds: intOrNull(r.duration_seconds),
  recordings: Array.isArray(r.recordings) ? (r.recordings as Call['recordings']) : [],
  dispositionId: textOrNull(r.disposition_id),
  note: textOrNull(r.note),
  ...agentRecord(r),
  // Only on calls placed for a Manual Actions task (absent for every other call, as on older clouds).
  ...(typeof r.task_id === 'string' ? { taskId: r.task_id, taskOutcome: textOrNull(r.task_outcome) as Call['taskOutcome'] } : {}),
  seq: int(r.seq),
});
