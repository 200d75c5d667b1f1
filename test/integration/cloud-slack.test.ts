import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startSlackStandIn, type SlackStandIn } from '../../src/sandbox';
import { openConnection, startSlackConnect } from '../../src/cloud/slack/connections';
import { write } from '../../src/cloud/db/unit-of-work';
import type { CloudContext } from '../../src/cloud/context';
import { slackConnectionSchema, slackMemberPageSchema } from '../../src/shared/cloud/slack';
import { DEMO_ACCOUNT_ID, sandboxConfig } from '../../src/cloud/index';
import { backends, DEMO_USERS, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { otherPracticeAdmin } from '../support/comms';

afterAll(stopTestPostgres);

const SLOW = 300_000;
/** The stand-in's generated workspace: the seed's people plus this many members and channels, so pickers must page. */
const EXTRA_USERS = 1500;
const EXTRA_CHANNELS = 1200;

/**
 * What the admin's browser does: follow Slack's authorize link back to the cloud's callback. With
 * `checkedFirst`, a link checker sends a HEAD of the callback before the browser comes back.
 */
async function approveInBrowser(authorizeUrl: string, options: { checkedFirst?: boolean } = {}): Promise<{ status: number; html: string }> {
  const atSlack = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(atSlack.status).toBe(302);
  if (options.checkedFirst) expect((await fetch(atSlack.headers.get('location')!, { method: 'HEAD' })).status).toBe(200);
  const back = await fetch(atSlack.headers.get('location')!);
  return { status: back.status, html: await back.text() };
}

describe.each(backends)('Settings → Integrations → Slack on %s (official @slack/web-api against the stand-in)', (backend) => {
  let slack: SlackStandIn;
  let t: TestCloud;
  let admin: string;
  let connectionId: string;
  beforeAll(async () => {
    slack = await startSlackStandIn({ extraUsers: EXTRA_USERS, extraChannels: EXTRA_CHANNELS });
    t = await startTestCloud(backend, {
      integrations: { slack: { clientId: slack.clientId, clientSecret: slack.clientSecret, authorizeUrl: slack.authorizeUrl } },
      automation: { ...sandboxConfig().automation, workers: false, slackApiUrl: slack.apiUrl },
    });
    admin = (await t.login('admin')).accessToken;
  }, SLOW);
  afterAll(async () => {
    await t?.stop();
    await slack?.stop();
  });

  it('connects a workspace through Slack OAuth v2: the browser comes back to the cloud, tokens are stored sealed', async () => {
    const start = await t.api(admin, 'POST', '/v1/integrations/slack/connect');
    expect(start.status).toBe(201);
    const url = new URL(start.body.authorizeUrl);
    expect(url.origin + url.pathname).toBe(slack.authorizeUrl);
    expect(url.searchParams.get('client_id')).toBe(slack.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(`${t.cloud.publicUrl}/integrations/slack/oauth/callback`);
    expect(url.searchParams.get('scope')).toContain('chat:write');
    expect(url.searchParams.get('user_scope')).toContain('groups:read');

    // A HEAD of the callback first (a link checker) finishes nothing: the admin's own visit still connects.
    const page = await approveInBrowser(start.body.authorizeUrl, { checkedFirst: true });
    expect(page.status).toBe(200);
    expect(page.html).toContain('Glow Med Spa');
    const list = await t.api(admin, 'GET', '/v1/integrations/slack');
    expect(list.body).toHaveLength(1);
    const connection = slackConnectionSchema.parse(list.body[0]);
    expect(connection).toMatchObject({ teamId: slack.teamId, teamName: 'Glow Med Spa', canPostToPrivateChannels: true, connectedBy: DEMO_USERS.admin.id, lastError: null });
    connectionId = connection.id;
    const stored = await t.cloud.db.query<{ bot_token_enc: string; user_token_enc: string }>(`SELECT bot_token_enc, user_token_enc FROM slack_connections`);
    expect(stored[0]!.bot_token_enc).toMatch(/^v1:/);
    expect(JSON.stringify(stored)).not.toContain('xox');

    // The same link cannot be used twice.
    const replay = await fetch(`${t.cloud.publicUrl}/integrations/slack/oauth/callback?code=x&state=${url.searchParams.get('state')}`);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used');
  });

  it('lists members page by page ("Load More") until every person of a 1,500-member workspace is seen; search finds one by name', async () => {
    const seen = new Set<string>();
    const names = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.api(admin, 'GET', `/v1/integrations/slack/${connectionId}/members?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      const page = slackMemberPageSchema.parse(res.body);
      for (const m of page.items) {
        seen.add(m.id);
        names.add(m.realName);
      }
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(pages).toBeGreaterThan(5);
    // Every active person, and no bot, Slackbot or deactivated member.
    expect(seen.size).toBeGreaterThanOrEqual(EXTRA_USERS + 10);
    expect(names.has('Jordan Lee')).toBe(true);
    expect(names.has('Sam Ortiz')).toBe(false);
    expect(names.has('Slackbot')).toBe(false);

    const found = await t.api(admin, 'GET', `/v1/integrations/slack/${connectionId}/members?search=jordan&limit=5`);
    expect(found.body.items).toEqual([expect.objectContaining({ realName: 'Jordan Lee', email: DEMO_USERS.receptionist.email })]);
  });

  it('lists public channels (the bot posts there) and the installer\'s private channels', async () => {
    const first = await t.api(admin, 'GET', `/v1/integrations/slack/${connectionId}/channels?type=public&limit=100`);
    expect(first.body.items).toHaveLength(100);
    expect(first.body.nextCursor).toBeTruthy();
    const frontDesk = await t.api(admin, 'GET', `/v1/integrations/slack/${connectionId}/channels?type=public&search=%23front-desk`);
    expect(frontDesk.body.items.map((c: { name: string }) => c.name)).toContain('front-desk');
    expect(frontDesk.body.items.map((c: { name: string }) => c.name)).not.toContain('holiday-party-2023');
    const privateOnes = await t.api(admin, 'GET', `/v1/integrations/slack/${connectionId}/channels?type=private`);
    expect(privateOnes.body.items.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['management']));
    expect(privateOnes.body.items.every((c: { isPrivate: boolean }) => c.isPrivate)).toBe(true);
  });

  it('sends test messages: a DM from the app, and a private-channel post as the person who connected Slack', async () => {
    const jordan = slack.control.member(DEMO_USERS.receptionist.email);
    const dm = await t.api(admin, 'POST', `/v1/integrations/slack/${connectionId}/test-message`, { kind: 'direct_message', target: jordan.id, text: 'Hello from the builder' });
    expect(dm.status).toBe(200);
    const management = slack.control.channel('management');
    const priv = await t.api(admin, 'POST', `/v1/integrations/slack/${connectionId}/test-message`, { kind: 'private_channel', target: management.id, text: 'Private hello' });
    expect(priv.body.postedAs).toBe('installer');
    const posted = slack.control.messages();
    expect(posted.find((m) => m.text === '[Test] Hello from the builder')).toMatchObject({ kind: 'im', dmWith: jordan.id, postedAs: 'bot' });
    expect(posted.find((m) => m.text === '[Test] Private hello')).toMatchObject({ channelName: 'management', postedAs: 'user', user: slack.control.member(DEMO_USERS.admin.email).id });
  });

  it("passes Slack's rate limit on as RATE_LIMITED with its Retry-After", async () => {
    slack.control.rateLimit({ method: 'users.list', times: 1, retryAfterSeconds: 7 });
    const limited = await t.api(admin, 'GET', `/v1/integrations/slack/${connectionId}/members`);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(limited.headers.get('retry-after')).toBe('7');
  });

  it('a revoked token shows on the connection; reconnecting the workspace keeps its id and clears it', async () => {
    const open = (await openConnection(t.cloud.db, t.cloud.config, DEMO_ACCOUNT_ID, connectionId))!;
    slack.control.revoke(open.botToken);
    const failed = await t.api(admin, 'GET', `/v1/integrations/slack/${connectionId}/members`);
    expect(failed.status).toBe(502);
    expect(failed.body.detail).toMatch(/token_revoked.*connect it again/);
    expect((await t.api(admin, 'GET', '/v1/integrations/slack')).body[0].lastError).toBe('token_revoked');

    const start = await t.api(admin, 'POST', '/v1/integrations/slack/connect');
    expect((await approveInBrowser(start.body.authorizeUrl)).status).toBe(200);
    const list = (await t.api(admin, 'GET', '/v1/integrations/slack')).body;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: connectionId, lastError: null });
    expect((await t.api(admin, 'GET', `/v1/integrations/slack/${connectionId}/members?limit=5`)).status).toBe(200);
  });

  it('a cancelled approval, a stranger and a receptionist get nothing', async () => {
    slack.control.denyNextAuthorization();
    const start = await t.api(admin, 'POST', '/v1/integrations/slack/connect');
    const denied = await approveInBrowser(start.body.authorizeUrl);
    expect(denied.status).toBe(400);
    expect(denied.html).toContain('cancelled');
    expect((await fetch(`${t.cloud.publicUrl}/integrations/slack/oauth/callback?code=abc&state=forged`)).status).toBe(400);

    const jordan = (await t.login('receptionist')).accessToken;
    expect((await t.api(jordan, 'GET', '/v1/integrations/slack')).status).toBe(403);
    expect((await t.api(jordan, 'POST', '/v1/integrations/slack/connect')).status).toBe(403);
    const other = await otherPracticeAdmin(t);
    expect((await t.api(other.token, 'GET', `/v1/integrations/slack/${connectionId}/members`)).status).toBe(404);
    expect((await t.api(other.token, 'DELETE', `/v1/integrations/slack/${connectionId}`)).status).toBe(404);
    expect((await t.api(other.token, 'GET', '/v1/integrations/slack')).body).toEqual([]);
  });

  it('says plainly when the server has no Slack app configured', async () => {
    const ctx = { db: t.cloud.db, config: { ...t.cloud.config, integrations: {} }, log: pino({ level: 'silent' }), publicUrl: () => t.cloud.publicUrl } as unknown as CloudContext;
    const principal = { userId: DEMO_USERS.admin.id, accountId: DEMO_ACCOUNT_ID, role: 'admin' as const, sessionId: 'x' };
    await expect(write(t.cloud.db, principal.accountId, (uow) => startSlackConnect(ctx, uow, principal))).rejects.toThrow(/SLACK_CLIENT_ID/);
  });

  it('disconnects: tokens revoked at Slack, the connection gone', async () => {
    const open = (await openConnection(t.cloud.db, t.cloud.config, DEMO_ACCOUNT_ID, connectionId))!;
    expect((await t.api(admin, 'DELETE', `/v1/integrations/slack/${connectionId}`)).status).toBe(204);
    expect((await t.api(admin, 'GET', '/v1/integrations/slack')).body).toEqual([]);
    expect((await t.api(admin, 'GET', `/v1/integrations/slack/${connectionId}/members`)).status).toBe(404);
    const check = await fetch(`${slack.apiUrl}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${open.botToken}` } });
    expect(((await check.json()) as { error?: string }).error).toBe('token_revoked');
  });
});
