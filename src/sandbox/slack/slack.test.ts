// The Slack stand-in through the official @slack/web-api WebClient (slackApiUrl): connecting a
// workspace over OAuth, tokens and scopes, posting to channels and DMs as the bot or as the
// installing user, listing with cursor pagination ("Load More" over >1,000), e-mail lookups,
// Slack's errors, and rate limits (forced and enforced).
import { LogLevel, WebClient, WebClientEvent, type WebAPIPlatformError } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackStandIn, type SlackStandIn } from './index';

let slack: SlackStandIn;
let bot: WebClient;
let user: WebClient;
const REDIRECT = 'http://127.0.0.1:9/integrations/slack/callback';
const client = (token?: string, extra: ConstructorParameters<typeof WebClient>[1] = {}): WebClient =>
  new WebClient(token, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR, retryConfig: { retries: 0 }, ...extra });
const slackError = async (p: Promise<unknown>): Promise<{ error: string; needed?: string }> => {
  try {
    await p;
  } catch (e) {
    return (e as WebAPIPlatformError).data as { error: string; needed?: string };
  }
  throw new Error('expected a Slack error');
};

beforeAll(async () => {
  slack = await startSlackStandIn();
  const { botToken, userToken } = slack.control.install();
  bot = client(botToken);
  user = client(userToken!);
});

afterAll(async () => {
  await slack.stop();
});

