import type { Task } from '../../shared/cloud/tasks';
import { int, text, textOrNull, type Row } from '../db/columns';

export const TASK_COLUMNS = `tk.id, tk.account_id, tk.type, tk.contact_id, tk.title, tk.message, tk.from_number_id, tk.assigned_user_id, tk.workflow_id, tk.run_id,
  tk.status, tk.reason, tk.created_at, tk.updated_at, tk.started_at, tk.started_by, tk.finished_at, tk.finished_by, tk.call_id, tk.call_outcome,
  tk.disposition_id, tk.note, tk.seq, (SELECT w.name FROM workflows w WHERE w.id = tk.workflow_id) AS workflow_name`;
export const toTask = (r: Row): Task => ({
  id: text(r.id),
  accountId: text(r.account_id),
  type: r.type === 'sms' ? 'sms' : 'call',
  contactId: text(r.contact_id),
  title: text(r.title),
  message: textOrNull(r.message),
  fromNumberId: textOrNull(r.from_number_id),
  assignedUserId: textOrNull(r.assigned_user_id),
  workflowId: textOrNull(r.workflow_id),
  workflowName: textOrNull(r.workflow_name),
  runId: textOrNull(r.run_id),
  status: text(r.status) as Task['status'],
  reason: textOrNull(r.reason),
  createdAt: text(r.created_at),
  updatedAt: text(r.updated_at),
  startedAt: textOrNull(r.started_at),
  startedBy: textOrNull(r.started_by),
  finishedAt: textOrNull(r.finished_at),
  finishedBy: textOrNull(r.finished_by),
  callId: textOrNull(r.call_id),
  callOutcome: textOrNull(r.call_outcome) as Task['callOutcome'],
  dispositionId: textOrNull(r.disposition_id),
  note: textOrNull(r.note),
  seq: int(r.seq),
});
