import type { SlackChannel, SlackChannelPage, SlackMember, SlackMemberPage } from '../../shared/cloud/slack';
import type { CloudContext, Principal } from '../context';
import { ApiError } from '../errors';
import { slackClient, slackProblem } from './client';
import { noteSlackFailure, requireConnection } from './connections';

/**
 * The workspace's members and channels for the Slack action's pickers, one Slack page at a time
 * ("Load More" = the next cursor). Large workspaces (over 1,000 members or channels) take several
 * pages, as the seed warns; a search reads pages until enough match (at most MAX_SEARCH_PAGES per request).
 */
const MAX_SEARCH_PAGES = 10;

interface RawMember {
  id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_app_user?: boolean;
  profile?: { email?: string; display_name?: string; real_name?: string };
}

const toMember = (m: RawMember): SlackMember => ({
  id: m.id ?? '',
  name: m.profile?.display_name || m.real_name || m.name || m.id || '',
  realName: m.real_name ?? m.profile?.real_name ?? m.name ?? '',
  email: m.profile?.email ?? null,
});

/** Only people a message can reach: no bots, no Slackbot, no deactivated members. */
const isPerson = (m: RawMember): boolean => !m.deleted && !m.is_bot && !m.is_app_user && m.id !== 'USLACKBOT';

export async function listSlackMembers(ctx: CloudContext, principal: Principal, id: string, query: { cursor?: string; limit: number; search?: string }): Promise<SlackMemberPage> {
  const open = await requireConnection(ctx, principal, id);
  const client = slackClient(ctx.config, open.botToken);
  const needle = query.search?.toLowerCase();
  const items: SlackMember[] = [];
  let cursor = query.cursor;
  for (let page = 0; page < (needle ? MAX_SEARCH_PAGES : 1); page++) {
    let result: { members?: RawMember[]; response_metadata?: { next_cursor?: string } };
    try {
      result = (await client.users.list({ limit: needle ? 200 : query.limit, ...(cursor ? { cursor } : {}) })) as typeof result;
    } catch (error) {
      await noteSlackFailure(ctx.db, principal.accountId, id, error);
      throw slackProblem(error, 'listing the workspace members');
    }
    for (const member of (result.members ?? []).filter(isPerson).map(toMember)) {
      if (!needle || [member.name, member.realName, member.email ?? ''].some((v) => v.toLowerCase().includes(needle))) items.push(member);
    }
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor || (needle && items.length >= query.limit)) break;
  }
  return { items, nextCursor: cursor ?? null };
}

interface RawChannel {
  id?: string;
  name?: string;
  is_private?: boolean;
  is_archived?: boolean;
  num_members?: number;
}

/** Public channels through the bot; private channels as the installer sees them (it posts there as that person). */
export async function listSlackChannels(
  ctx: CloudContext,
  principal: Principal,
  id: string,
  query: { cursor?: string; limit: number; search?: string; type: 'public' | 'private' },
): Promise<SlackChannelPage> {
  const open = await requireConnection(ctx, principal, id);
  const token = query.type === 'private' ? open.userToken : open.botToken;
  if (!token) throw new ApiError('SLACK_REQUEST_FAILED', 'This workspace was connected without a user token, so its private channels cannot be used: connect it again');
  const client = slackClient(ctx.config, token);
  const needle = query.search?.toLowerCase().replace(/^#/, '');
  const items: SlackChannel[] = [];
  let cursor = query.cursor;
  for (let page = 0; page < (needle ? MAX_SEARCH_PAGES : 1); page++) {
    let result: { channels?: RawChannel[]; response_metadata?: { next_cursor?: string } };
    try {
      result = (await client.conversations.list({
        types: query.type === 'private' ? 'private_channel' : 'public_channel', exclude_archived: true, limit: needle ? 200 : query.limit, ...(cursor ? { cursor } : {}),
      })) as typeof result;
    } catch (error) {
      await noteSlackFailure(ctx.db, principal.accountId, id, error);
      throw slackProblem(error, 'listing channels');
    }
    for (const c of result.channels ?? []) {
      if (c.is_archived || !c.id) continue;
      const channel = { id: c.id, name: c.name ?? c.id, isPrivate: c.is_private === true, memberCount: c.num_members ?? null };
      if (!needle || channel.name.toLowerCase().includes(needle)) items.push(channel);
    }
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor || (needle && items.length >= query.limit)) break;
  }
  return { items, nextCursor: cursor ?? null };
}
