import { z } from 'zod';

/** Each global shortcut's fate, for the Settings screen and the notices. */
export const hotkeyStatusSchema = z.object({
  id: z.string(),
  label: z.string(),
  accelerator: z.string().nullable(),
  state: z.enum(['active', 'off', 'conflict', 'refused', 'unavailable']),
  message: z.string().nullable(),
});
export type HotkeyStatus = z.infer<typeof hotkeyStatusSchema>;

export const hotkeyCommandSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['answer', 'hangUp', 'mute', 'showWindow', 'nextTask', 'skipTask', 'completeTask']) }),
  z.object({ kind: z.literal('disposition'), index: z.number().int().min(0).max(9) }),
]);
export type HotkeyCommand = z.infer<typeof hotkeyCommandSchema>;
