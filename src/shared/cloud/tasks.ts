import { z } from 'zod';
import { callOutcomes } from './call-outcomes';

/** Manual Actions tasks (Manual SMS / Manual Call): the wire entity and request bodies of `/v1/tasks…`. */
const id = z.string().min(1).max(64);

export const taskStatuses = ['queued', 'in_progress', 'completed', 'skipped', 'cancelled', 'expired'] as const;
export const taskStatusSchema = z.enum(taskStatuses);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

export { callOutcomes, callOutcomeLabels, type CallOutcome } from './call-outcomes';
export const callOutcomeSchema = z.enum(callOutcomes);

export const taskSchema = z.object({
  id,
  accountId: id,
  type: z.enum(['call', 'sms']),
  contactId: id,
  title: z.string(),
  message: z.string().nullable(),
  fromNumberId: id.nullable(),
  /** Who works it; null: Unassigned. */
  assignedUserId: id.nullable(),
  workflowId: id.nullable(),
  /** The workflow's name when the task was read (the queue's Workflow column); null outside workflows. */
  workflowName: z.string().nullable().default(null),
  runId: id.nullable(),
  status: taskStatusSchema,
  reason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().nullable().default(null),
  startedBy: id.nullable().default(null),
  finishedAt: z.string().nullable(),
  finishedBy: id.nullable().default(null),
  /** Call tasks: the call placed for it and how it ended (a disposition, or no answer / voicemail / wrong number). */
  callId: id.nullable().default(null),
  callOutcome: callOutcomeSchema.nullable().default(null),
  dispositionId: id.nullable().default(null),
  note: z.string().nullable().default(null),
  /** Text tasks: the message sent for it (the contact's history row) and how far it got; the error when Twilio refused it. */
  messageId: id.nullable().default(null),
  messageStatus: z.string().nullable().default(null),
  messageError: z.string().nullable().default(null),
  /** When an open task is marked expired by the cloud's sweep (null: never). */
  expiresAt: z.string().nullable().default(null),
  seq: z.number().int(),
});
export type Task = z.infer<typeof taskSchema>;

/** A task as the queue lists it: with why it is blocked right now (the contact's Do Not Disturb). */
export const listedTaskSchema = taskSchema.extend({ blockedReason: z.string().nullable() });
export type ListedTask = z.infer<typeof listedTaskSchema>;

const finishFields = z
  .object({
    outcome: z.enum(['completed', 'skipped', 'cancelled']),
    /** Required to skip or cancel: why, in the worker's words (the execution log shows it). */
    reason: z.string().trim().min(1).max(500).optional(),
    /** Call tasks: the call placed for the task (stored on it; the outcome goes on the call record). */
    callId: id.optional(),
    callOutcome: callOutcomeSchema.optional(),
    dispositionId: id.optional(),
    note: z.string().max(4000).optional(),
  })
  .strict();
type FinishFields = z.infer<typeof finishFields>;
const finishRules = <T extends z.ZodType<FinishFields>>(schema: T) =>
  schema
    .refine((b) => b.outcome === 'completed' || b.reason !== undefined, { message: 'Say why the task is skipped or cancelled', path: ['reason'] })
    .refine((b) => b.callOutcome !== 'disposition' || b.dispositionId !== undefined, { message: 'Choose the disposition', path: ['dispositionId'] })
    .refine((b) => b.dispositionId === undefined || b.callOutcome === 'disposition' || b.callOutcome === undefined, {
      message: 'A disposition goes with the outcome "disposition"', path: ['dispositionId'],
    });
export const finishTaskSchema = finishRules(finishFields);
export type FinishTask = z.infer<typeof finishTaskSchema>;
/** The same, as an outbox mutation's payload (names the task). */
export const finishTaskPayloadSchema = finishRules(finishFields.extend({ taskId: id }));

/** `POST /v1/tasks/:id/text`: a text task's message as the receptionist edited it, sent from the practice's number. */
export const sendTaskTextSchema = z.object({ message: z.string().trim().min(1, 'The text is empty').max(1600) }).strict();
export const sendTaskTextPayloadSchema = sendTaskTextSchema.extend({ taskId: id }).strict();

export const listTasksQuerySchema = z.object({
  /** `mine` (default), `unassigned`, or `all` (admins). */
  scope: z.enum(['mine', 'unassigned', 'all']).default('mine'),
  status: z.enum(['open', 'finished']).default('open'),
  type: z.enum(['call', 'sms']).optional(),
  workflowId: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `POST /v1/tasks` (admins): a task queued by hand, assigned by the same fallback as a workflow's. */
export const createTaskSchema = z
  .object({
    type: z.enum(['call', 'sms']),
    contactId: id,
    title: z.string().trim().min(1).max(200),
    message: z.string().trim().min(1).max(1600).optional(),
    fromNumberId: id.optional(),
    assignToUserId: id.optional(),
    /** Marked expired by the cloud's sweep if still open this many hours after it was queued. */
    expiresInHours: z.number().int().min(1).max(24 * 90).optional(),
  })
  .strict()
  .refine((b) => b.type === 'call' || b.message !== undefined, { message: 'A text task needs its message', path: ['message'] });
