import { z } from 'zod';
import { e164Schema } from './phone';

/**
 * AI agents and their action cards (`/v1/agents…`). The desktop builder and the cloud share these
 * schemas and the limits below, so the UI's counters and the API's 409 say the same thing.
 */

export const AGENT_LIMITS = {
  /** Actions during the call, all types together. */
  duringTotal: 15,
  /** Book Appointment actions (one per agent). */
  bookings: 1,
  /** Update Contact Fields actions after the call. */
  fieldUpdates: 25,
} as const;

const id = z.string().min(1).max(64);
const condition = z.string().trim().max(300).default('');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM (24-hour)');

export const businessHoursSchema = z
  .object({
    timeZone: z.string().min(1).max(64).refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'Unknown time zone'),
    /** 0 = Sunday … 6 = Saturday. */
    days: z.array(z.number().int().min(0).max(6)).max(7),
    opens: hhmm,
    closes: hhmm,
  })
  .refine((h) => h.opens < h.closes, { message: 'Closing time must be after opening time', path: ['closes'] });
export type BusinessHours = z.infer<typeof businessHoursSchema>;

export const answerWhenSchema = z.enum(['always', 'after_hours', 'no_answer']);
export type AnswerWhen = z.infer<typeof answerWhenSchema>;

export const transferTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), userId: id }),
  z.object({ kind: z.literal('team'), teamId: id }),
  z.object({ kind: z.literal('number'), number: e164Schema }),
]);

/** Contact fields an Update Contact Fields card may write: built-ins or `custom_fields.<key>`. */
export const contactFieldSchema = z.union([
  z.enum(['name', 'email']),
  z.string().regex(/^custom_fields\.[a-z][a-z0-9_]{0,39}$/, 'A custom field is custom_fields.<key> (lowercase letters, digits, _)'),
]);

/** A contact field an Update Contact Fields card can set, as the cloud offers it (GET /v1/agents/options). */
export const agentContactFieldSchema = z.object({ field: contactFieldSchema, label: z.string() });
export type AgentContactField = z.infer<typeof agentContactFieldSchema>;

const headerSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'Header names are letters, digits and -'),
  value: z.string().max(1000),
});

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\])$/i;
/**
 * HTTPS; plain HTTP only to a loopback host (tests and local development). Only the URL's shape:
 * where it leads is the cloud's to check (src/cloud/http/outbound.ts), on save and at each call —
 * the public internet only, loopback only in sandbox mode.
 */
export function isAllowedWebhookUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
  } catch {
    return false;
  }
}

export const actionConfigSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call_transfer'), target: transferTargetSchema, condition }),
  z.object({ type: z.literal('trigger_workflow'), workflowId: id, condition }),
  z.object({ type: z.literal('send_sms'), message: z.string().trim().min(1).max(1000), condition }),
  z.object({
    type: z.literal('book_appointment'),
    providerId: id,
    locationId: id.nullable().default(null),
    calendar: z.string().trim().max(80).default(''),
    /** Durations the caller may choose, in minutes. */
    durations: z.array(z.number().int().min(5).max(480)).min(1).max(6),
    /** The earliest a booking may start, in minutes from now. */
    leadTimeMinutes: z.number().int().min(0).max(60 * 24 * 30).default(60),
    condition,
  }),
  z.object({
    type: z.literal('custom_action'),
    url: z.string().url().refine(isAllowedWebhookUrl, 'The webhook URL must be HTTPS'),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    headers: z.array(headerSchema).max(20).default([]),
    /** A JSON body with {{variables}} (caller, call and the tool's arguments). */
    body: z.string().max(10_000).default(''),
    /** What the agent says with the response ({{response.<path>}} allowed). */
    responseInstruction: z.string().trim().min(1).max(500),
    condition,
  }),
  z.object({ type: z.literal('update_contact_field'), field: contactFieldSchema, instruction: z.string().trim().min(1).max(500) }),
]);
export type AgentActionConfig = z.infer<typeof actionConfigSchema>;
export type AgentActionType = AgentActionConfig['type'];
export type ActionPhase = 'during' | 'after';

/** What an AI agent that answered a call left on it (`calls.agent_*`): shown in History's call details. */
export const callAgentRecordSchema = z.object({
  summary: z.string(),
  transcript: z.array(z.object({ role: z.enum(['agent', 'caller']), text: z.string(), at: z.string() })),
  actions: z.array(z.object({ type: z.string(), name: z.string(), status: z.enum(['done', 'failed', 'refused']), detail: z.string(), at: z.string() })),
});
export type CallAgentRecord = z.infer<typeof callAgentRecordSchema>;

