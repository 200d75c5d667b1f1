import { z } from 'zod';

/**
 * IPC channel of the Demo inbox (issue #12): what the embedded demo practice "sent" — the 2FA codes
 * and notices it emails (caught as files) or texts (kept by the Twilio sandbox), and what it posts
 * to Slack (kept by the Slack stand-in's demo workspace). Merged into
 * `ipcChannels` by contract.ts. With a real cloud there is nothing to show, and the answer says why.
 */

export const demoMessageSchema = z.object({
  id: z.string(),
  channel: z.enum(['email', 'sms', 'slack']),
  /** An address, a number, or a Slack channel (`#name`) or member. */
  to: z.string(),
  /** Emails only. */
  subject: z.string().nullable(),
  body: z.string(),
  sentAt: z.string(),
  /** An email the demo contact can answer with Reply (it has a Message-ID). */
  canReply: z.boolean().optional(),
});
export type DemoMessage = z.infer<typeof demoMessageSchema>;

export const demoInboxSchema = z.object({
  available: z.boolean(),
  /** Why there is no inbox here (a real cloud sends real email and SMS). */
  reason: z.string().nullable(),
  /** Newest first. */
  messages: z.array(demoMessageSchema),
});
export type DemoInbox = z.infer<typeof demoInboxSchema>;

/** A demo reply to a caught email: posted, signed, to the practice's inbound email webhook. */
export const demoReplyInputSchema = z.object({
  id: z.string().regex(/^email:\d+-\d+\.eml$/, 'a caught email'),
  text: z.string().trim().min(1, 'Write the reply').max(2000),
});
export const demoReplyResultSchema = z.object({
  /** It answers an email a workflow sent: Replied is counted on that step, Stop on Response ends the contact's runs. */
  matched: z.boolean(),
  /** Posted before: nothing counted again. */
  duplicate: z.boolean(),
});
export type DemoReplyResult = z.infer<typeof demoReplyResultSchema>;

export const demoInboxChannels = {
  /** The last messages the embedded demo practice sent (newest first, at most `limit`). */
  'demoInbox.list': { input: z.object({ limit: z.number().int().min(1).max(100).default(20) }).optional(), output: demoInboxSchema },
  /** "Reply" on a caught email: the contact's reply, through the inbound email webhook (demo practice only). */
  'demoInbox.reply': { input: demoReplyInputSchema, output: demoReplyResultSchema },
} as const;
