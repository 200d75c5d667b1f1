import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, sandboxConfig } from '../../src/cloud/index';
import { openConnection } from '../../src/cloud/slack/connections';
import { DEMO_SLACK_TEAM, planDemoSlack, recentSlackMessages, startDemoSlack, type DemoSlackPlan } from '../../src/main/embedded/demo-slack';
import type { SlackStandIn } from '../../src/sandbox';
import { slackChannelPageSchema, slackConnectionSchema, slackMemberPageSchema } from '../../src/shared/cloud/slack';
import { backends, DEMO_USERS, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { freePort } from '../../src/main/embedded/free-port';

afterAll(stopTestPostgres);

/** The settings screens ask for pages of this size (main's workflow-settings handler). */
const PAGE = 50;

/** What the admin does in the browser: Slack's consent page, Allow, and back to the cloud's callback. */
async function allowAtConsentPage(authorizeUrl: string): Promise<{ consent: string; status: number; html: string }> {
  const consentPage = await fetch(authorizeUrl);
  expect(consentPage.status).toBe(200);
  const consent = await consentPage.text();
  const form = new URLSearchParams([...consent.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, name, value]) => [name!, decodeEntities(value!)] as [string, string]));
  form.set('decision', 'allow');
  const allowed = await fetch(new URL('/oauth/v2/authorize', authorizeUrl), { method: 'POST', body: form, redirect: 'manual' });
  expect(allowed.status).toBe(302);
  const back = await fetch(allowed.headers.get('location')!);
  return { consent, status: back.status, html: await back.text() };
}

const decodeEntities = (s: string): string => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

/**
 * The embedded default's Slack (src/main/embedded/demo-slack.ts) wired to a cloud as stack.ts wires
 * it: the admin connects the demo workspace through its consent page, its members and public channels
 * take more than one page of the settings' size ("Load More"), test messages reach it and read as the
 * Demo inbox shows them, and a restarted stand-in still accepts the stored tokens.
 */
