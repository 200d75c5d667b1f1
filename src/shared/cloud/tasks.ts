import { z } from 'zod';

/** Manual Actions tasks (Manual SMS / Manual Call): the wire entity and request bodies of `/v1/tasks…`. */
const id = z.string().min(1).max(64);

export const taskStatuses = ['queued', 'in_progress', 'completed', 'skipped', 'cancelled', 'expired'] as const;
export const taskStatusSchema = z.enum(taskStatuses);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

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
  runId: id.nullable(),
  status: taskStatusSchema,
  reason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  seq: z.number().int(),
});
export type Task = z.infer<typeof taskSchema>;

export const finishTaskSchema = z
  .object({
    outcome: z.enum(['completed', 'skipped', 'cancelled']),
    /** Required to skip or cancel: why, in the worker's words (the execution log shows it). */
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .strict()
  .refine((b) => b.outcome === 'completed' || b.reason !== undefined, { message: 'Say why the task is skipped or cancelled', path: ['reason'] });

export const listTasksQuerySchema = z.object({
  /** `mine` (default), `unassigned`, or `all` (admins). */
  scope: z.enum(['mine', 'unassigned', 'all']).default('mine'),
  status: z.enum(['open', 'finished']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
