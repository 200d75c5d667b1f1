import { z } from 'zod';

/**
 * IPC channels of the local-first work (issue #13, #10 item 6): the main-owned change of the cloud
 * address, and the unsent changes on this computer (seen and exported; nothing here deletes one). Merged into `ipcChannels` by contract.ts.
 */

export const cloudChangeResultSchema = z.object({
  /** changed: saved, applies at the next start · cancelled: the user said no in main's dialog · refused: not an accepted address · unavailable: this host cannot ask · unchanged. */
  outcome: z.enum(['changed', 'cancelled', 'refused', 'unavailable', 'unchanged']),
  message: z.string(),
});
export type CloudChangeResult = z.infer<typeof cloudChangeResultSchema>;

/** One change made on this computer that no cloud has accepted yet (pending, or refused by the cloud). */
export const unsentChangeSchema = z.object({
  idempotencyKey: z.string(),
  type: z.string(),
  /** In words: "Disposition of call c-123", "New contact Ada Lovelace". */
  summary: z.string(),
  createdAt: z.string(),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  /** waiting: will be sent when its owner is signed in · refused: the cloud turned it down; kept until someone decides. */
  state: z.enum(['waiting', 'refused']),
  ownerUserId: z.string().nullable(),
  /** 'embedded' (the demo practice) or the cloud's origin. */
  ownerCloud: z.string().nullable(),
  /** Made by the person signed in now (on this cloud). */
  mine: z.boolean(),
});
export type UnsentChange = z.infer<typeof unsentChangeSchema>;

export const unsentListSchema = z.object({
  /** all: an admin sees every person's changes on this computer · mine: a receptionist sees their own. */
  scope: z.enum(['all', 'mine']),
  changes: z.array(unsentChangeSchema),
});
export type UnsentList = z.infer<typeof unsentListSchema>;

export const localFirstChannels = {
  /** Asks main to change the cloud address; main checks it, shows its own confirmation and saves only on yes. */
  'settings.changeCloud': { input: z.object({ url: z.string().max(2048).nullable() }).strict(), output: cloudChangeResultSchema },
  /** The changes on this computer no cloud has accepted yet (an admin: everyone's; otherwise the caller's own). */
  'outbox.listUnsent': { input: z.undefined(), output: unsentListSchema },
  /** Forgets changes the cloud refused, by explicit choice (only refused ones the caller may see); answers the new list. */
  'outbox.dismissRefused': { input: z.object({ keys: z.array(z.string().min(1).max(200)).min(1).max(500) }).strict(), output: unsentListSchema },
  /** The same, with each change's full content, as a JSON file's text to save (nothing is deleted). */
  'outbox.exportUnsent': { input: z.undefined(), output: z.object({ fileName: z.string(), json: z.string() }) },
} as const;
