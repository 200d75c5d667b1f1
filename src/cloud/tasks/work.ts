import type { Dnd } from '../../shared/cloud/entities';
import { taskBlockedReason, transition, type TaskAction } from '../../shared/cloud/task-status';
import type { FinishTask, Task } from '../../shared/cloud/tasks';
import type { Principal } from '../context';
import type { UnitOfWork } from '../db/unit-of-work';
import { setCallDisposition, setCallNote } from '../calls/service';
import { ApiError, notFound } from '../errors';
import { recordDomainEvent } from '../events/domain-events';
import { TASK_COLUMNS, toTask } from './rows';

/** What a receptionist does with a task: claim, start (Let's Start), finish. Each in the caller's transaction. */

async function lockTask(uow: UnitOfWork, id: string): Promise<Task> {
  const rows = await uow.q.query(`SELECT ${TASK_COLUMNS} FROM tasks tk WHERE tk.id = $1 AND tk.account_id = $2 FOR NO KEY UPDATE`, [id, uow.accountId]);
  if (!rows[0]) throw notFound('Task');
  return toTask(rows[0]);
}

async function userName(uow: UnitOfWork, userId: string): Promise<string> {
  const rows = await uow.q.query<{ name: string }>(`SELECT name FROM users WHERE id = $1 AND account_id = $2`, [userId, uow.accountId]);
  return rows[0]?.name ?? 'Someone else';
}

/** The conflict a second receptionist sees: who has the task. */
async function takenBy(uow: UnitOfWork, principal: Principal, userId: string, verb: 'has' | 'is working on'): Promise<ApiError> {
  if (userId === principal.userId) return new ApiError('CONFLICT', `You already ${verb === 'has' ? 'have' : 'are working on'} this task`);
  return new ApiError('CONFLICT', `${await userName(uow, userId)} ${verb} this task`);
}

function step(task: Task, action: TaskAction): Task['status'] {
  const t = transition(task.status, action);
  if (!t.ok) throw new ApiError('CONFLICT', t.message);
  return t.status;
}

async function reread(uow: UnitOfWork, id: string): Promise<Task> {
  uow.touch('tasks', id);
  const rows = await uow.q.query(`SELECT ${TASK_COLUMNS} FROM tasks tk WHERE tk.id = $1`, [id]);
  return toTask(rows[0]!);
}

/**
 * Claim an Unassigned task. Atomic: the UPDATE only matches while the task is still unassigned, so
 * of any number of concurrent claims exactly one wins; the others learn who has it.
 */
export async function claimTask(uow: UnitOfWork, principal: Principal, id: string): Promise<Task> {
  const won = await uow.q.query(
    `UPDATE tasks SET assigned_user_id = $3, updated_at = now() WHERE id = $1 AND account_id = $2 AND assigned_user_id IS NULL AND status IN ('queued', 'in_progress') RETURNING id`,
    [id, uow.accountId, principal.userId],
  );
  if (won.length === 0) {
    const task = await lockTask(uow, id);
    if (task.status !== 'queued' && task.status !== 'in_progress') throw new ApiError('CONFLICT', `The task is already ${task.status}`);
    throw await takenBy(uow, principal, task.assignedUserId!, 'has');
  }
  await uow.audit(principal.userId, 'task.claim', 'task', id, {});
  return reread(uow, id);
}

/**
 * Let's Start: the task is being worked. Its assignee starts it (an unassigned one is claimed on
 * the way; an admin may take over a queued task). A task whose contact turned on Do Not Disturb
 * for its channel is blocked: it can only be skipped or cancelled.
 */
export async function startTask(uow: UnitOfWork, principal: Principal, id: string): Promise<Task> {
  const task = await lockTask(uow, id);
  if (task.status === 'in_progress' && task.startedBy) throw await takenBy(uow, principal, task.startedBy, 'is working on');
  if (task.assignedUserId && task.assignedUserId !== principal.userId && principal.role !== 'admin') throw await takenBy(uow, principal, task.assignedUserId, 'has');
  const status = step(task, 'start');
  const dnd = await uow.q.query<{ dnd: Dnd }>(`SELECT dnd FROM contacts WHERE id = $1`, [task.contactId]);
  const blocked = taskBlockedReason(task.type, dnd[0]?.dnd);
  if (blocked) throw new ApiError('CONFLICT', blocked);
  await uow.q.query(
    `UPDATE tasks SET status = $2, assigned_user_id = $3, started_at = now(), started_by = $3, updated_at = now() WHERE id = $1`,
    [id, status, principal.userId],
  );
  await uow.audit(principal.userId, 'task.start', 'task', id, {});
  return reread(uow, id);
}

/** The call placed for a call task must be this practice's outbound call by this user to the task's contact. */
async function checkTaskCall(uow: UnitOfWork, principal: Principal, task: Task, callId: string): Promise<void> {
  const rows = await uow.q.query<{ direction: string; user_id: string | null; to_number: string; task_id: string | null; phone: string | null }>(
    `SELECT k.direction, k.user_id, k.to_number, k.task_id, c.phone FROM calls k JOIN contacts c ON c.id = $3
      WHERE k.id = $1 AND k.account_id = $2 FOR NO KEY UPDATE OF k`,
    [callId, uow.accountId, task.contactId],
  );
  const call = rows[0];
  if (!call) throw notFound('Call');
  if (call.direction !== 'outbound' || call.user_id !== principal.userId || call.to_number !== call.phone) {
    throw new ApiError('BAD_REQUEST', "That call is not your call to this task's contact");
  }
  if (call.task_id && call.task_id !== task.id) throw new ApiError('CONFLICT', 'That call is already the outcome of another task');
}

