import { z } from 'zod';

/**
 * IPC channels of the local-first work (issue #13, #10 item 6): the main-owned change of the cloud
 * address, and the unsent changes on this computer. Merged into `ipcChannels` by contract.ts.
 */

export const cloudChangeResultSchema = z.object({
  /** changed: saved, applies at the next start · cancelled: the user said no in main's dialog · refused: not an accepted address · unavailable: this host cannot ask · unchanged. */
  outcome: z.enum(['changed', 'cancelled', 'refused', 'unavailable', 'unchanged']),
  message: z.string(),
});
export type CloudChangeResult = z.infer<typeof cloudChangeResultSchema>;

export const localFirstChannels = {
  /** Asks main to change the cloud address; main checks it, shows its own confirmation and saves only on yes. */
  'settings.changeCloud': { input: z.object({ url: z.string().max(2048).nullable() }).strict(), output: cloudChangeResultSchema },
} as const;
