import type { z } from 'zod';
import type { listTasksQuerySchema, Task } from '../../shared/cloud/tasks';
import type { CloudContext, Principal } from '../context';
import type { Queryable } from '../db';
import type { UnitOfWork } from '../db/unit-of-work';
import { ApiError, notFound } from '../errors';
import { recordDomainEvent } from '../events/domain-events';
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
}

/**
 * Queues a Manual Actions task (WAVE2-CONTRACTS.md `createTask`), assigned by the seed's fallback
 * (selected user with access → contact owner → Unassigned). Idempotent per workflow step: a step
 * that runs again gets the task it already created. Call it in the caller's transaction.
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
    `INSERT INTO tasks (id, account_id, type, contact_id, title, message, from_number_id, assigned_user_id, selected_user_id, workflow_id, workflow_version, run_id, step_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (run_id, step_key) DO NOTHING RETURNING id`,
    [id, input.accountId, input.type, input.contactId, input.title, input.message ?? null, input.fromNumberId ?? null, choice.userId, input.selectedUserId ?? null,
      input.workflowId ?? null, input.workflowVersion ?? null, input.runId ?? null, input.stepKey ?? null],
  );
  const taskId = inserted[0]?.id ?? (await q.query<{ id: string }>(`SELECT id FROM tasks WHERE run_id = $1 AND step_key = $2`, [input.runId, input.stepKey]))[0]!.id;
  const rows = await q.query(`SELECT ${TASK_COLUMNS} FROM tasks tk WHERE tk.id = $1`, [taskId]);
  return { ...toTask(rows[0]!), assignedBecause: choice.why };
}

async function lockTask(uow: UnitOfWork, id: string): Promise<Task> {
  const rows = await uow.q.query(`SELECT ${TASK_COLUMNS} FROM tasks tk WHERE tk.id = $1 AND tk.account_id = $2 FOR UPDATE`, [id, uow.accountId]);
  if (!rows[0]) throw notFound('Task');
  return toTask(rows[0]);
}

const OPEN = ['queued', 'in_progress'];

/** Let's Start: the task is being worked (only its assignee, an admin, or anyone for an unassigned task). */
export async function startTask(uow: UnitOfWork, principal: Principal, id: string): Promise<Task> {
  const task = await lockTask(uow, id);
  assertMayWork(principal, task);
  if (task.status !== 'queued') throw new ApiError('CONFLICT', `The task is ${task.status.replace('_', ' ')}`);
  await uow.q.query(`UPDATE tasks SET status = 'in_progress', assigned_user_id = coalesce(assigned_user_id, $2), updated_at = now() WHERE id = $1`, [id, principal.userId]);
  await uow.audit(principal.userId, 'task.start', 'task', id, {});
  return lockTask(uow, id);
}

/** Completed, skipped or cancelled (with a reason); writes `task.finished`, which resumes the workflow run. */
export async function finishTask(uow: UnitOfWork, principal: Principal, id: string, outcome: 'completed' | 'skipped' | 'cancelled', reason: string | null): Promise<Task> {
  const task = await lockTask(uow, id);
  assertMayWork(principal, task);
  if (!OPEN.includes(task.status)) throw new ApiError('CONFLICT', `The task is already ${task.status}`);
  await uow.q.query(`UPDATE tasks SET status = $2, reason = $3, finished_by = $4, finished_at = now(), updated_at = now() WHERE id = $1`, [id, outcome, reason, principal.userId]);
  await uow.audit(principal.userId, `task.${outcome}`, 'task', id, reason ? { reason } : {});
  const step = await uow.q.query<{ step_key: string | null }>(`SELECT step_key FROM tasks WHERE id = $1`, [id]);
  await recordDomainEvent(uow, {
    accountId: uow.accountId, type: 'task.finished', taskId: id, runId: task.runId, contactId: task.contactId, actorUserId: principal.userId,
    payload: { stepKey: step[0]?.step_key ?? null, outcome, reason },
  });
  return lockTask(uow, id);
}

function assertMayWork(principal: Principal, task: Task): void {
  if (principal.role !== 'admin' && task.assignedUserId !== null && task.assignedUserId !== principal.userId) {
    throw new ApiError('FORBIDDEN', 'This task is assigned to someone else');
  }
}

export async function listTasks(ctx: CloudContext, principal: Principal, query: z.output<typeof listTasksQuerySchema>): Promise<Task[]> {
  if (query.scope === 'all' && principal.role !== 'admin') throw new ApiError('FORBIDDEN', 'Only admins see every task');
  const scope = query.scope === 'mine' ? 'AND tk.assigned_user_id = $3' : query.scope === 'unassigned' ? 'AND tk.assigned_user_id IS NULL' : '';
  const status = query.status === 'open' ? `tk.status IN ('queued', 'in_progress')` : `tk.status NOT IN ('queued', 'in_progress')`;
  const rows = await ctx.db.query(
    `SELECT ${TASK_COLUMNS} FROM tasks tk WHERE tk.account_id = $1 AND ${status} ${scope} ORDER BY tk.created_at, tk.id LIMIT $2`,
    query.scope === 'mine' ? [principal.accountId, query.limit, principal.userId] : [principal.accountId, query.limit],
  );
  return rows.map(toTask);
}