/** This user's newest call linked to the task when it was placed, as `{ callId }` (or nothing). */
async function linkedCall(uow: UnitOfWork, principal: Principal, taskId: string): Promise<{ callId?: string }> {
  const rows = await uow.q.query<{ id: string }>(
    `SELECT id FROM calls WHERE task_id = $1 AND account_id = $2 AND user_id = $3 ORDER BY created_at DESC, id DESC LIMIT 1`,
    [taskId, uow.accountId, principal.userId],
  );
  return rows[0] ? { callId: rows[0].id } : {};
}

/**
 * A text task is completed by sending its text (the article: the contact moves on once the task is
 * "completed and sent"): only once Twilio has taken its message — the send (text.ts) and the
 * stranded-text sweep finish it then. A later carrier failure does not undo that it was sent.
 */
async function requireSentText(uow: UnitOfWork, task: Task): Promise<void> {
  const rows = task.messageId
    ? await uow.q.query<{ provider_id: string | null; status: string }>(`SELECT provider_id, status FROM outbound_messages WHERE id = $1 AND account_id = $2`, [task.messageId, uow.accountId])
    : [];
  const message = rows[0];
  if (message?.provider_id) return;
  if (!message) throw new ApiError('CONFLICT', 'Send the text to complete this task, or skip it');
  if (message.status === 'queued') throw new ApiError('CONFLICT', 'The text is still being sent: the task completes once it has gone');
  throw new ApiError('CONFLICT', 'The text was not sent, so the task cannot be completed: send it again, or skip it');
}

/**
 * Completed, skipped or cancelled (with a reason). A completed call task carries its outcome (a
 * disposition, or no answer / left voicemail / wrong number), written on the task and on its call
 * (History and call reporting show it; the disposition sets off Call Details workflows like any
 * other). Writes `task.finished`, which resumes the workflow run.
 */
export async function finishTask(uow: UnitOfWork, principal: Principal, id: string, input: FinishTask): Promise<Task> {
  const task = await lockTask(uow, id);
  if (task.status === 'in_progress' && task.startedBy && task.startedBy !== principal.userId) throw await takenBy(uow, principal, task.startedBy, 'is working on');
  if (task.status === 'queued' && task.assignedUserId && task.assignedUserId !== principal.userId && principal.role !== 'admin') {
    throw await takenBy(uow, principal, task.assignedUserId, 'has');
  }
  const status = step(task, input.outcome === 'completed' ? 'complete' : input.outcome === 'skipped' ? 'skip' : 'cancel');
  // The call placed for this task was linked when it started (TaskId on the voice webhook): its outcome goes there.
  const body = !input.callId && task.type === 'call' && status === 'completed' ? { ...input, ...(await linkedCall(uow, principal, id)) } : input;
  if (task.type === 'sms' && (body.callId || body.callOutcome)) throw new ApiError('BAD_REQUEST', 'A text task has no call outcome');
  if (task.type === 'sms' && status === 'completed') await requireSentText(uow, task);
  if (task.type === 'call' && status === 'completed' && !body.callOutcome) throw new ApiError('BAD_REQUEST', 'Choose how the call went');
  if (body.callId) await checkTaskCall(uow, principal, task, body.callId);
  if (body.dispositionId) {
    const found = await uow.q.query(`SELECT 1 FROM dispositions WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`, [body.dispositionId, uow.accountId]);
    if (!found[0]) throw new ApiError('NOT_FOUND', 'That disposition does not exist or was deleted');
  }
  await uow.q.query(
    `UPDATE tasks SET status = $2, reason = $3, finished_by = $4, finished_at = now(), updated_at = now(), call_id = $5, call_outcome = $6, disposition_id = $7, note = $8,
            assigned_user_id = coalesce(assigned_user_id, $4)
      WHERE id = $1`,
    [id, status, body.reason ?? null, principal.userId, body.callId ?? null, body.callOutcome ?? null, body.dispositionId ?? null, body.note ?? null],
  );
  if (body.callId) {
    await uow.q.query(`UPDATE calls SET task_id = $2, task_outcome = $3, source = 'manual_task', updated_at = now() WHERE id = $1`, [body.callId, id, body.callOutcome ?? null]);
    if (body.dispositionId) await setCallDisposition(uow, principal, body.callId, body.dispositionId, body.note);
    else if (body.note !== undefined) await setCallNote(uow, principal, body.callId, body.note);
    else uow.touch('calls', body.callId);
  }
  await uow.audit(principal.userId, `task.${status}`, 'task', id, { ...(body.reason ? { reason: body.reason } : {}), ...(body.callOutcome ? { callOutcome: body.callOutcome } : {}) });
  const stepKey = await uow.q.query<{ step_key: string | null }>(`SELECT step_key FROM tasks WHERE id = $1`, [id]);
  recordDomainEvent(uow, {
    accountId: uow.accountId, type: 'task.finished', taskId: id, runId: task.runId, contactId: task.contactId, actorUserId: principal.userId,
    payload: { stepKey: stepKey[0]?.step_key ?? null, outcome: body.outcome, reason: body.reason ?? null },
  });
  return reread(uow, id);
}
