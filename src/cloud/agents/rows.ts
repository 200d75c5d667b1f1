import { actionConfigSchema, businessHoursSchema, type Agent, type AgentAction } from '../../shared/cloud/agents';
import type { CloudConfig } from '../config';

/** Column lists and row → wire mapping of agents and their action cards. */
export const AGENT_COLUMNS = 'a.id, a.name, a.line_ids, a.answer_when, a.business_hours, a.greeting, a.goals, a.enabled, a.created_at, a.updated_at';
export const ACTION_COLUMNS = 'x.id, x.agent_id, x.phase, x.type, x.name, x.config, x.position';

export type AgentRow = {
  id: string;
  name: string;
  line_ids: string[];
  answer_when: Agent['answerWhen'];
  business_hours: unknown;
  greeting: string;
  goals: string;
  enabled: boolean;
  created_at: Date | string;
  updated_at: Date | string;
};
export type ActionRow = {
  id: string;
  agent_id: string;
  phase: 'during' | 'after';
  type: string;
  name: string;
  config: unknown;
  position: number;
};

const iso = (v: Date | string): string => new Date(v).toISOString();

export function toAction(row: ActionRow): AgentAction {
  return { id: row.id, agentId: row.agent_id, phase: row.phase, name: row.name, config: actionConfigSchema.parse(row.config), position: Number(row.position) };
}

export function toAgent(row: AgentRow, actions: AgentAction[], brain: CloudConfig['ai']['brain']): Agent {
  return {
    id: row.id,
    name: row.name,
    lineIds: row.line_ids,
    answerWhen: row.answer_when,
    businessHours: businessHoursSchema.parse(row.business_hours),
    greeting: row.greeting,
    goals: row.goals,
    enabled: row.enabled,
    actions,
    brain,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
