import type { Mutation, User } from '../../shared/cloud';
import type { UnsentChange, UnsentList } from '../../shared/ipc/contract-local-first';
import type { UnsentEntry } from '../cache/outbox';

/**
 * What is on this computer that no cloud has accepted yet, for the person at the desk: an admin
 * sees and exports everyone's (a receptionist who left may have left changes behind); anyone else
 * only their own — another person's notes are not theirs to read. Nothing here deletes a change.
 */
export interface UnsentViewer {
  user: Pick<User, 'id' | 'role'>;
  /** 'embedded' or the cloud's origin: the cloud this run is signed in to. */
  cloud: string;
}

export function listUnsentChanges(rows: readonly UnsentEntry[], viewer: UnsentViewer): UnsentList {
  const scope = viewer.user.role === 'admin' ? 'all' : 'mine';
  const changes = rows.map((row) => toChange(row, viewer)).filter((change) => scope === 'all' || change.mine);
  return { scope, changes };
}

/** The export: every change the viewer may see, with its full content, so nothing depends on this computer surviving. */
export function exportUnsentChanges(rows: readonly UnsentEntry[], viewer: UnsentViewer, now: Date): { fileName: string; json: string } {
  const { scope, changes } = listUnsentChanges(rows, viewer);
  const byKey = new Map(rows.map((row) => [row.idempotencyKey, row.mutation]));
  const document = {
    exportedAt: now.toISOString(),
    exportedBy: viewer.user.id,
    scope,
    note: 'Changes made on this computer that no Aesthetix cloud has accepted yet. They stay on the computer; this file is a copy.',
    changes: changes.map((change) => ({ ...change, mutation: byKey.get(change.idempotencyKey) })),
  };
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return { fileName: `aesthetix-unsent-changes-${stamp}.json`, json: JSON.stringify(document, null, 2) };
}

function toChange(row: UnsentEntry, viewer: UnsentViewer): UnsentChange {
  // NULL owners are rows from before owners were recorded: they go with whoever signs in.
  const mine = (row.ownerUser === null || row.ownerUser === viewer.user.id) && (row.ownerCloud === null || row.ownerCloud === viewer.cloud);
  return {
    idempotencyKey: row.idempotencyKey,
    type: row.type,
    summary: describeMutation(row.mutation),
    createdAt: new Date(row.createdAt).toISOString(),
    attempts: row.attempts,
    lastError: row.lastError,
    state: row.state === 'rejected' ? 'refused' : 'waiting',
    ownerUserId: row.ownerUser,
    ownerCloud: row.ownerCloud,
    mine,
  };
}

/** One line a person can read. */
export function describeMutation(mutation: Mutation): string {
  switch (mutation.type) {
    case 'call.setDisposition':
      return mutation.payload.dispositionId === null ? `Cleared the disposition of a call` : `Logged a disposition for a call`;
    case 'call.setNote':
      return mutation.payload.note ? `Note on a call: “${truncate(mutation.payload.note)}”` : 'Cleared a call’s note';
    case 'notification.markRead':
      return 'Marked an alert read';
    case 'contact.create':
      return `New contact ${mutation.payload.name}`;
    case 'contact.update':
      return 'Edited a contact';
    case 'disposition.create':
      return `New disposition “${mutation.payload.label}”`;
    case 'disposition.rename':
      return `Renamed a disposition to “${mutation.payload.label}”`;
    case 'disposition.delete':
      return 'Deleted a disposition';
    case 'disposition.reorder':
      return 'Reordered the dispositions';
    default:
      return (mutation as { type: string }).type;
  }
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
