import { z } from 'zod';
import { callOutcomeSchema, taskSchema } from '../cloud/tasks';

/**
 * IPC channels of the Manual Actions queue (issue [manual-actions]). Merged into `ipcChannels` by
 * contract.ts; the tasks feature owns this file. Everything reads and writes the local cache: the
 * queue works offline and each action reaches the cloud exactly once through the outbox.
 */

const id = z.string().min(1).max(64);

/** A task as the queue shows it: names resolved from the cache, blocked by the contact's DND. */
export const cachedTaskSchema = taskSchema.extend({
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  assignedUserName: z.string().nullable(),
  blockedReason: z.string().nullable(),
  /** An action on it waits in the outbox. */
  pending: z.boolean(),
  /** Its text waits in the outbox to be sent (the cloud completes the task once Twilio accepts it). */
  sending: z.boolean().default(false),
});
export type CachedTask = z.infer<typeof cachedTaskSchema>;

export const taskListFilterSchema = z
  .object({
    scope: z.enum(['mine', 'unassigned', 'all']).default('mine'),
    status: z.enum(['open', 'finished']).default('open'),
    type: z.enum(['call', 'sms']).optional(),
    workflowId: id.optional(),
    limit: z.number().int().min(1).max(1000).default(500),
  })
  .strict();
export type TaskListFilter = z.input<typeof taskListFilterSchema>;

export const tasksViewSchema = z.object({
  items: z.array(cachedTaskSchema),
  /** The badge (tab and tray): the signed-in user's open tasks. */
  openCount: z.number().int(),
  /** Workflows that have tasks here, for the filter. */
  workflows: z.array(z.object({ id, name: z.string() })),
});
export type TasksView = z.infer<typeof tasksViewSchema>;

export const taskActSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('claim'), taskId: id }),
  z.object({ action: z.literal('start'), taskId: id }),
  z.object({
    action: z.literal('finish'),
    taskId: id,
    outcome: z.enum(['completed', 'skipped', 'cancelled']),
    reason: z.string().trim().min(1).max(500).optional(),
    callId: id.optional(),
    callOutcome: callOutcomeSchema.optional(),
    dispositionId: id.optional(),
    note: z.string().max(4000).optional(),
  }),
  /** A text task: send the message as edited (completes the task once Twilio accepts it). */
  z.object({ action: z.literal('sendText'), taskId: id, message: z.string().trim().min(1, 'The text is empty').max(1600) }),
]);
export type TaskAct = z.infer<typeof taskActSchema>;

/** A global hotkey for the queue, sent by main to the window (which it shows). */
export const tasksCommandSchema = z.object({ kind: z.enum(['nextTask', 'skipTask', 'completeTask']) });
export type TasksCommand = z.infer<typeof tasksCommandSchema>;

export const tasksChannels = {
  'tasks.list': { input: taskListFilterSchema.optional(), output: tasksViewSchema },
  /** Claim, start (Let's Start) or finish: checked against the cached task, applied at once, queued for the cloud. */
  'tasks.act': { input: taskActSchema, output: z.object({ task: cachedTaskSchema.nullable() }) },
} as const;
