import type { SyncStatus } from './sync-status';

// Apart from sync-status.ts's schema: the status bar shows these words from the page's first frame,
// and the schema would bring zod onto the page's way to "Ready for calls" (issue #21).
export interface SyncStatusLabel {
  text: string;
  /** ok: everything saved · busy: working on it · warn: waiting, will retry · error: needs attention. */
  tone: 'ok' | 'busy' | 'warn' | 'error';
}

/** The words of the status bar. "Saved" only when nothing waits and the last attempt worked. */
export function describeSyncStatus(status: SyncStatus): SyncStatusLabel {
  const waiting = status.pending > 0 ? ` · ${status.pending} waiting` : '';
  if (status.diskFull) return { text: `Disk full — changes cannot be saved${waiting}`, tone: 'error' };
  if (status.state === 'offline') return { text: `Offline${waiting}`, tone: 'warn' };
  if (status.state === 'syncing') return { text: `Syncing…${waiting}`, tone: 'busy' };
  if (status.failing) return { text: `Not saved yet — retrying${waiting}`, tone: 'error' };
  if (status.pending > 0) return { text: `Saving…${waiting}`, tone: 'busy' };
  return { text: 'Saved', tone: 'ok' };
}
