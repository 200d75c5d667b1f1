import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { Dnd, Mutation, Task } from '../../shared/cloud';
import { taskSchema } from '../../shared/cloud';
import type { taskListFilterSchema} from '../../shared/ipc/contract-tasks';
import { type CachedTask, type TaskListFilter } from '../../shared/ipc/contract-tasks';
import { taskBlockedReason, transition, type TaskAction } from '../../shared/cloud/task-status';
import { CacheInputError } from './errors';
import { statement } from './statements';

/**
 * Manual Actions tasks in the cache: pulled rows, and the receptionist's claim / start / finish
 * applied here at once (folded over the cloud's row from the pending outbox mutations, like calls'
 * dispositions) so the queue works offline; the outbox delivers each exactly once.
 */

export type TaskMutation = Extract<Mutation, { type: 'task.claim' | 'task.start' | 'task.finish' | 'task.sendText' }>;

export type { CachedTask, TaskListFilter };

interface Pending {
  type: string;
  payload: string;
  created_at: number;
}

/** The effective task: the cloud's row with this desk's unsent actions on top, in order (pure). */
export function foldTask(server: Task, pending: readonly Pending[], me: string | null): Task {
  let task = { ...server };
  for (const row of pending) {
    const p = JSON.parse(row.payload) as Partial<Extract<TaskMutation, { type: 'task.finish' }>['payload']> & { message?: string };
    const at = new Date(row.created_at).toISOString();
    if (row.type === 'task.claim') {
      if (task.assignedUserId === null) task.assignedUserId = me;
    } else if (row.type === 'task.start') {
      const t = transition(task.status, 'start');
      if (t.ok) task = { ...task, status: t.status, assignedUserId: me, startedBy: me, startedAt: at };
    } else if (row.type === 'task.sendText') {
      // Shown as sending (CachedTask.sending) until the cloud has sent it; the task completes then.
      task = { ...task, message: p.message ?? task.message, messageError: null };
    } else if (row.type === 'task.finish') {
      const t = transition(task.status, p.outcome === 'completed' ? 'complete' : p.outcome === 'skipped' ? 'skip' : 'cancel');
      if (t.ok) {
        task = {
          ...task, status: t.status, reason: p.reason ?? null, finishedAt: at, finishedBy: me, assignedUserId: task.assignedUserId ?? me,
          callId: p.callId ?? null, callOutcome: p.callOutcome ?? null, dispositionId: p.dispositionId ?? null, note: p.note ?? null,
        };
      }
    }
  }
  return task;
}

const me = (db: Database.Database): string | null =>
  (statement(db, 'SELECT user_id FROM session WHERE singleton = 1').pluck().get() as string | undefined) ?? null;

function pendingFor(db: Database.Database, taskId: string): Pending[] {
  return statement(db, "SELECT type, payload, created_at FROM outbox WHERE target_id = ? AND state = 'pending' ORDER BY seq").all(`task:${taskId}`) as Pending[];
}

function writeEffective(db: Database.Database, t: Task, serverJson: string): void {
  statement(
    db,
    `INSERT INTO tasks (id, account_id, type, contact_id, title, message, from_number_id, assigned_user_id, workflow_id, workflow_name, run_id, status, reason,
       created_at, created_ms, started_by, finished_at, call_id, call_outcome, disposition_id, note, server_json, seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET account_id = excluded.account_id, type = excluded.type, contact_id = excluded.contact_id, title = excluded.title,
       message = excluded.message, from_number_id = excluded.from_number_id, assigned_user_id = excluded.assigned_user_id, workflow_id = excluded.workflow_id,
       workflow_name = excluded.workflow_name, run_id = excluded.run_id, status = excluded.status, reason = excluded.reason, created_at = excluded.created_at,
       created_ms = excluded.created_ms, started_by = excluded.started_by, finished_at = excluded.finished_at, call_id = excluded.call_id,
       call_outcome = excluded.call_outcome, disposition_id = excluded.disposition_id, note = excluded.note, server_json = excluded.server_json, seq = excluded.seq`,
  ).run(t.id, t.accountId, t.type, t.contactId, t.title, t.message, t.fromNumberId, t.assignedUserId, t.workflowId, t.workflowName, t.runId, t.status, t.reason,
    t.createdAt, Date.parse(t.createdAt), t.startedBy, t.finishedAt, t.callId, t.callOutcome, t.dispositionId, t.note, serverJson, t.seq);
}

/** A pulled task (older than the stored one: ignored), with pending local actions folded on. */
export function upsertTask(db: Database.Database, t: Task, pending: ReadonlySet<string>): number {
  const old = statement(db, 'SELECT seq FROM tasks WHERE id = ?').pluck().get(t.id) as number | undefined;
  if (old !== undefined && old > t.seq) return 0;
  const effective = pending.has(`task:${t.id}`) ? foldTask(t, pendingFor(db, t.id), me(db)) : t;
  writeEffective(db, effective, JSON.stringify(t));
  return 1;
}

