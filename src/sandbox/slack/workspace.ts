// A Slack workspace in memory: its team, members, conversations (channels, private channels,
// DMs) and the messages posted — what the Web API stand-in reads and writes.
import { randomBytes } from 'node:crypto';

export interface SlackTeam {
  id: string;
  name: string;
  domain: string;
}

export interface SlackUser {
  id: string;
  name: string;
  realName: string;
  displayName: string;
  email: string | null;
  title: string;
  phone: string;
  tz: string;
  isAdmin: boolean;
  isOwner: boolean;
  isPrimaryOwner: boolean;
  isRestricted: boolean;
  isBot: boolean;
  botId: string | null;
  appId: string | null;
  deleted: boolean;
  updated: number;
  color: string;
}

export interface SlackConversation {
  id: string;
  kind: 'channel' | 'im' | 'mpim';
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  isGeneral: boolean;
  created: number;
  creator: string;
  members: Set<string>;
  topic: string;
  purpose: string;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  /** The posting user (the bot user for bot tokens). */
  user: string;
  botId: string | null;
  appId: string | null;
  /** Which token posted it: the app's bot, or a user (the installer, posting as themselves). */
  postedAs: 'bot' | 'user';
  text: string;
  blocks: unknown[] | null;
  threadTs: string | null;
  username: string | null;
  iconEmoji: string | null;
  postedAt: Date;
}

/** A member with the usual defaults (a person, active, no e-mail, Central time). */
export function member(fields: Pick<SlackUser, 'id' | 'name' | 'realName'> & Partial<SlackUser>): SlackUser {
  return {
    displayName: fields.realName.split(/[ ,]/)[0] ?? fields.realName,
    email: null,
    title: '',
    phone: '',
    tz: 'America/Chicago',
    isAdmin: false,
    isOwner: false,
    isPrimaryOwner: false,
    isRestricted: false,
    isBot: false,
    botId: null,
    appId: null,
    deleted: false,
    updated: Math.floor(Date.now() / 1000),
    color: '4bbe2e',
    ...fields,
  };
}

const PREFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Slack-shaped ids: a type letter and ten uppercase letters/digits. */
export function slackId(prefix: 'T' | 'U' | 'C' | 'D' | 'G' | 'B' | 'A'): string {
  const bytes = randomBytes(10);
  return prefix + [...bytes].map((b) => PREFIX_CHARS[b % PREFIX_CHARS.length]).join('');
}

export class Workspace {
  readonly users = new Map<string, SlackUser>();
  readonly conversations = new Map<string, SlackConversation>();
  readonly messages: SlackMessage[] = [];
  private lastTs = 0;

  constructor(readonly team: SlackTeam) {}

  get url(): string {
    return `https://${this.team.domain}.slack.com/`;
  }

  addUser(user: SlackUser): SlackUser {
    this.users.set(user.id, user);
    return user;
  }

  addConversation(c: SlackConversation): SlackConversation {
    this.conversations.set(c.id, c);
    return c;
  }

  userByEmail(email: string): SlackUser | undefined {
    const wanted = email.trim().toLowerCase();
    for (const u of this.users.values()) if (u.email?.toLowerCase() === wanted && !u.deleted) return u;
    return undefined;
  }

  channelByName(name: string): SlackConversation | undefined {
    const wanted = name.replace(/^#/, '').toLowerCase();
    for (const c of this.conversations.values()) if (c.kind === 'channel' && c.name === wanted) return c;
    return undefined;
  }

  /** The direct-message conversation between two members, opened if needed. */
  openDm(a: string, b: string): { conversation: SlackConversation; alreadyOpen: boolean } {
    for (const c of this.conversations.values()) {
      if (c.kind === 'im' && c.members.has(a) && c.members.has(b) && (a !== b || c.members.size === 1)) return { conversation: c, alreadyOpen: true };
    }
    const conversation = this.addConversation({
      id: slackId('D'),
      kind: 'im',
      name: '',
      isPrivate: true,
      isArchived: false,
      isGeneral: false,
      created: Math.floor(Date.now() / 1000),
      creator: a,
      members: new Set([a, b]),
      topic: '',
      purpose: '',
    });
    return { conversation, alreadyOpen: false };
  }

  /** The member on the other side of a DM. */
  dmPeer(c: SlackConversation, self: string): string | undefined {
    return [...c.members].find((m) => m !== self) ?? (c.members.has(self) ? self : undefined);
  }

  /** Message timestamps are unique and increasing, like Slack's "seconds.micros". */
  nextTs(): string {
    const now = Date.now() * 1000;
    this.lastTs = Math.max(now, this.lastTs + 1);
    return `${Math.floor(this.lastTs / 1_000_000)}.${String(this.lastTs % 1_000_000).padStart(6, '0')}`;
  }
}
