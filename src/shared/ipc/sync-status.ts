import { z } from 'zod';

/** What the status bar shows about sync: online / offline / syncing, what is waiting, what went wrong. */
export const syncStatusSchema = z.object({
  state: z.enum(['online', 'offline', 'syncing']),
  /** User actions in the outbox not yet accepted by the cloud. */
  pending: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  lastSyncedAt: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;