/** Re-derives a task's effective values after an enqueue, an ack or a rejection. */
export function refreshTask(db: Database.Database, taskId: string): void {
  const row = statement(db, 'SELECT server_json FROM tasks WHERE id = ?').pluck().get(taskId) as string | undefined;
  if (row === undefined) return;
  writeEffective(db, foldTask(taskSchema.parse(JSON.parse(row)), pendingFor(db, taskId), me(db)), row);
}

/**
 * An applied task action is the cloud's value now, until the next pull confirms it: folded into the
 * stored cloud row, so the queue never shows the task as it was before the action. An applied text
 * was accepted by Twilio, which completed the task in the cloud (the fold alone leaves it in progress
 * and no longer sending, and the queue would go back to it until that pull).
 */
export function promoteTaskAction(db: Database.Database, taskId: string, action: Pending): void {
  const row = statement(db, 'SELECT server_json FROM tasks WHERE id = ?').pluck().get(taskId) as string | undefined;
  if (row === undefined) return;
  const user = me(db);
  let task = foldTask(taskSchema.parse(JSON.parse(row)), [action], user);
  if (action.type === 'task.sendText') {
    const t = transition(task.status, 'complete');
    if (t.ok) task = { ...task, status: t.status, messageError: null, finishedAt: new Date(action.created_at).toISOString(), finishedBy: user };
  }
  writeEffective(db, foldTask(task, pendingFor(db, taskId), user), JSON.stringify(task));
}

interface TaskRow {
  id: string;
  server_json: string;
  assigned_user_id: string | null;
  status: Task['status'];
  reason: string | null;
  started_by: string | null;
  finished_at: string | null;
  call_id: string | null;
  call_outcome: Task['callOutcome'];
  disposition_id: string | null;
  note: string | null;
  message: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  contact_dnd: string | null;
  user_name: string | null;
  pending: number;
  sending: number;
}

const SELECT = `SELECT t.*, c.name AS contact_name, c.phone AS contact_phone, c.dnd AS contact_dnd, u.name AS user_name,
    EXISTS (SELECT 1 FROM outbox o WHERE o.target_id = 'task:' || t.id AND o.state = 'pending') AS pending,
    EXISTS (SELECT 1 FROM outbox o WHERE o.target_id = 'task:' || t.id AND o.state = 'pending' AND o.type = 'task.sendText') AS sending
  FROM tasks t LEFT JOIN contacts c ON c.id = t.contact_id LEFT JOIN users u ON u.id = t.assigned_user_id`;

function toCachedTask(r: TaskRow): CachedTask {
  const server = taskSchema.parse(JSON.parse(r.server_json));
  const task: Task = {
    ...server, assignedUserId: r.assigned_user_id, status: r.status, reason: r.reason, startedBy: r.started_by, finishedAt: r.finished_at,
    callId: r.call_id, callOutcome: r.call_outcome, dispositionId: r.disposition_id, note: r.note, message: r.message,
    messageError: r.sending === 1 ? null : server.messageError,
  };
  const open = task.status === 'queued' || task.status === 'in_progress';
  const dnd = r.contact_dnd ? (JSON.parse(r.contact_dnd) as Dnd) : null;
  return {
    ...task, contactName: r.contact_name, contactPhone: r.contact_phone, assignedUserName: r.user_name,
    blockedReason: open ? taskBlockedReason(task.type, dnd) : null, pending: r.pending === 1, sending: r.sending === 1,
  };
}

