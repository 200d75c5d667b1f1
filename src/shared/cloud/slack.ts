import { z } from 'zod';

/**
 * Settings → Integrations → Slack: connected workspaces (OAuth v2), and their members and channels
 * for the Slack action's pickers, page by page ("Load More": pass `nextCursor` back as `cursor`).
 */
const id = z.string().min(1).max(64);

export const slackConnectionSchema = z.object({
  id,
  teamId: z.string(),
  teamName: z.string(),
  botUserId: z.string().nullable(),
  /** The Slack member who installed the app: private-channel messages are sent as this person. */
  installerSlackUserId: z.string().nullable(),
  /** False when Slack gave no user token: private channels cannot be posted to. */
  canPostToPrivateChannels: z.boolean(),
  connectedBy: id.nullable(),
  connectedAt: z.string(),
  /** The last problem Slack reported for this workspace (e.g. `token_revoked`): reconnect it. */
  lastError: z.string().nullable(),
});
export type SlackConnection = z.infer<typeof slackConnectionSchema>;

export const slackConnectStartSchema = z.object({
  /** Send the admin's browser here; Slack comes back to the cloud, which finishes the connection. */
  authorizeUrl: z.string(),
  /** How long the link works. */
  expiresAt: z.string(),
});
export type SlackConnectStart = z.infer<typeof slackConnectStartSchema>;

export const slackMemberSchema = z.object({
  id: z.string(),
  /** Display name (or real name when none). */
  name: z.string(),
  realName: z.string(),
  email: z.string().nullable(),
});
export type SlackMember = z.infer<typeof slackMemberSchema>;

export const slackChannelSchema = z.object({
  id: z.string(),
  name: z.string(),
  isPrivate: z.boolean(),
  memberCount: z.number().int().nullable(),
});
export type SlackChannel = z.infer<typeof slackChannelSchema>;

export const slackPageQuerySchema = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
  /** Members whose name, real name or e-mail contains this (case-insensitive); pages are read until enough match. */
  search: z.string().trim().min(1).max(100).optional(),
});
export const slackChannelQuerySchema = slackPageQuerySchema.extend({
  /** Public channels (the bot posts there) or the installer's private channels (posted as the installer). */
  type: z.enum(['public', 'private']).default('public'),
});

export const slackMemberPageSchema = z.object({ items: z.array(slackMemberSchema), nextCursor: z.string().nullable() });
export const slackChannelPageSchema = z.object({ items: z.array(slackChannelSchema), nextCursor: z.string().nullable() });
export type SlackMemberPage = z.infer<typeof slackMemberPageSchema>;
export type SlackChannelPage = z.infer<typeof slackChannelPageSchema>;

export const slackTestMessageSchema = z
  .object({
    /** A member id (a direct message from the app) or a channel id. */
    target: z.string().min(1).max(64),
    kind: z.enum(['direct_message', 'public_channel', 'private_channel']),
    text: z.string().trim().min(1).max(4000),
  })
  .strict();