export const phaseOf = (type: AgentActionType): ActionPhase => (type === 'update_contact_field' ? 'after' : 'during');

export const ACTION_TYPE_LABELS: Record<AgentActionType, string> = {
  call_transfer: 'Call Transfer',
  trigger_workflow: 'Trigger Workflow',
  send_sms: 'Send SMS',
  book_appointment: 'Book Appointment',
  custom_action: 'Custom Action (Beta)',
  update_contact_field: 'Update Contact Fields',
};

export const agentActionSchema = z.object({
  id,
  agentId: id,
  phase: z.enum(['during', 'after']),
  name: z.string(),
  config: actionConfigSchema,
  position: z.number().int(),
});
export type AgentAction = z.infer<typeof agentActionSchema>;

export const agentBrainSchema = z.enum(['none', 'scripted', 'openai']);

export const agentSchema = z.object({
  id,
  name: z.string(),
  lineIds: z.array(id),
  answerWhen: answerWhenSchema,
  businessHours: businessHoursSchema,
  greeting: z.string(),
  goals: z.string(),
  enabled: z.boolean(),
  actions: z.array(agentActionSchema),
  /** `none`: the cloud has no brain configured; agent lines ring as usual. */
  brain: agentBrainSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Agent = z.infer<typeof agentSchema>;

/** What the builder needs before any agent exists: whether a brain answers, and the fields a card can set. */
export const agentOptionsSchema = z.object({ brain: agentBrainSchema, contactFields: z.array(agentContactFieldSchema) });
export type AgentOptionsResponse = z.infer<typeof agentOptionsSchema>;

const agentFields = {
  name: z.string().trim().min(1).max(80),
  lineIds: z.array(id).max(50).refine((ids) => new Set(ids).size === ids.length, 'A line is listed twice'),
  answerWhen: answerWhenSchema,
  businessHours: businessHoursSchema,
  greeting: z.string().trim().min(1).max(500),
  goals: z.string().trim().max(2000),
  enabled: z.boolean(),
};
export const createAgentSchema = z.object({
  ...agentFields,
  lineIds: agentFields.lineIds.default([]),
  goals: agentFields.goals.default(''),
  enabled: agentFields.enabled.default(true),
});
export type CreateAgentInput = z.input<typeof createAgentSchema>;
export const updateAgentSchema = z.object(agentFields).partial().refine((b) => Object.keys(b).length > 0, 'Nothing to change');
export type UpdateAgentInput = z.input<typeof updateAgentSchema>;

export const actionNameSchema = z.string().trim().min(1).max(60);
export const createActionSchema = z.object({ name: actionNameSchema, config: actionConfigSchema });
export type CreateActionInput = z.input<typeof createActionSchema>;
export const updateActionSchema = z.object({ name: actionNameSchema.optional(), config: actionConfigSchema.optional() }).refine((b) => b.name !== undefined || b.config !== undefined, 'Nothing to change');

export interface ActionCounts {
  during: number;
  bookings: number;
  fieldUpdates: number;
}

export function countActions(actions: ReadonlyArray<{ config: { type: AgentActionType } }>): ActionCounts {
  let during = 0;
  let bookings = 0;
  let fieldUpdates = 0;
  for (const a of actions) {
    if (a.config.type === 'update_contact_field') fieldUpdates++;
    else during++;
    if (a.config.type === 'book_appointment') bookings++;
  }
  return { during, bookings, fieldUpdates };
}

/**
 * Why one more action of `type` is not allowed, or null when it is. `replacing` is the type of the
 * card being edited (an edit that keeps or changes the type counts the card once).
 */
export function actionLimitProblem(counts: ActionCounts, type: AgentActionType, replacing: AgentActionType | null = null): string | null {
  const next = { ...counts };
  if (replacing) {
    if (replacing === 'update_contact_field') next.fieldUpdates--;
    else next.during--;
    if (replacing === 'book_appointment') next.bookings--;
  }
  if (type === 'update_contact_field') {
    return next.fieldUpdates >= AGENT_LIMITS.fieldUpdates ? `An agent can have at most ${AGENT_LIMITS.fieldUpdates} contact-field updates after the call; delete one first.` : null;
  }
  if (type === 'book_appointment' && next.bookings >= AGENT_LIMITS.bookings) return 'An agent can have only 1 Book Appointment action; edit the one it has.';
  if (next.during >= AGENT_LIMITS.duringTotal) return `An agent can have at most ${AGENT_LIMITS.duringTotal} actions during the call; delete one first.`;
  return null;
}
