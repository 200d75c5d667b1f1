import type Database from 'better-sqlite3';
import type { Mutation } from '../../shared/cloud';
import { reindexCallById } from './search-index';
import { statement } from './statements';
import { refreshTask } from './tasks';

/**
 * Local changes the cloud has not confirmed yet. The effective value of a call's disposition and
 * note (and a notification's read time, a contact's assigned team member) is the cloud's last value
 * with every pending outbox mutation for it folded on top, in push order. Recomputed whenever either side changes: a pull,
 * an enqueue, a rejection.
 */

/** The row a mutation changes locally (and the key that keeps mutations of one row in order). */
export function mutationTarget(mutation: Mutation): string | null {
  switch (mutation.type) {
    case 'call.setDisposition':
    case 'call.setNote':
      return `call:${mutation.payload.callId}`;
    case 'notification.markRead':
      return `notification:${mutation.payload.notificationId}`;
    case 'contact.update':
      return `contact:${mutation.payload.contactId}`;
    case 'disposition.rename':
    case 'disposition.delete':
      return `disposition:${mutation.payload.dispositionId}`;
    case 'task.claim':
    case 'task.start':
    case 'task.finish':
    case 'task.sendText':
      return `task:${mutation.payload.taskId}`;
    case 'contact.create':
    case 'disposition.create':
    case 'disposition.reorder':
      return null;
  }
}

interface PendingRow {
  type: string;
  payload: string;
  created_at: number;
}

function pendingFor(db: Database.Database, target: string): PendingRow[] {
  return statement(db, "SELECT type, payload, created_at FROM outbox WHERE target_id = ? AND state = 'pending' ORDER BY seq").all(
    target,
  ) as PendingRow[];
}

/** The targets with pending mutations (one query per pull page instead of one per row). */
export function pendingTargets(db: Database.Database): Set<string> {
  const rows = statement(db, "SELECT DISTINCT target_id FROM outbox WHERE state = 'pending' AND target_id IS NOT NULL")
    .pluck()
    .all() as string[];
  return new Set(rows);
}

export interface CallValues {
  dispositionId: string | null;
  note: string | null;
}

export function foldCall(db: Database.Database, callId: string, server: CallValues): CallValues {
  const value = { ...server };
  for (const row of pendingFor(db, `call:${callId}`)) {
    const payload = JSON.parse(row.payload) as { dispositionId?: string | null; note?: string | null };
    if (row.type === 'call.setDisposition') {
      value.dispositionId = payload.dispositionId ?? null;
      if (payload.note !== undefined) value.note = payload.note;
    } else if (row.type === 'call.setNote') {
      value.note = payload.note ?? null;
    }
  }
  return value;
}

/** A contact's assigned team member: this desk changes only that field of a contact (contact.update). */
export function foldContactAssignee(db: Database.Database, contactId: string, server: string | null): string | null {
  let value = server;
  for (const row of pendingFor(db, `contact:${contactId}`)) {
    const payload = JSON.parse(row.payload) as { assignedUserId?: string | null };
    if (row.type === 'contact.update' && payload.assignedUserId !== undefined) value = payload.assignedUserId;
  }
  return value;
}

export function foldNotificationReadAt(db: Database.Database, notificationId: string, serverReadAt: string | null): string | null {
  if (serverReadAt !== null) return serverReadAt;
  const pending = pendingFor(db, `notification:${notificationId}`);
  const first = pending[0];
  return first ? new Date(first.created_at).toISOString() : null;
}

/**
 * A call whose note changed but whose search text is re-indexed later (an outbox write defers it
 * to just after it is durable: see CacheWrites.durable). Without it, the call is re-indexed at once.
 */
export type SearchLater = (callId: string) => void;

/** Re-derives the stored effective values of the row a target names, if it is a call, a notification, a task or a contact. */
export function refreshTarget(db: Database.Database, target: string, searchLater?: SearchLater): void {
  if (target.startsWith('call:')) refreshCall(db, target.slice('call:'.length), searchLater);
  else if (target.startsWith('notification:')) refreshNotification(db, target.slice('notification:'.length));
  else if (target.startsWith('task:')) refreshTask(db, target.slice('task:'.length));
  else if (target.startsWith('contact:')) refreshContact(db, target.slice('contact:'.length));
}

function refreshCall(db: Database.Database, callId: string, searchLater: SearchLater | undefined): void {
  const row = statement(db, 'SELECT server_disposition_id, server_note, disposition_id, note FROM calls WHERE id = ?').get(callId) as
    | { server_disposition_id: string | null; server_note: string | null; disposition_id: string | null; note: string | null }
    | undefined;
  if (!row) return; // not pulled yet: the pull that brings it folds the pending mutations in.
  const next = foldCall(db, callId, { dispositionId: row.server_disposition_id, note: row.server_note });
  if (next.dispositionId === row.disposition_id && next.note === row.note) return;
  statement(db, 'UPDATE calls SET disposition_id = ?, note = ? WHERE id = ?').run(next.dispositionId, next.note, callId);
  if (next.note === row.note) return;
  if (searchLater) searchLater(callId);
  else reindexCallById(db, callId);
}

function refreshNotification(db: Database.Database, notificationId: string): void {
  const row = statement(db, 'SELECT server_read_at, read_at FROM notifications WHERE id = ?').get(notificationId) as
    | { server_read_at: string | null; read_at: string | null }
    | undefined;
  if (!row) return;
  const next = foldNotificationReadAt(db, notificationId, row.server_read_at);
  if (next !== row.read_at) statement(db, 'UPDATE notifications SET read_at = ? WHERE id = ?').run(next, notificationId);
}

function refreshContact(db: Database.Database, contactId: string): void {
  const row = statement(db, 'SELECT server_assigned_user_id, assigned_user_id FROM contacts WHERE id = ?').get(contactId) as
    | { server_assigned_user_id: string | null; assigned_user_id: string | null }
    | undefined;
  if (!row) return; // not pulled yet: the pull that brings it folds the pending change in.
  const next = foldContactAssignee(db, contactId, row.server_assigned_user_id);
  if (next !== row.assigned_user_id) statement(db, 'UPDATE contacts SET assigned_user_id = ? WHERE id = ?').run(next, contactId);
}