describe.each(backends)('the embedded default’s demo Slack workspace on %s', (backend) => {
  let dataDir: string;
  let plan: DemoSlackPlan;
  let slack: SlackStandIn;
  let t: TestCloud;
  let admin: string;
  let connectionId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'embedded-slack-'));
    plan = planDemoSlack(await freePort());
    slack = await startDemoSlack(plan, dataDir);
    t = await startTestCloud(backend, {
      integrations: { slack: { clientId: plan.clientId, clientSecret: plan.clientSecret, authorizeUrl: plan.authorizeUrl } },
      automation: { ...sandboxConfig().automation, workers: false, slackApiUrl: plan.apiUrl },
    });
    admin = (await t.login('admin')).accessToken;
  });
  afterAll(async () => {
    await t?.stop();
    await slack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('listens where it was planned, on loopback', () => {
    expect(slack.apiUrl).toBe(plan.apiUrl);
    expect(slack.authorizeUrl).toBe(plan.authorizeUrl);
    expect(new URL(plan.origin).hostname).toBe('127.0.0.1');
  });

  it('connects through the consent page, which names the demo workspace and the person approving', async () => {
    const start = await t.api(admin, 'POST', '/v1/integrations/slack/connect');
    expect(start.status).toBe(201);
    expect(start.body.authorizeUrl.startsWith(plan.authorizeUrl)).toBe(true);
    const { consent, status, html } = await allowAtConsentPage(start.body.authorizeUrl);
    expect(consent).toContain(`Allow Aesthetix to access ${DEMO_SLACK_TEAM}?`);
    expect(consent).toContain('Signed in as Dr. Maya Chen');
    expect(status).toBe(200);
    expect(html).toContain('Slack connected');
    const list = (await t.api(admin, 'GET', '/v1/integrations/slack')).body;
    expect(list).toHaveLength(1);
    const connection = slackConnectionSchema.parse(list[0]);
    expect(connection).toMatchObject({ teamName: DEMO_SLACK_TEAM, canPostToPrivateChannels: true, connectedBy: DEMO_USERS.admin.id });
    connectionId = connection.id;
  });

  it('has more members and public channels than one page: "Load More" brings the rest', async () => {
    const first = slackMemberPageSchema.parse((await t.api(admin, 'GET', `/v1/integrations/slack/${connectionId}/members?limit=${PAGE}`)).body);
    expect(first.items.length).toBeGreaterThan(0);
    expect(first.nextCursor).toBeTruthy();
    const second = slackMemberPageSchema.parse((await t.api(admin, 'GET', `/v1/integrations/slack/${connectionId}/members?limit=${PAGE}&cursor=${encodeURIComponent(first.nextCursor!)}`)).body);
    const names = [...first.items, ...second.items].map((m) => m.realName);
    expect(second.items.length).toBeGreaterThan(0);
    expect(new Set([...first.items, ...second.items].map((m) => m.id)).size).toBe(first.items.length + second.items.length);
    expect(names).toEqual(expect.arrayContaining(['Jordan Lee', 'Dr. Maya Chen']));

    const channels = slackChannelPageSchema.parse((await t.api(admin, 'GET', `/v1/integrations/slack/${connectionId}/channels?type=public&limit=${PAGE}`)).body);
    expect(channels.items).toHaveLength(PAGE);
    expect(channels.nextCursor).toBeTruthy();
    const more = slackChannelPageSchema.parse(
      (await t.api(admin, 'GET', `/v1/integrations/slack/${connectionId}/channels?type=public&limit=${PAGE}&cursor=${encodeURIComponent(channels.nextCursor!)}`)).body,
    );
    expect(more.items.length).toBeGreaterThan(0);
    expect([...channels.items, ...more.items].map((c) => c.name)).toEqual(expect.arrayContaining(['front-desk', 'new-leads']));
    const privateOnes = slackChannelPageSchema.parse((await t.api(admin, 'GET', `/v1/integrations/slack/${connectionId}/channels?type=private&limit=${PAGE}`)).body);
    expect(privateOnes.items.map((c) => c.name)).toEqual(expect.arrayContaining(['management']));
  });

  it('test messages land in the demo workspace and read as the Demo inbox lists them, newest first', async () => {
    const frontDesk = slack.control.channel('front-desk');
    const jordan = slack.control.member(DEMO_USERS.receptionist.email);
    expect((await t.api(admin, 'POST', `/v1/integrations/slack/${connectionId}/test-message`, { kind: 'public_channel', target: frontDesk.id, text: 'New lead waiting' })).status).toBe(200);
    expect((await t.api(admin, 'POST', `/v1/integrations/slack/${connectionId}/test-message`, { kind: 'direct_message', target: jordan.id, text: 'Call back Ana' })).status).toBe(200);
    const inbox = recentSlackMessages(slack.control, 10);
    expect(inbox.map(({ channel, to, subject, body }) => ({ channel, to, subject, body }))).toEqual([
      { channel: 'slack', to: 'Jordan Lee (direct message)', subject: null, body: '[Test] Call back Ana' },
      { channel: 'slack', to: '#front-desk', subject: null, body: '[Test] New lead waiting' },
    ]);
    expect(Math.abs(Date.parse(inbox[0]!.sentAt) - Date.now())).toBeLessThan(10 * 60_000);
    expect(recentSlackMessages(slack.control, 1).map((m) => m.body)).toEqual(['[Test] Call back Ana']);
  });

  it('a restarted demo workspace (the app started again) still accepts the tokens the cloud stored', async () => {
    const open = (await openConnection(t.cloud.db, t.cloud.config, DEMO_ACCOUNT_ID, connectionId))!;
    await slack.stop();
    plan = planDemoSlack(await freePort());
    slack = await startDemoSlack(plan, dataDir);
    const check = await new WebClient(open.botToken, { slackApiUrl: plan.apiUrl, retryConfig: { retries: 0 } }).auth.test();
    expect(check.ok).toBe(true);
    expect(check.team).toBe(DEMO_SLACK_TEAM);
  });
});
