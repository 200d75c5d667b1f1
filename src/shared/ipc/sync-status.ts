import { z } from 'zod';

/**
 * What the status bar shows about sync: one model derived from the outbox (what is waiting) and
 * the last push/pull result (did it work), plus whether the local disk can take new changes.
 */
export const syncStatusSchema = z.object({
  state: z.enum(['online', 'offline', 'syncing']),
  /** User actions in the outbox not yet accepted by the cloud. */
  pending: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  lastSyncedAt: z.string().nullable(),
  /** The last push or pull failed (unreachable, truncated, refused): nothing waiting may be called saved. */
  failing: z.boolean(),
  /** The last write to the local cache failed for lack of disk space: new changes cannot be saved. */
  diskFull: z.boolean(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

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
