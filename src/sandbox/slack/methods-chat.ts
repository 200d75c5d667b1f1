// chat.postMessage: to a channel by id or name, or to a member by user id (their DM with the
// app's bot, or with the installing user for a user token). A bot needs membership (or
// chat:write.public for public channels); private channels it is not in do not exist for it.
import { messageJson } from './slack-json';
import { type MethodCall, type MethodSpec, requireScope, SlackApiError, str } from './method-context';
import type { SlackConversation, SlackMessage } from './workspace';

const MAX_TEXT = 40_000;

export function resolveTarget(call: MethodCall, channel: string): SlackConversation {
  const { workspace } = call;
  const me = call.token!.userId;
  if (/^[UW][A-Z0-9]+$/.test(channel)) {
    const user = workspace.users.get(channel);
    if (!user || user.deleted) throw new SlackApiError('channel_not_found');
    return workspace.openDm(me, user.id).conversation;
  }
  const c = workspace.conversations.get(channel) ?? workspace.channelByName(channel);
  // Conversations the caller cannot see do not exist for it.
  if (!c || ((c.isPrivate || c.kind !== 'channel') && !c.members.has(me))) throw new SlackApiError('channel_not_found');
  return c;
}

function postMessage(call: MethodCall): Record<string, unknown> {
  requireScope(call, 'chat:write');
  const token = call.token!;
  const channel = str(call.args, 'channel');
  if (!channel) throw new SlackApiError('channel_not_found');
  const target = resolveTarget(call, channel);
  if (target.isArchived) throw new SlackApiError('is_archived');
  if (target.kind === 'channel' && !target.members.has(token.userId)) {
    const publicPost = token.kind === 'bot' && !target.isPrivate && token.scopes.includes('chat:write.public');
    if (!publicPost) throw new SlackApiError('not_in_channel');
  }
  const text = str(call.args, 'text') ?? '';
  const blocks = parseBlocks(call.args.blocks);
  if (!text.trim() && !blocks && call.args.attachments === undefined) throw new SlackApiError('no_text');
  if (text.length > MAX_TEXT) throw new SlackApiError('msg_too_long');
  const { app } = call.installations;
  const message: SlackMessage = {
    channel: target.id,
    ts: call.workspace.nextTs(),
    user: token.userId,
    botId: token.kind === 'bot' ? app.botId : null,
    appId: token.kind === 'bot' ? app.id : null,
    postedAs: token.kind,
    text,
    blocks,
    threadTs: str(call.args, 'thread_ts') ?? null,
    username: token.kind === 'bot' ? (str(call.args, 'username') ?? null) : null,
    iconEmoji: str(call.args, 'icon_emoji') ?? null,
    postedAt: new Date(),
  };
  call.workspace.messages.push(message);
  call.events.emitEvent('slack.message', { channel: target.id, channelName: target.name, ts: message.ts, user: message.user, postedAs: message.postedAs, text });
  return { channel: target.id, ts: message.ts, message: messageJson(message, call.workspace) };
}

function parseBlocks(raw: unknown): unknown[] | null {
  if (raw === undefined || raw === '') return null;
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new SlackApiError('invalid_blocks');
    }
  }
  if (!Array.isArray(value) || value.some((b) => typeof b !== 'object' || b === null || typeof (b as { type?: unknown }).type !== 'string')) throw new SlackApiError('invalid_blocks');
  return value;
}

export const chatMethods: Record<string, MethodSpec> = {
  'chat.postMessage': { handler: postMessage, needsToken: true },
};
