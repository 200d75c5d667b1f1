// Control of the Slack stand-in for tests and the embedded default: install the app without the
// OAuth dance, read what was posted, force or enforce rate limits, shape the workspace.
import { z } from 'zod';
import type { Installations } from './installations';
import type { RateLimiter } from './rate-limits';
import { member as newMember, slackId, type SlackConversation, type SlackUser, type Workspace } from './workspace';

export const DEFAULT_BOT_SCOPES = ['chat:write', 'chat:write.public', 'channels:read', 'groups:read', 'im:read', 'im:write', 'mpim:read', 'users:read', 'users:read.email'];
export const DEFAULT_USER_SCOPES = ['chat:write', 'channels:read', 'groups:read'];

export interface PostedMessage {
  channel: string;
  /** Channel name, or '' for a DM. */
  channelName: string;
  kind: SlackConversation['kind'];
  /** For a DM: the member on the other side of the poster. */
  dmWith: string | null;
  ts: string;
  user: string;
  postedAs: 'bot' | 'user';
  text: string;
  blocks: unknown[] | null;
  threadTs: string | null;
}

const installSchema = z.object({
  botScopes: z.array(z.string()).default(DEFAULT_BOT_SCOPES),
  userScopes: z.array(z.string()).default(DEFAULT_USER_SCOPES),
  /** Member id or e-mail of the installing user (default: the primary owner). */
  installer: z.string().optional(),
});

export class SlackControl {
  private installerId: string;

  constructor(
    readonly workspace: Workspace,
    private readonly installations: Installations,
    private readonly limiter: RateLimiter,
    defaultInstaller: string,
  ) {
    this.installerId = defaultInstaller;
  }

  get installer(): string {
    return this.installerId;
  }

  /** Who approves the next authorizations (a member id or e-mail). */
  setInstaller(who: string): void {
    this.installerId = this.member(who).id;
  }

  /** The next /oauth/v2/authorize is refused (redirect with error=access_denied). */
  denyNextAuthorization(): void {
    this.installations.denyNext = true;
  }

  /** Bot and user tokens, as an OAuth install would give them. */
  install(input: z.input<typeof installSchema> = {}): { botToken: string; userToken: string | null; botUserId: string; installerId: string; teamId: string } {
    const i = installSchema.parse(input);
    const installer = i.installer ? this.member(i.installer).id : this.installerId;
    const { bot, user } = this.installations.install(installer, i.botScopes, i.userScopes);
    return { botToken: bot.token, userToken: user?.token ?? null, botUserId: bot.userId, installerId: installer, teamId: this.workspace.team.id };
  }

  revoke(token: string): boolean {
    return this.installations.revoke(token);
  }

  /** Everything posted (oldest first), optionally in one conversation (id or channel name). */
  messages(filter: { channel?: string } = {}): PostedMessage[] {
    const wanted = filter.channel ? (this.workspace.conversations.get(filter.channel) ?? this.workspace.channelByName(filter.channel))?.id : undefined;
    if (filter.channel && !wanted) return [];
    return this.workspace.messages
      .filter((m) => !wanted || m.channel === wanted)
      .map((m) => {
        const c = this.workspace.conversations.get(m.channel)!;
        return {
          channel: m.channel,
          channelName: c.name,
          kind: c.kind,
          dmWith: c.kind === 'im' ? (this.workspace.dmPeer(c, m.user) ?? null) : null,
          ts: m.ts,
          user: m.user,
          postedAs: m.postedAs,
          text: m.text,
          blocks: m.blocks,
          threadTs: m.threadTs,
        };
      });
  }

  /** The next `times` calls (to `method`, or any) answer 429 with Retry-After `retryAfterSeconds`. */
  rateLimit(input: { method?: string; times?: number; retryAfterSeconds?: number } = {}): void {
    const r = z.object({ method: z.string().optional(), times: z.number().int().min(1).max(1000).default(1), retryAfterSeconds: z.number().int().min(0).max(3600).default(1) }).parse(input);
    this.limiter.force(r.method ?? null, r.times, r.retryAfterSeconds);
  }

  /** Turns Slack's published per-method tiers (and chat.postMessage's per-channel pace) on or off. */
  enforceRateLimits(on: boolean): void {
    this.limiter.enforceTiers = on;
  }

  clearRateLimits(): void {
    this.limiter.clear();
  }

  /** Adds a member (the bot can then find them by e-mail). */
  addUser(input: { realName: string; email: string; title?: string; isAdmin?: boolean }): SlackUser {
    const handle = input.email.split('@')[0]!.toLowerCase();
    return this.workspace.addUser(newMember({ id: slackId('U'), name: handle, realName: input.realName, email: input.email, title: input.title ?? '', isAdmin: input.isAdmin ?? false }));
  }

  deactivateUser(who: string): void {
    this.member(who).deleted = true;
  }

  addChannel(input: { name: string; isPrivate?: boolean; members?: string[] }): SlackConversation {
    const name = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,79}$/, 'lowercase letters, digits, - and _').parse(input.name);
    if (this.workspace.channelByName(name)) throw new Error(`#${name} exists`);
    const members = (input.members ?? [this.installerId]).map((m) => this.member(m).id);
    return this.workspace.addConversation({ id: slackId('C'), kind: 'channel', name, isPrivate: input.isPrivate ?? false, isArchived: false, isGeneral: false, created: Math.floor(Date.now() / 1000), creator: this.installerId, members: new Set(members), topic: '', purpose: '' });
  }

  /** Adds a member — by default the app's bot — to a channel (what /invite does). */
  invite(channel: string, who?: string): void {
    this.channel(channel).members.add(who ? this.member(who).id : this.installations.app.botUserId);
  }

  archive(channel: string): void {
    this.channel(channel).isArchived = true;
  }

  channel(idOrName: string): SlackConversation {
    const c = this.workspace.conversations.get(idOrName) ?? this.workspace.channelByName(idOrName);
    if (!c) throw new Error(`no channel ${idOrName}`);
    return c;
  }

  member(idOrEmail: string): SlackUser {
    const u = this.workspace.users.get(idOrEmail) ?? this.workspace.userByEmail(idOrEmail);
    if (!u) throw new Error(`no member ${idOrEmail}`);
    return u;
  }
}
