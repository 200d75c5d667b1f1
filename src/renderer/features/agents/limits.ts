import { AGENT_LIMITS, actionLimitProblem, countActions, type AgentAction, type AgentActionType } from '../../../shared/cloud/agents';

/**
 * The builder's counters and refusals. They come from the same `actionLimitProblem` the cloud runs
 * under the agent's row lock, so the desktop refuses the 16th action with the sentence the cloud's
 * 409 would carry, before asking it.
 */
export interface Counter {
  key: 'during' | 'bookings' | 'fieldUpdates';
  text: string;
  tooltip: string;
  full: boolean;
}

export function agentCounters(actions: readonly AgentAction[]): { during: Counter; bookings: Counter; fieldUpdates: Counter } {
  const c = countActions(actions);
  return {
    during: {
      key: 'during',
      text: `${c.during} of ${AGENT_LIMITS.duringTotal}`,
      tooltip: `Up to ${AGENT_LIMITS.duringTotal} actions during a call, all types together (Book Appointment included).`,
      full: c.during >= AGENT_LIMITS.duringTotal,
    },
    bookings: {
      key: 'bookings',
      text: `${c.bookings} of ${AGENT_LIMITS.bookings} booking`,
      tooltip: 'Only 1 Book Appointment action per agent: one calendar the agent books into.',
      full: c.bookings >= AGENT_LIMITS.bookings,
    },
    fieldUpdates: {
      key: 'fieldUpdates',
      text: `${c.fieldUpdates} of ${AGENT_LIMITS.fieldUpdates} field updates`,
      tooltip: `Up to ${AGENT_LIMITS.fieldUpdates} Update Contact Fields actions after a call, one contact field each.`,
      full: c.fieldUpdates >= AGENT_LIMITS.fieldUpdates,
    },
  };
}

/** Why a new card of `type` (or `editing` changed to it) cannot be saved, or null. */
export function limitRefusal(actions: readonly AgentAction[], type: AgentActionType, editing: AgentAction | null = null): string | null {
  return actionLimitProblem(countActions(actions), type, editing ? editing.config.type : null);
}
