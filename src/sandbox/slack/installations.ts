// The app registered with the workspace and its installations: OAuth codes, bot and user tokens
// with their scopes, revocation. Optionally kept in a file so a restarted stand-in still knows
// the tokens a cloud stored.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { seededId } from './seed';
import { member, type Workspace } from './workspace';

export interface SlackApp {
  id: string;
  name: string;
  clientId: string;
  clientSecret: string;
  botUserId: string;
  botId: string;
}

export interface SlackToken {
  token: string;
  kind: 'bot' | 'user';
  /** The bot user (bot tokens) or the installing member (user tokens). */
  userId: string;
  scopes: string[];
  revoked: boolean;
}

interface PendingCode {
  userId: string;
  botScopes: string[];
  userScopes: string[];
  redirectUri: string | null;
  expiresAt: number;
  used: boolean;
}

const storedSchema = z.object({ tokens: z.array(z.object({ token: z.string(), kind: z.enum(['bot', 'user']), userId: z.string(), scopes: z.array(z.string()), revoked: z.boolean() })) });

const CODE_TTL_MS = 10 * 60 * 1000;

export class Installations {
  readonly tokens = new Map<string, SlackToken>();
  private readonly codes = new Map<string, PendingCode>();
  /** Set by the control API: the next authorization is refused (error=access_denied). */
  denyNext = false;

  constructor(
    readonly app: SlackApp,
    private readonly workspace: Workspace,
    private readonly stateFile: string | null,
  ) {
    this.addBotUser();
    if (stateFile && existsSync(stateFile)) {
      const stored = storedSchema.parse(JSON.parse(readFileSync(stateFile, 'utf8')));
      for (const t of stored.tokens) this.tokens.set(t.token, t);
    }
  }

  static defaultApp(seed: string, clientId?: string, clientSecret?: string): SlackApp {
    return {
      id: seededId(seed, 'A', 'app'),
      name: 'Aesthetix',
      clientId: clientId ?? `${numeric(seed, 'client-a', 10)}.${numeric(seed, 'client-b', 13)}`,
      clientSecret: clientSecret ?? randomBytes(16).toString('hex'),
      botUserId: seededId(seed, 'U', 'aesthetix-bot'),
      botId: seededId(seed, 'B', 'aesthetix-bot'),
    };
  }

  /** The app's bot user appears in the workspace, as an installed app's does. */
  private addBotUser(): void {
    const bot = member({ id: this.app.botUserId, name: 'aesthetix', realName: 'Aesthetix', tz: 'America/Los_Angeles', isBot: true, botId: this.app.botId, appId: this.app.id, updated: 1_600_000_000, color: '3c989f' });
    this.workspace.addUser(bot);
  }

  /** The consent step of /oauth/v2/authorize, approved by `userId`: a one-time code. */
  issueCode(userId: string, botScopes: string[], userScopes: string[], redirectUri: string | null): string {
    const code = `${numeric(String(Math.random()), 'c', 10)}.${randomBytes(20).toString('hex')}`;
    this.codes.set(code, { userId, botScopes, userScopes, redirectUri, expiresAt: Date.now() + CODE_TTL_MS, used: false });
    return code;
  }

  /** oauth.v2.access: a code for tokens; null with Slack's error string otherwise. */
  redeem(code: string, redirectUri: string | null): { bot: SlackToken; user: SlackToken | null; installer: string } | { error: string } {
    const pending = this.codes.get(code);
    if (!pending || pending.used || pending.expiresAt < Date.now()) return { error: 'invalid_code' };
    if (pending.redirectUri && redirectUri !== null && redirectUri !== pending.redirectUri) return { error: 'bad_redirect_uri' };
    pending.used = true;
    return this.install(pending.userId, pending.botScopes, pending.userScopes);
  }

  /** Installs without the OAuth dance (control API, tests): fresh bot and user tokens. */
  install(installerId: string, botScopes: string[], userScopes: string[]): { bot: SlackToken; user: SlackToken | null; installer: string } {
    const team = numeric(this.workspace.team.id, 'team', 11);
    const bot: SlackToken = { token: `xoxb-${team}-${numeric(this.app.botId, 'bot', 12)}-${randomBytes(12).toString('base64url')}`, kind: 'bot', userId: this.app.botUserId, scopes: unique(botScopes), revoked: false };
    this.tokens.set(bot.token, bot);
    let user: SlackToken | null = null;
    if (userScopes.length) {
      user = { token: `xoxp-${team}-${numeric(installerId, 'user', 12)}-${numeric(String(Date.now()), 'i', 12)}-${randomBytes(16).toString('hex')}`, kind: 'user', userId: installerId, scopes: unique(userScopes), revoked: false };
      this.tokens.set(user.token, user);
    }
    this.save();
    return { bot, user, installer: installerId };
  }

  revoke(token: string): boolean {
    const t = this.tokens.get(token);
    if (!t || t.revoked) return false;
    t.revoked = true;
    this.save();
    return true;
  }

  private save(): void {
    if (!this.stateFile) return;
    writeFileSync(this.stateFile, JSON.stringify({ tokens: [...this.tokens.values()] }, null, 2), { mode: 0o600 });
  }
}

function unique(scopes: string[]): string[] {
  return [...new Set(scopes.map((s) => s.trim()).filter(Boolean))];
}

/** Digits derived from a string, for Slack-looking numeric parts of ids and tokens. */
function numeric(from: string, salt: string, length: number): string {
  let out = '';
  let i = 0;
  while (out.length < length) {
    const digest = randomlessDigest(`${salt}:${from}:${i++}`);
    out += digest.replace(/\D/g, '');
  }
  return out.slice(0, length).replace(/^0/, '1');
}

function randomlessDigest(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return String(h >>> 0) + String(Math.imul(h, 2654435761) >>> 0);
}
