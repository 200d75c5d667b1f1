import { createAgentSchema, type Agent, type AnswerWhen, type CreateAgentInput } from '../../../shared/cloud/agents';

/** The agent's settings form: its values, their defaults and what the cloud would refuse, in words. */
export const whenLabel: Record<AnswerWhen, string> = {
  always: 'Every call',
  after_hours: 'Outside business hours',
  no_answer: 'When no one answers',
};

export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export interface AgentDraft {
  name: string;
  lineIds: string[];
  answerWhen: AnswerWhen;
  timeZone: string;
  days: number[];
  opens: string;
  closes: string;
  greeting: string;
  goals: string;
  enabled: boolean;
}

export function agentDraft(agent: Agent | null): AgentDraft {
  if (agent) {
    const h = agent.businessHours;
    return { name: agent.name, lineIds: agent.lineIds, answerWhen: agent.answerWhen, timeZone: h.timeZone, days: h.days, opens: h.opens, closes: h.closes, greeting: agent.greeting, goals: agent.goals, enabled: agent.enabled };
  }
  return {
    name: '', lineIds: [], answerWhen: 'after_hours', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', days: [1, 2, 3, 4, 5], opens: '09:00', closes: '17:00',
    greeting: 'Thanks for calling. This is the after-hours assistant. How can I help?', goals: '', enabled: true,
  };
}

const LABELS: Record<string, string> = { name: 'Name', lineIds: 'Lines', greeting: 'Greeting', goals: 'Goals', 'businessHours.timeZone': 'Time zone', 'businessHours.closes': 'Closes', 'businessHours.opens': 'Opens' };

export type AgentDraftResult = { ok: true; input: CreateAgentInput } | { ok: false; problems: string[] };

export function agentDraftToInput(d: AgentDraft): AgentDraftResult {
  const input = {
    name: d.name, lineIds: d.lineIds, answerWhen: d.answerWhen, greeting: d.greeting, goals: d.goals, enabled: d.enabled,
    businessHours: { timeZone: d.timeZone.trim(), days: [...d.days].sort(), opens: d.opens, closes: d.closes },
  };
  const parsed = createAgentSchema.safeParse(input);
  if (parsed.success) return { ok: true, input };
  return {
    ok: false,
    problems: [...new Set(parsed.error.issues.map((i) => `${LABELS[i.path.join('.')] ?? 'Settings'}: ${i.code === 'too_small' && i.minimum === 1 ? 'required' : i.message}`))],
  };
}
