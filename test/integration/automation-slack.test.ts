import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxConfig } from '../../src/cloud/index';
import { DEMO_USERS } from '../../src/cloud/seed';
import { startSlackStandIn, type SlackStandIn } from '../../src/sandbox';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { enrolAndWait, publishWorkflow } from '../support/automation';
import { createContact, oneStepWorkflow, stepMetrics } from '../support/comms';

afterAll(stopTestPostgres);

const SLOW = 300_000;

describe.each(backends)('Slack action on %s (official @slack/web-api against the stand-in)', (backend) => {
  let slack: SlackStandIn;
  let t: TestCloud;
  let admin: string;
  let connectionId: string;
  const step = (config: Record<string, unknown>) => oneStepWorkflow({ id: 'slack', name: 'Tell Slack', type: 'slack', config: { connectionId, ...config } });

  beforeAll(async () => {
    slack = await startSlackStandIn();
    t = await startTestCloud(
      backend,
      {
        integrations: { slack: { clientId: slack.clientId, clientSecret: slack.clientSecret, authorizeUrl: slack.authorizeUrl } },
        automation: { ...sandboxConfig().automation, workers: true, slackApiUrl: slack.apiUrl },
      },
      { automation: {} },
    );
    admin = (await t.login('admin')).accessToken;
    // Connect the workspace as an admin does: Slack's page, then back to the cloud.
    const start = await t.api(admin, 'POST', '/v1/integrations/slack/connect');
    const atSlack = await fetch(start.body.authorizeUrl, { redirect: 'manual' });
    expect((await fetch(atSlack.headers.get('location')!)).status).toBe(200);
    connectionId = (await t.api(admin, 'GET', '/v1/integrations/slack')).body[0].id;
  }, SLOW);
  afterAll(async () => {
    await t?.stop();
    await slack?.stop();
  });

  it('is refused plainly while premium actions are off; once on, posts to the public channel and counts a premium execution', async () => {
    const contact = await createContact(t, admin, { name: 'Hannah Priority', phone: '+13105555001' });
    const frontDesk = slack.control.channel('front-desk');
    const wf = await publishWorkflow(t, admin, 'High-priority lead', step({ event: 'public_channel', channelId: frontDesk.id, message: 'A new high-priority lead: *{{contact.name}}*' }));
    expect((await enrolAndWait(t, admin, wf.id, contact)).steps[0]).toMatchObject({ status: 'skipped', reason: 'Premium actions are not enabled for this account' });
    expect(slack.control.messages({ channel: 'front-desk' })).toHaveLength(0);

    const enabled = await t.api(admin, 'PATCH', '/v1/automation/settings', { premiumActionsEnabled: true });
    expect(enabled.status).toBe(200);
    expect(enabled.body.premiumExecutions).toMatchObject({ thisMonth: 0, total: 0 }); // the refused step is no execution
    const second = await createContact(t, admin, { name: 'Ivy Priority', phone: '+13105555002' });
    expect((await enrolAndWait(t, admin, wf.id, second)).steps[0]).toMatchObject({ status: 'completed', reason: 'Posted in Glow Med Spa' });
    expect(slack.control.messages({ channel: 'front-desk' })).toEqual([expect.objectContaining({ text: 'A new high-priority lead: *Ivy Priority*', postedAs: 'bot' })]);
    expect(await stepMetrics(t, admin, wf.id, 'slack')).toMatchObject({ premium_execution: 1, delivered: 1 });
    // The account's usage, on the settings route.
    const settings = (await t.api(admin, 'GET', '/v1/automation/settings')).body;
    expect(settings.premiumExecutions).toMatchObject({ thisMonth: 1, total: 1 });
    expect(new Date(settings.premiumExecutions.monthStartsAt).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('DMs the assigned user (matched by email), an internal user, a Slack member; a private channel goes as the person who connected Slack', async () => {
    await t.api(admin, 'PATCH', '/v1/automation/settings', { premiumActionsEnabled: true });
    const jordan = slack.control.member(DEMO_USERS.receptionist.email);
    const contact = await createContact(t, admin, { name: 'Dee Em', phone: '+13105555003', assignedUserId: DEMO_USERS.receptionist.id });
    const assigned = await publishWorkflow(t, admin, 'DM assigned', step({ event: 'direct_message', userSource: 'assigned_user', message: 'Call {{contact.name}} back' }));
    expect((await enrolAndWait(t, admin, assigned.id, contact)).steps[0]!.status).toBe('completed');
    expect(slack.control.messages().find((m) => m.text === 'Call Dee Em back')).toMatchObject({ kind: 'im', dmWith: jordan.id, postedAs: 'bot' });

    const avery = slack.control.member(DEMO_USERS.receptionist2.email);
    const internal = await publishWorkflow(t, admin, 'DM internal', step({ event: 'direct_message', userSource: 'internal_user', internalUserId: DEMO_USERS.receptionist2.id, message: 'For Avery' }));
    await enrolAndWait(t, admin, internal.id, contact);
    expect(slack.control.messages().find((m) => m.text === 'For Avery')).toMatchObject({ dmWith: avery.id });

    const member = await publishWorkflow(t, admin, 'DM member', step({ event: 'direct_message', userSource: 'slack_user', slackUserId: jordan.id, message: 'Direct pick' }));
    await enrolAndWait(t, admin, member.id, contact);
    expect(slack.control.messages().find((m) => m.text === 'Direct pick')).toMatchObject({ dmWith: jordan.id });

    const management = slack.control.channel('management');
    const priv = await publishWorkflow(t, admin, 'Private', step({ event: 'private_channel', channelId: management.id, message: 'Monthly numbers' }));
    expect((await enrolAndWait(t, admin, priv.id, contact)).steps[0]!.reason).toMatch(/as the person who connected Slack/);
    expect(slack.control.messages({ channel: 'management' }).find((m) => m.text === 'Monthly numbers')).toMatchObject({ postedAs: 'user', user: slack.control.member(DEMO_USERS.admin.email).id });
  });

  it('a direct message saved without a User Source (the builder’s default, Assigned User) reaches the assigned user', async () => {
    await t.api(admin, 'PATCH', '/v1/automation/settings', { premiumActionsEnabled: true });
    const jordan = slack.control.member(DEMO_USERS.receptionist.email);
    const contact = await createContact(t, admin, { name: 'Dora Default', phone: '+13105555005', assignedUserId: DEMO_USERS.receptionist.id });
    const wf = await publishWorkflow(t, admin, 'DM by default', step({ event: 'direct_message', message: 'Lead {{contact.name}}' }));
    expect((await enrolAndWait(t, admin, wf.id, contact)).steps[0]).toMatchObject({ status: 'completed' });
    expect(slack.control.messages().find((m) => m.text === 'Lead Dora Default')).toMatchObject({ kind: 'im', dmWith: jordan.id });
  });

  it('a step without its channel, user or member is refused on save, naming what to choose', async () => {
    const refused = async (config: Record<string, unknown>) => {
      const res = await t.api(admin, 'POST', '/v1/workflows', { name: 'Incomplete Slack', draft: step({ message: 'x', ...config }) });
      expect(res.status).toBe(400);
      return (res.body.errors as { path: string; message: string }[]).map((e) => `${e.path.replace(/^.*\.config\./, '')}: ${e.message}`);
    };
    expect(await refused({ event: 'public_channel' })).toEqual(['channelId: Choose the channel to post in']);
    expect(await refused({ event: 'direct_message', userSource: 'internal_user' })).toEqual(['internalUserId: Choose the user to message']);
    expect(await refused({ event: 'direct_message', userSource: 'slack_user' })).toEqual(['slackUserId: Choose the Slack member to message']);
    expect(await refused({ event: 'direct_message', userSource: 'custom_email', customEmail: ' ' })).toEqual(['customEmail: Enter the email (or custom value) of the Slack member to message']);
  });

  it('an email no Slack member has, an unassigned contact, and a channel the bot cannot see are said plainly', async () => {
    await t.api(admin, 'PATCH', '/v1/automation/settings', { premiumActionsEnabled: true });
    const contact = await createContact(t, admin, { name: 'Ned Nobody', phone: '+13105555004', email: 'ned@example.com' });
    const custom = await publishWorkflow(t, admin, 'DM custom', step({ event: 'direct_message', userSource: 'custom_email', customEmail: '{{contact.email}}', message: 'x' }));
    expect((await enrolAndWait(t, admin, custom.id, contact)).steps[0]).toMatchObject({ status: 'error', reason: 'No member of the Slack workspace has the email ned@example.com (the custom email)' });
    const assigned = await publishWorkflow(t, admin, 'DM nobody', step({ event: 'direct_message', userSource: 'assigned_user', message: 'x' }));
    expect((await enrolAndWait(t, admin, assigned.id, contact)).steps[0]).toMatchObject({ status: 'skipped', reason: 'The contact has no assigned user' });
    const wrong = await publishWorkflow(t, admin, 'Wrong channel', step({ event: 'public_channel', channelId: 'C0NOTREAL', message: 'x' }));
    expect((await enrolAndWait(t, admin, wrong.id, contact)).steps[0]).toMatchObject({ status: 'error', reason: 'Slack refused the message: channel_not_found' });
  });
});
