// Users, conversations and messages as Slack's Web API renders them.
import type { SlackConversation, SlackMessage, SlackUser, Workspace } from './workspace';

export function userJson(u: SlackUser, ws: Workspace, withEmail: boolean): Record<string, unknown> {
  const [first, ...rest] = u.realName.split(' ');
  return {
    id: u.id,
    team_id: ws.team.id,
    name: u.name,
    deleted: u.deleted,
    color: u.color,
    real_name: u.realName,
    tz: u.tz,
    tz_label: u.tz === 'America/Chicago' ? 'Central Standard Time' : 'Pacific Standard Time',
    tz_offset: u.tz === 'America/Chicago' ? -21600 : -28800,
    profile: {
      title: u.title,
      phone: u.phone,
      skype: '',
      real_name: u.realName,
      real_name_normalized: u.realName,
      display_name: u.displayName,
      display_name_normalized: u.displayName,
      first_name: first ?? '',
      last_name: rest.join(' '),
      status_text: '',
      status_emoji: '',
      status_expiration: 0,
      avatar_hash: u.id.slice(-8).toLowerCase(),
      ...(withEmail && u.email ? { email: u.email } : {}),
      ...(u.isBot ? { bot_id: u.botId, api_app_id: u.appId, always_active: true } : {}),
      team: ws.team.id,
    },
    is_admin: u.isAdmin,
    is_owner: u.isOwner,
    is_primary_owner: u.isPrimaryOwner,
    is_restricted: u.isRestricted,
    is_ultra_restricted: false,
    is_bot: u.isBot,
    is_app_user: false,
    updated: u.updated,
    is_email_confirmed: !u.isBot && u.email !== null,
  };
}

export function conversationJson(c: SlackConversation, callerId: string): Record<string, unknown> {
  if (c.kind === 'im') {
    return { id: c.id, created: c.created, is_im: true, is_org_shared: false, user: [...c.members].find((m) => m !== callerId) ?? callerId, is_user_deleted: false, priority: 0 };
  }
  return {
    id: c.id,
    name: c.name,
    is_channel: c.kind === 'channel' && !c.isPrivate,
    is_group: c.kind === 'channel' && c.isPrivate,
    is_im: false,
    is_mpim: c.kind === 'mpim',
    is_private: c.isPrivate,
    created: c.created,
    is_archived: c.isArchived,
    is_general: c.isGeneral,
    unlinked: 0,
    name_normalized: c.name,
    is_shared: false,
    is_org_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: null,
    updated: c.created * 1000,
    parent_conversation: null,
    creator: c.creator,
    is_ext_shared: false,
    shared_team_ids: [],
    pending_connected_team_ids: [],
    is_member: c.members.has(callerId),
    topic: { value: c.topic, creator: c.topic ? c.creator : '', last_set: 0 },
    purpose: { value: c.purpose, creator: c.purpose ? c.creator : '', last_set: c.purpose ? c.created : 0 },
    previous_names: [],
    num_members: c.members.size,
  };
}

export function messageJson(m: SlackMessage, ws: Workspace): Record<string, unknown> {
  return {
    type: 'message',
    ...(m.botId ? { bot_id: m.botId, app_id: m.appId } : {}),
    text: m.text,
    user: m.user,
    ts: m.ts,
    team: ws.team.id,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(m.username ? { username: m.username } : {}),
    ...(m.botId ? { bot_profile: { id: m.botId, app_id: m.appId, name: 'Aesthetix', deleted: false, team_id: ws.team.id } } : {}),
  };
}