/** The queue: oldest first; `mine` is the signed-in user's. */
export function listTasks(db: Database.Database, filter: z.output<typeof taskListFilterSchema>): CachedTask[] {
  const where: string[] = [filter.status === 'open' ? "t.status IN ('queued', 'in_progress')" : "t.status NOT IN ('queued', 'in_progress')"];
  const params: unknown[] = [];
  if (filter.scope === 'mine') {
    where.push('t.assigned_user_id = ?');
    params.push(me(db));
  } else if (filter.scope === 'unassigned') {
    where.push('t.assigned_user_id IS NULL');
  }
  if (filter.type) {
    where.push('t.type = ?');
    params.push(filter.type);
  }
  if (filter.workflowId) {
    where.push('t.workflow_id = ?');
    params.push(filter.workflowId);
  }
  const order = filter.status === 'open' ? 't.created_ms, t.id' : 't.finished_at DESC, t.id';
  const rows = db.prepare(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`).all(...params, filter.limit) as TaskRow[];
  return rows.map(toCachedTask);
}

export function getTask(db: Database.Database, id: string): CachedTask | null {
  const row = statement(db, `${SELECT} WHERE t.id = ?`).get(id) as TaskRow | undefined;
  return row ? toCachedTask(row) : null;
}

/** The badge: the signed-in user's open tasks. */
export const openTaskCount = (db: Database.Database): number =>
  statement(db, "SELECT count(*) FROM tasks WHERE status IN ('queued', 'in_progress') AND assigned_user_id = (SELECT user_id FROM session WHERE singleton = 1)")
    .pluck()
    .get() as number;

/**
 * Refuses locally what the cloud would refuse (a finished task, someone else's, a blocked one), so
 * the receptionist learns at once, offline too. Races with another desk are settled by the cloud.
 */
export function checkTaskAction(db: Database.Database, mutation: TaskMutation): void {
  const task = getTask(db, mutation.payload.taskId);
  if (!task) throw new CacheInputError('That task is not in the queue (yet)');
  const user = me(db);
  const other = (id: string | null): string | null => (id && id !== user ? task.assignedUserName ?? 'Someone else' : null);
  if (mutation.type === 'task.claim') {
    if (task.assignedUserId === user) throw new CacheInputError('You already have this task');
    if (task.assignedUserId) throw new CacheInputError(`${other(task.assignedUserId)} has this task`);
    return;
  }
  if (task.status === 'in_progress' && task.startedBy && task.startedBy !== user) throw new CacheInputError(`${task.assignedUserName ?? 'Someone else'} is working on this task`);
  const role = statement(db, 'SELECT role FROM users WHERE id = ?').pluck().get(user) as string | undefined;
  if (task.status === 'queued' && task.assignedUserId && task.assignedUserId !== user && role !== 'admin') throw new CacheInputError(`${other(task.assignedUserId)} has this task`);
  const action: TaskAction =
    mutation.type === 'task.start' ? 'start' : mutation.type === 'task.sendText' || mutation.payload.outcome === 'completed' ? 'complete' : mutation.payload.outcome === 'skipped' ? 'skip' : 'cancel';
  const t = transition(task.status, action);
  if (!t.ok) throw new CacheInputError(t.message);
  if (mutation.type === 'task.sendText') {
    if (task.type !== 'sms') throw new CacheInputError('Only a text task sends a text');
    if (task.sending) throw new CacheInputError('The text is being sent');
    if (task.messageId && task.messageStatus !== 'failed' && task.messageStatus !== 'undelivered') throw new CacheInputError('The text was already sent');
    if (task.blockedReason) throw new CacheInputError(task.blockedReason);
  }
  if (action === 'start' && task.blockedReason) throw new CacheInputError(task.blockedReason);
}

/**
 * The call placed for a call task (already pulled into the cache), or null: the call the cloud
 * linked to the task when it was placed; else this user's newest outbound call to the contact's
 * number since the task was started that no other task owns (linked to another task, or already
 * another task's outcome). Null leaves it to the cloud, which links the call placed for the task
 * itself. Without that last rule, a task worked right after another for the same contact, with its
 * own call not pulled yet, took the earlier task's call: the cloud refused the outcome ("That call
 * is already the outcome of another task") and the task never finished.
 */
export function findTaskCall(db: Database.Database, taskId: string): string | null {
  const task = getTask(db, taskId);
  if (!task || task.type !== 'call' || !task.contactPhone) return null;
  const since = task.startedAt ? Date.parse(task.startedAt) : Date.parse(task.createdAt);
  return (
    (statement(
      db,
      `SELECT k.id FROM calls k
        WHERE k.direction = 'outbound' AND k.user_id = (SELECT user_id FROM session WHERE singleton = 1) AND k.remote_number = ? AND k.started_ms >= ?
          AND (k.task_id IS NULL OR k.task_id = ?)
          AND NOT EXISTS (SELECT 1 FROM tasks o WHERE o.call_id = k.id AND o.id <> ?)
        ORDER BY k.task_id IS NULL, k.started_ms DESC LIMIT 1`,
    )
      .pluck()
      .get(task.contactPhone, since - 60_000, taskId, taskId) as string | undefined) ?? null
  );
}

/**
 * The call task a wrap-up finishes: the in-progress call task this user started for the contact
 * this user's outbound call went to (the call placed while working it), or null. Calling the
 * contact from anywhere else — without the task started — does not complete it.
 */
export function taskForCall(db: Database.Database, callId: string): CachedTask | null {
  const call = statement(db, 'SELECT direction, user_id, remote_number, started_ms, task_id FROM calls WHERE id = ?').get(callId) as
    | { direction: string; user_id: string | null; remote_number: string; started_ms: number; task_id: string | null }
    | undefined;
  const user = me(db);
  if (!call || call.direction !== 'outbound' || !user || call.user_id !== user) return null;
  const already = statement(db, 'SELECT id FROM tasks WHERE call_id = ?').pluck().get(callId) as string | undefined;
  if (already) return null;
  const rows = statement(
    db,
    `${SELECT} WHERE t.type = 'call' AND t.status = 'in_progress' AND t.started_by = ? AND c.phone = ? ORDER BY t.created_ms, t.id`,
  ).all(user, call.remote_number) as TaskRow[];
  // A call placed from the task carries its id (linked by the cloud when it started): that task, no guessing.
  const task = rows.map(toCachedTask).find((t) => (call.task_id ? t.id === call.task_id : !t.startedAt || Date.parse(t.startedAt) - 60_000 <= call.started_ms));
  return task ?? null;
}
