// conversations.list / info / open and users.list / info / lookupByEmail: what a "pick a channel
// or a person" dropdown with "Load More" needs. Scopes decide what a token may read; private
// conversations are listed only to their members; e-mail needs users:read.email.
import { conversationJson, userJson } from './slack-json';
import { type Args, bool, type MethodCall, type MethodSpec, paginate, requireScope, SlackApiError, str } from './method-context';
import type { SlackConversation } from './workspace';

const TYPE_SCOPES: Record<string, string> = { public_channel: 'channels:read', private_channel: 'groups:read', im: 'im:read', mpim: 'mpim:read' };

function typeOf(c: SlackConversation): string {
  return c.kind === 'im' ? 'im' : c.kind === 'mpim' ? 'mpim' : c.isPrivate ? 'private_channel' : 'public_channel';
}

function visible(c: SlackConversation, me: string): boolean {
  return c.kind === 'channel' && !c.isPrivate ? true : c.members.has(me);
}

function conversationsList(call: MethodCall): Record<string, unknown> {
  const types = (str(call.args, 'types') || 'public_channel').split(',').map((t) => t.trim()).filter(Boolean);
  for (const t of types) {
    const scope = TYPE_SCOPES[t];
    if (!scope) throw new SlackApiError('invalid_types');
    requireScope(call, scope);
  }
  const me = call.token!.userId;
  const excludeArchived = bool(call.args, 'exclude_archived', false);
  const all = [...call.workspace.conversations.values()].filter((c) => types.includes(typeOf(c)) && visible(c, me) && !(excludeArchived && c.isArchived));
  const { page, nextCursor } = paginate(all, call.args, 100);
  return { channels: page.map((c) => conversationJson(c, me)), response_metadata: { next_cursor: nextCursor } };
}

function conversationsInfo(call: MethodCall): Record<string, unknown> {
  const id = str(call.args, 'channel') ?? '';
  const c = call.workspace.conversations.get(id);
  const me = call.token!.userId;
  if (!c || !visible(c, me)) throw new SlackApiError('channel_not_found');
  requireScope(call, TYPE_SCOPES[typeOf(c)]!);
  return { channel: conversationJson(c, me) };
}

function conversationsOpen(call: MethodCall): Record<string, unknown> {
  requireScope(call, 'im:write', 'mpim:write');
  const me = call.token!.userId;
  const ids = (str(call.args, 'users') ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  if (ids.length === 0) throw new SlackApiError('not_enough_users');
  if (ids.length > 8) throw new SlackApiError('too_many_users');
  for (const id of ids) {
    const u = call.workspace.users.get(id);
    if (!u) throw new SlackApiError('user_not_found');
    if (u.deleted) throw new SlackApiError('user_disabled');
    if (u.isBot && u.id !== me) throw new SlackApiError('cannot_dm_bot');
  }
  if (ids.length > 1) throw new SlackApiError('method_not_supported_for_channel_type', { detail: 'the stand-in opens one-to-one DMs only' });
  const { conversation, alreadyOpen } = call.workspace.openDm(me, ids[0]!);
  const full = bool(call.args, 'return_im', false);
  return { ...(alreadyOpen ? { no_op: true, already_open: true } : {}), channel: full ? conversationJson(conversation, me) : { id: conversation.id } };
}

function usersList(call: MethodCall): Record<string, unknown> {
  requireScope(call, 'users:read');
  const withEmail = call.token!.scopes.includes('users:read.email');
  const { page, nextCursor } = paginate([...call.workspace.users.values()], call.args as Args, 1000);
  return { members: page.map((u) => userJson(u, call.workspace, withEmail)), cache_ts: Math.floor(Date.now() / 1000), response_metadata: { next_cursor: nextCursor } };
}

function usersInfo(call: MethodCall): Record<string, unknown> {
  requireScope(call, 'users:read');
  const u = call.workspace.users.get(str(call.args, 'user') ?? '');
  if (!u) throw new SlackApiError('user_not_found');
  return { user: userJson(u, call.workspace, call.token!.scopes.includes('users:read.email')) };
}

function lookupByEmail(call: MethodCall): Record<string, unknown> {
  requireScope(call, 'users:read.email');
  const email = str(call.args, 'email');
  if (!email) throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: email'] } });
  const u = call.workspace.userByEmail(email);
  if (!u) throw new SlackApiError('users_not_found');
  return { user: userJson(u, call.workspace, true) };
}

export const directoryMethods: Record<string, MethodSpec> = {
  'conversations.list': { handler: conversationsList, needsToken: true },
  'conversations.info': { handler: conversationsInfo, needsToken: true },
  'conversations.open': { handler: conversationsOpen, needsToken: true },
  'users.list': { handler: usersList, needsToken: true },
  'users.info': { handler: usersInfo, needsToken: true },
  'users.lookupByEmail': { handler: lookupByEmail, needsToken: true },
};
