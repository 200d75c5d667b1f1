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