async function authorize(query: Record<string, string>): Promise<URL> {
  const res = await fetch(`${slack.authorizeUrl}?${new URLSearchParams(query).toString()}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

describe('connecting a workspace (OAuth v2)', () => {
  it('authorize → redirect with code and state → oauth.v2.access gives bot and user tokens; codes are single-use', async () => {
    const back = await authorize({ client_id: slack.clientId, scope: 'chat:write,channels:read,users:read,users:read.email', user_scope: 'chat:write,groups:read', redirect_uri: REDIRECT, state: 'st-123' });
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('st-123');
    const code = back.searchParams.get('code')!;
    const granted = await client().oauth.v2.access({ client_id: slack.clientId, client_secret: slack.clientSecret, code, redirect_uri: REDIRECT });
    expect(granted).toMatchObject({ ok: true, token_type: 'bot', scope: 'chat:write,channels:read,users:read,users:read.email', team: { id: slack.teamId, name: 'Glow Med Spa' } });
    expect(granted.access_token).toMatch(/^xoxb-/);
    expect(granted.authed_user).toMatchObject({ token_type: 'user', scope: 'chat:write,groups:read', id: slack.control.installer });
    expect(granted.authed_user?.access_token).toMatch(/^xoxp-/);
    expect(await client(granted.access_token).auth.test()).toMatchObject({ ok: true, team_id: slack.teamId, user_id: granted.bot_user_id, bot_id: expect.stringMatching(/^B/) });
    expect((await slackError(client().oauth.v2.access({ client_id: slack.clientId, client_secret: slack.clientSecret, code }))).error).toBe('invalid_code');
  });

  it('refuses a wrong secret, a denied consent, an unknown client', async () => {
    const code = (await authorize({ client_id: slack.clientId, scope: 'chat:write', redirect_uri: REDIRECT })).searchParams.get('code')!;
    expect((await slackError(client().oauth.v2.access({ client_id: slack.clientId, client_secret: 'nope', code }))).error).toBe('bad_client_secret');
    slack.control.denyNextAuthorization();
    const denied = await authorize({ client_id: slack.clientId, scope: 'chat:write', redirect_uri: REDIRECT, state: 's' });
    expect([denied.searchParams.get('error'), denied.searchParams.get('code'), denied.searchParams.get('state')]).toEqual(['access_denied', null, 's']);
    expect((await fetch(`${slack.authorizeUrl}?client_id=someone-else&redirect_uri=${encodeURIComponent(REDIRECT)}`)).status).toBe(400);
  });

  it('with consent: "page", an admin sees Allow / Cancel and Allow redirects with a code', async () => {
    const paged = await startSlackStandIn({ consent: 'page' });
    try {
      const q = new URLSearchParams({ client_id: paged.clientId, scope: 'chat:write', redirect_uri: REDIRECT, state: 'xyz' });
      const html = await (await fetch(`${paged.authorizeUrl}?${q.toString()}`)).text();
      expect(html).toContain('Allow Aesthetix to access Glow Med Spa?');
      expect(html).toContain('name="decision" value="allow"');
      q.set('decision', 'allow');
      const res = await fetch(paged.authorizeUrl, { method: 'POST', body: q, redirect: 'manual' });
      const to = new URL(res.headers.get('location')!);
      expect(to.searchParams.get('code')).toBeTruthy();
      expect(to.searchParams.get('state')).toBe('xyz');
    } finally {
      await paged.stop();
    }
  });
});

describe('tokens', () => {
  it('auth.test for bot and user tokens; not_authed, invalid_auth, token_revoked', async () => {
    expect(await user.auth.test()).toMatchObject({ user_id: slack.control.installer, url: 'https://glow-med-spa.slack.com/', team: 'Glow Med Spa' });
    expect((await slackError(client().auth.test())).error).toBe('not_authed');
    expect((await slackError(client('xoxb-nope').auth.test())).error).toBe('invalid_auth');
    const { botToken } = slack.control.install();
    expect(await client(botToken).auth.revoke()).toMatchObject({ revoked: true });
    expect((await slackError(client(botToken).auth.test())).error).toBe('token_revoked');
  });
});

describe('chat.postMessage', () => {
  it('public channel as the bot (chat:write.public), private channel as the installing user, DMs by user id and conversations.open', async () => {
    const frontDesk = slack.control.channel('front-desk');
    const posted = await bot.chat.postMessage({ channel: frontDesk.id, text: 'New high-priority lead: *Jane Doe*' });
    expect(posted).toMatchObject({ ok: true, channel: frontDesk.id, message: { text: 'New high-priority lead: *Jane Doe*', bot_id: expect.stringMatching(/^B/) } });
    // Private channel: the bot is not in it, so it does not exist for the bot; the installer posts as themselves.
    expect((await slackError(bot.chat.postMessage({ channel: slack.control.channel('management').id, text: 'x' }))).error).toBe('channel_not_found');
    const asUser = await user.chat.postMessage({ channel: slack.control.channel('management').id, text: 'Monthly numbers are in' });
    expect(asUser.message).toMatchObject({ user: slack.control.installer });
    expect(asUser.message?.bot_id).toBeUndefined();

    const priya = slack.control.member('priya@glowmedspa.example');
    const dm = await bot.chat.postMessage({ channel: priya.id, text: 'Task assigned to you: call back Jane' });
    expect(dm.channel).toMatch(/^D/);
    const opened = await bot.conversations.open({ users: priya.id });
    expect(opened).toMatchObject({ ok: true, already_open: true, channel: { id: dm.channel } });

    expect(slack.control.messages({ channel: 'front-desk' })).toEqual([expect.objectContaining({ text: 'New high-priority lead: *Jane Doe*', postedAs: 'bot' })]);
    expect(slack.control.messages({ channel: 'management' })).toEqual([expect.objectContaining({ postedAs: 'user', user: slack.control.installer })]);
    expect(slack.control.messages({ channel: dm.channel! })).toEqual([expect.objectContaining({ kind: 'im', dmWith: priya.id })]);
  });

  it("Slack's errors: not_in_channel, is_archived, no_text, msg_too_long, invalid_blocks, missing_scope", async () => {
    const { botToken } = slack.control.install({ botScopes: ['chat:write', 'channels:read'] });
    const narrow = client(botToken);
    expect((await slackError(narrow.chat.postMessage({ channel: slack.control.channel('marketing').id, text: 'x' }))).error).toBe('not_in_channel');
    slack.control.invite('marketing');
    expect((await narrow.chat.postMessage({ channel: '#marketing', text: 'Now I am in' })).ok).toBe(true);
    expect((await slackError(bot.chat.postMessage({ channel: slack.control.channel('holiday-party-2023').id, text: 'x' }))).error).toBe('is_archived');
    expect((await slackError(bot.chat.postMessage({ channel: '#general', text: '' }))).error).toBe('no_text');
    expect((await slackError(bot.chat.postMessage({ channel: '#general', text: 'x'.repeat(40_001) }))).error).toBe('msg_too_long');
    expect((await slackError(bot.chat.postMessage({ channel: '#general', text: 'x', blocks: [{ nope: 1 }] as never }))).error).toBe('invalid_blocks');
    expect(await slackError(narrow.users.list({}))).toMatchObject({ error: 'missing_scope', needed: 'users:read' });
    expect((await slackError(bot.chat.postMessage({ channel: 'C0NOTHERE', text: 'x' }))).error).toBe('channel_not_found');
  });
});

describe('directory', () => {
  it('conversations.list: public by default; private ones only to members; exclude_archived; types need their scopes', async () => {
    const publicOnly = await bot.conversations.list({});
    const names = publicOnly.channels!.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['general', 'front-desk', 'new-leads', 'holiday-party-2023']));
    expect(names).not.toContain('management');
    const botPrivate = await bot.conversations.list({ types: 'private_channel' });
    expect(botPrivate.channels).toEqual([]);
    slack.control.invite('clinical-escalations');
    expect((await bot.conversations.list({ types: 'private_channel' })).channels!.map((c) => c.name)).toEqual(['clinical-escalations']);
    const userPrivate = await user.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true });
    expect(userPrivate.channels!.map((c) => c.name)).toEqual(expect.arrayContaining(['management', 'billing', 'general']));
    expect(userPrivate.channels!.find((c) => c.name === 'holiday-party-2023')).toBeUndefined();
    expect(userPrivate.channels!.find((c) => c.name === 'management')).toMatchObject({ is_private: true, is_member: true });
    const { botToken } = slack.control.install({ botScopes: ['channels:read'] });
    expect(await slackError(client(botToken).conversations.list({ types: 'private_channel' }))).toMatchObject({ error: 'missing_scope', needed: 'groups:read' });
    expect((await slackError(bot.conversations.list({ cursor: 'bm90LWEtY3Vyc29y' }))).error).toBe('invalid_cursor');
  });

  it('users.list and users.lookupByEmail: e-mail only with users:read.email; deactivated members are not found', async () => {
    const members = (await bot.users.list({})).members!;
    expect(members.find((m) => m.name === 'maya.chen')).toMatchObject({ real_name: 'Dr. Maya Chen', is_admin: true, is_primary_owner: true, profile: { email: 'admin@glowmedspa.example' } });
    expect(members.find((m) => m.name === 'jordan')).toMatchObject({ real_name: 'Jordan Lee', profile: { email: 'jordan@glowmedspa.example', title: 'Receptionist' } });
    expect(members.find((m) => m.is_bot && m.name === 'aesthetix')).toBeTruthy();
    expect(members.find((m) => m.name === 'sam.ortiz')?.deleted).toBe(true);
    const found = await bot.users.lookupByEmail({ email: 'Jasmine@GlowMedSpa.example' });
    expect(found.user).toMatchObject({ real_name: 'Jasmine Brooks, RN', profile: { title: 'Nurse Injector' } });
    expect((await slackError(bot.users.lookupByEmail({ email: 'nobody@example.com' }))).error).toBe('users_not_found');
    expect((await slackError(bot.users.lookupByEmail({ email: 'sam@glowmedspa.example' }))).error).toBe('users_not_found');
    const { botToken } = slack.control.install({ botScopes: ['users:read'] });
    const noEmail = client(botToken);
    expect((await noEmail.users.list({})).members!.find((m) => m.name === 'maya.chen')?.profile?.email).toBeUndefined();
    expect(await slackError(noEmail.users.lookupByEmail({ email: 'admin@glowmedspa.example' }))).toMatchObject({ error: 'missing_scope', needed: 'users:read.email' });
  });

  it('a workspace with more than 1,000 members and channels pages with next_cursor ("Load More")', async () => {
    const big = await startSlackStandIn({ extraUsers: 1500, extraChannels: 1200 });
    try {
      const bigBot = new WebClient(big.control.install().botToken, { slackApiUrl: big.apiUrl, logLevel: LogLevel.ERROR, retryConfig: { retries: 0 } });
      const first = await bigBot.conversations.list({ limit: 200 });
      expect(first.channels).toHaveLength(200);
      expect(first.response_metadata?.next_cursor).toBeTruthy();
      const channels: string[] = [];
      for await (const page of bigBot.paginate('conversations.list', { limit: 200 })) channels.push(...(page as unknown as { channels: Array<{ id: string }> }).channels.map((c) => c.id));
      expect(channels.length).toBe(1200 + 9);
      expect(new Set(channels).size).toBe(channels.length);
      let members = 0;
      let pages = 0;
      for await (const page of bigBot.paginate('users.list', { limit: 200 })) {
        members += (page as unknown as { members: unknown[] }).members.length;
        pages++;
      }
      expect(members).toBe(1500 + 12 + 2);
      expect(pages).toBe(Math.ceil(members / 200));
      expect((await bigBot.users.list({ limit: 5000 })).members).toHaveLength(1000);
    } finally {
      await big.stop();
    }
  });
});

describe('rate limits', () => {
  it('a forced 429 with Retry-After: the WebClient waits and retries, or rejects when told to', async () => {
    slack.control.rateLimit({ method: 'chat.postMessage', times: 1, retryAfterSeconds: 1 });
    const patient = client(slack.control.install().botToken, { retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 10 } });
    let limited = 0;
    patient.on(WebClientEvent.RATE_LIMITED, () => limited++);
    const started = Date.now();
    expect((await patient.chat.postMessage({ channel: '#general', text: 'after the wait' })).ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(limited).toBe(1);
    slack.control.rateLimit({ times: 1, retryAfterSeconds: 7 });
    const impatient = client(slack.control.install().botToken, { rejectRateLimitedCalls: true });
    await expect(impatient.auth.test()).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
  });

  it("enforced tiers: chat.postMessage bursts to 5 per channel, then about one per second; Tier 2 lists 20 a minute", async () => {
    slack.control.enforceRateLimits(true);
    try {
      const c = client(slack.control.install().botToken, { rejectRateLimitedCalls: true });
      for (let i = 0; i < 5; i++) await c.chat.postMessage({ channel: '#random', text: `burst ${i}` });
      await expect(c.chat.postMessage({ channel: '#random', text: 'one too many' })).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 1 });
      expect((await c.chat.postMessage({ channel: '#general', text: 'another channel is fine' })).ok).toBe(true);
      for (let i = 0; i < 20; i++) await c.conversations.list({ limit: 1 });
      await expect(c.conversations.list({ limit: 1 })).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error' });
    } finally {
      slack.control.enforceRateLimits(false);
      slack.control.clearRateLimits();
    }
  });
});

describe('control over HTTP', () => {
  it('needs the control token; lists messages, installs, adds members', async () => {
    const call = (path: string, init: RequestInit = {}, token = slack.controlToken): Promise<Response> =>
      fetch(`${slack.baseUrl}/_standin${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
    expect((await call('/messages', {}, 'wrong-token-wrong-token-wrong-tok')).status).toBe(401);
    const messages = (await (await call('/messages?channel=front-desk')).json()) as Array<{ text: string }>;
    expect(messages.map((m) => m.text)).toContain('New high-priority lead: *Jane Doe*');
    const installed = (await (await call('/install', { method: 'POST', body: JSON.stringify({ botScopes: ['users:read', 'users:read.email'] }) })).json()) as { botToken: string };
    expect((await call('/users', { method: 'POST', body: JSON.stringify({ realName: 'Riley Stone', email: 'riley@glowmedspa.example' }) })).status).toBe(200);
    expect((await client(installed.botToken).users.lookupByEmail({ email: 'riley@glowmedspa.example' })).user?.real_name).toBe('Riley Stone');
    expect((await call('/users', { method: 'POST', body: JSON.stringify({ realName: '', email: 'not-an-email' }) })).status).toBe(400);
  });
});
