import type { z } from 'zod';
import type { Dnd } from '../../shared/cloud/entities';
import { taskBlockedReason } from '../../shared/cloud/task-status';
import type { ListedTask, listTasksQuerySchema, Task } from '../../shared/cloud/tasks';
import type { CloudContext, Principal } from '../context';
import type { Queryable } from '../db';
import { UnitOfWork } from '../db/unit-of-work';
import { ApiError, notFound } from '../errors';
import { newId } from '../ids';
import { chooseAssignee } from './assignee';
import { TASK_COLUMNS, toTask } from './rows';

export interface NewTask {
  accountId: string;
  type: 'call' | 'sms';
  contactId: string;
  title: string;
  message?: string | null;
  fromNumberId?: string | null;
  /** The workflow step's "Assign To" (null: the contact owner). */
  selectedUserId?: string | null;
  workflowId?: string | null;
  workflowVersion?: number | null;
  runId?: string | null;
  stepKey?: string | null;
  /** Expires (the sweep marks it expired) this many hours after it is queued; null: never. */
  expiresInHours?: number | null;
}

/**
 * Queues a Manual Actions task (WAVE2-CONTRACTS.md `createTask`), assigned by the seed's fallback
 * (selected user with access → contact owner → Unassigned). Idempotent per workflow step: a step
 * that runs again gets the task it already created. Call it in the caller's transaction; given a
 * unit of work, the new task is synced to the desktops (realtime poke).
 */
export async function createTask(tx: Queryable | { q: Queryable }, input: NewTask): Promise<Task & { assignedBecause: 'selected' | 'owner' | 'unassigned' }> {
  const q = 'q' in tx ? tx.q : tx;
  const contacts = await q.query<{ assigned_user_id: string | null; location_id: string | null; owner_deleted: boolean | null }>(
    `SELECT c.assigned_user_id, c.location_id, (u.deleted_at IS NOT NULL) AS owner_deleted
       FROM contacts c LEFT JOIN users u ON u.id = c.assigned_user_id WHERE c.id = $1 AND c.account_id = $2 AND c.deleted_at IS NULL`,
    [input.contactId, input.accountId],
  );
  const contact = contacts[0];
  if (!contact) throw notFound('Contact');
  if (input.fromNumberId) {
    const number = await q.query(`SELECT 1 FROM phone_numbers WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [input.fromNumberId, input.accountId]);
    if (!number[0]) throw notFound('Phone number');
  }
  const selectedRows = input.selectedUserId
    ? await q.query<{ id: string; role: 'admin' | 'user'; location_ids: string[]; deleted: boolean }>(
        `SELECT id, role, location_ids, (deleted_at IS NOT NULL) AS deleted FROM users WHERE id = $1 AND account_id = $2`,
        [input.selectedUserId, input.accountId],
      )
    : [];
  const s = selectedRows[0];
  const choice = chooseAssignee({
    selected: s ? { id: s.id, role: s.role, locationIds: s.location_ids, deleted: s.deleted } : null,
    ownerId: contact.assigned_user_id,
    ownerDeleted: contact.owner_deleted === true,
    contactLocationId: contact.location_id,
  });
  const id = newId('task');
  const inserted = await q.query<{ id: string }>(
    `INSERT INTO tasks (id, account_id, type, contact_id, title, message, from_number_id, assigned_user_id, selected_user_id, workflow_id, workflow_version, run_id, step_key,
       expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, CASE WHEN $14::int IS NULL THEN NULL ELSE now() + make_interval(hours => $14::int) END)
     ON CONFLICT (run_id, step_key) DO NOTHING RETURNING id`,
    [id, input.accountId, input.type, input.contactId, input.title, input.message ?? null, input.fromNumberId ?? null, choice.userId, s ? input.selectedUserId : null,
      input.workflowId ?? null, input.workflowVersion ?? null, input.runId ?? null, input.stepKey ?? null, input.expiresInHours ?? null],
  );
  const taskId = inserted[0]?.id ?? (await q.query<{ id: string }>(`SELECT id FROM tasks WHERE run_id = $1 AND step_key = $2`, [input.runId, input.stepKey]))[0]!.id;
  if (inserted[0] && tx instanceof UnitOfWork) {
    tx.touch('tasks', taskId);
    await tx.audit(null, 'task.create', 'task', taskId, { assignedBecause: choice.why, runId: input.runId ?? null });
  }
  const rows = await q.query(`SELECT ${TASK_COLUMNS} FROM tasks tk WHERE tk.id = $1`, [taskId]);
  return { ...toTask(rows[0]!), assignedBecause: choice.why };
}

const LISTED_COLUMNS = `${TASK_COLUMNS}, (SELECT c.dnd FROM contacts c WHERE c.id = tk.contact_id) AS contact_dnd`;
const toListed = (r: Record<string, unknown>): ListedTask => {
  const task = toTask(r);
  return { ...task, blockedReason: task.status === 'queued' || task.status === 'in_progress' ? taskBlockedReason(task.type, r.contact_dnd as Dnd | null) : null };
};

/** Oldest first (the queue's order), with why each open task is blocked by the contact's DND. */
export async function listTasks(ctx: CloudContext, principal: Principal, query: z.output<typeof listTasksQuerySchema>): Promise<ListedTask[]> {
  if (query.scope === 'all' && principal.role !== 'admin') throw new ApiError('FORBIDDEN', 'Only admins see every task');
  const params: unknown[] = [principal.accountId, query.limit];
  const where = ['tk.account_id = $1', query.status === 'open' ? `tk.status IN ('queued', 'in_progress')` : `tk.status NOT IN ('queued', 'in_progress')`];
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (query.scope === 'mine') add('tk.assigned_user_id = ?', principal.userId);
  if (query.scope === 'unassigned') where.push('tk.assigned_user_id IS NULL');
  if (query.type) add('tk.type = ?', query.type);
  if (query.workflowId) add('tk.workflow_id = ?', query.workflowId);
  const rows = await ctx.db.query(`SELECT ${LISTED_COLUMNS} FROM tasks tk WHERE ${where.join(' AND ')} ORDER BY tk.created_at, tk.id LIMIT $2`, params);
  return rows.map(toListed);
}

export async function getTask(ctx: CloudContext, principal: Principal, id: string): Promise<ListedTask> {
  const rows = await ctx.db.query(`SELECT ${LISTED_COLUMNS} FROM tasks tk WHERE tk.id = $1 AND tk.account_id = $2`, [id, principal.accountId]);
  if (!rows[0]) throw notFound('Task');
  return toListed(rows[0]);
}
