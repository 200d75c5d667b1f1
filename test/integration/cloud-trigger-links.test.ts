/**
 * Trigger links (seed 002: the Manual SMS message "supports custom values and trigger links (for
 * example, a calendar booking link or a form link)"), on both backends with the official twilio
 * client against the sandbox: the admin routes and their checks, `{{trigger_link.<key>}}` in Send
 * SMS and Manual SMS made into each contact's own tracked link, the public redirect and what a
 * click counts, a deleted or unknown link refused on save / publish and failing a published step
 * with the reason, and Send Test SMS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, DEMO_SMS_TEMPLATES, DEMO_TRIGGER_LINKS, DEMO_USERS, seedDemo } from '../../src/cloud/seed';
import { triggerLinkKeyFromName } from '../../src/shared/cloud/trigger-link-fields';
import { mintTriggerLinks } from '../../src/cloud/trigger-links/tokens';
import type { Sandbox } from '../../src/sandbox/index';
import { taskSchema } from '../../src/shared/cloud/tasks';
import { backends, fastArgon, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { enrolAndWait, publishWorkflow, waitFor } from '../support/automation';
import { createContact, oneStepWorkflow, otherPracticeAdmin, startCommsCloud, stepMetrics } from '../support/comms';

afterAll(stopTestPostgres);

const SLOW = 300_000;
const SHORT_LINK = /http:\/\/127\.0\.0\.1:\d+\/l\/([\w-]{16})/;

const smsStep = (type: 'send_sms' | 'manual_sms', message: string) => oneStepWorkflow({ id: 'text', name: 'Consultation text', type, config: { message } });

describe.each(backends)('trigger links on %s', (backend) => {
  let t: TestCloud;
  let sandbox: Sandbox;
  let stop: () => Promise<void>;
  let admin: string;
  let jordan: string;
  let phoneSeq = 0;
  const newContact = async (name: string) => {
    phoneSeq += 1;
    const phone = `+1310555${String(5200 + phoneSeq)}`;
    return { phone, id: await createContact(t, admin, { name, phone, assignedUserId: DEMO_USERS.receptionist.id }) };
  };
  const createLink = async (name: string, url: string) => {
    const res = await t.api(admin, 'POST', '/v1/trigger-links', { name, url });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; key: string; url: string };
  };
  const linkOf = async (id: string) => (await t.api(admin, 'GET', `/v1/trigger-links/${id}`)).body;

  beforeAll(async () => {
    ({ t, sandbox, stop } = await startCommsCloud(backend));
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
  }, SLOW);
  afterAll(async () => stop?.());

  it('the demo practice comes with a booking link and an intake form link, and SMS templates naming them that send each contact their own link; seeding again changes nothing', async () => {
    const listed = (await t.api(admin, 'GET', '/v1/trigger-links')).body as { id: string; name: string; key: string; url: string }[];
    for (const seeded of Object.values(DEMO_TRIGGER_LINKS)) {
      expect(listed).toContainEqual(expect.objectContaining({ id: seeded.id, name: seeded.name, key: seeded.key, url: seeded.url }));
      expect(seeded.key).toBe(triggerLinkKeyFromName(seeded.name)); // what the screen would have made of the name
    }
    const templates = (await t.api(jordan, 'GET', '/v1/templates?channel=sms')).body as { id: string; body: string }[];
    const booking = templates.find((x) => x.id === DEMO_SMS_TEMPLATES[0]!.id)!;
    expect(booking.body).toContain(`{{trigger_link.${DEMO_TRIGGER_LINKS.booking.key}}}`);
    expect(templates.find((x) => x.id === DEMO_SMS_TEMPLATES[1]!.id)!.body).toContain(`{{trigger_link.${DEMO_TRIGGER_LINKS.intake.key}}}`);

    // The template in a Send SMS step: the contact's text carries their own link to the booking page.
    const cleo = await newContact('Cleo Demo');
    const wf = await publishWorkflow(t, admin, 'Demo booking text', smsStep('send_sms', booking.body));
    expect((await enrolAndWait(t, admin, wf.id, cleo.id)).steps[0]).toMatchObject({ status: 'completed', blankFields: [] });
    const text = sandbox.control.messaging.list({ to: cleo.phone })[0]!.body;
    expect(text).toMatch(/^Hi Cleo, sorry we missed your call at Glow Aesthetics Med Spa\. Book a time that suits you here: http:\/\/127\.0\.0\.1:\d+\/l\/[\w-]{16}$/);
    const click = await fetch(SHORT_LINK.exec(text)![0], { redirect: 'manual' });
    expect([click.status, click.headers.get('location')]).toEqual([302, DEMO_TRIGGER_LINKS.booking.url]);

    const counts = async () => (await t.cloud.db.query(
      `SELECT (SELECT count(*) FROM trigger_links WHERE account_id = $1)::int AS links, (SELECT count(*) FROM message_templates WHERE account_id = $1)::int AS templates`, [DEMO_ACCOUNT_ID]))[0];
    const before = await counts();
    expect((await seedDemo(t.cloud.db, { argon2: fastArgon })).created).toBe(false);
    expect(await counts()).toEqual(before);
  });

  it('admins create, rename, repoint and delete links; the key comes from the name and is never handed out again; bad links and names are refused at their field', async () => {
    const made = await createLink('Book a Consultation', ' https://glow.example/book?src=sms ');
    expect(made).toMatchObject({ key: 'book_a_consultation', url: 'https://glow.example/book?src=sms', sent: 0, clicks: 0, contactsClicked: 0, lastClickedAt: null });

    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'http://glow.example/book', 'https://glow.example/' + 'a'.repeat(2100), 'ftp://glow.example']) {
      const refused = await t.api(admin, 'POST', '/v1/trigger-links', { name: 'Bad', url });
      expect(refused.status, url).toBe(400);
      expect(refused.body.code).toBe('VALIDATION_FAILED');
      expect(refused.body.errors[0].path).toBe('body.url');
    }
    const twin = await t.api(admin, 'POST', '/v1/trigger-links', { name: 'book a consultation', url: 'https://glow.example/other' });
    expect([twin.status, twin.body.errors]).toEqual([409, [{ path: 'body.name', message: 'A trigger link named "book a consultation" already exists' }]]);

    const renamed = await t.api(admin, 'PATCH', `/v1/trigger-links/${made.id}`, { name: 'Consultation calendar', url: 'https://glow.example/calendar' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Consultation calendar', key: 'book_a_consultation', url: 'https://glow.example/calendar' });
    expect((await t.api(admin, 'PATCH', `/v1/trigger-links/${made.id}`, { key: 'mine' })).status).toBe(400);
    expect((await t.api(admin, 'PATCH', `/v1/trigger-links/${made.id}`, { url: 'javascript:alert(1)' })).status).toBe(400);
    expect((await t.api(admin, 'GET', '/v1/trigger-links')).body.map((l: { name: string }) => l.name)).toContain('Consultation calendar');

    // Receptionists neither read nor change them.
    expect((await t.api(jordan, 'GET', '/v1/trigger-links')).status).toBe(403);
    expect((await t.api(jordan, 'POST', '/v1/trigger-links', { name: 'Mine', url: 'https://glow.example' })).status).toBe(403);

    expect((await t.api(admin, 'DELETE', `/v1/trigger-links/${made.id}`)).status).toBe(204);
    expect((await t.api(admin, 'GET', `/v1/trigger-links/${made.id}`)).status).toBe(404);
    expect((await t.api(admin, 'DELETE', `/v1/trigger-links/${made.id}`)).status).toBe(404);
    expect((await t.api(admin, 'GET', '/v1/trigger-links')).body.map((l: { id: string }) => l.id)).not.toContain(made.id);
    // The name is free again; the key is not (a message naming the old key must never lead to the new link).
    const again = await createLink('Book a consultation', 'https://glow.example/book-2');
    expect(again.key).toBe('book_a_consultation_2');
    const audit = await t.api(admin, 'GET', '/v1/audit?limit=50');
    expect(audit.body.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['trigger_link.create', 'trigger_link.update', 'trigger_link.delete']));
  });

  it('another practice’s links are not there for it: not listed, not read, changed, deleted or named in its messages', async () => {
    const ours = await createLink('Intake form', 'https://glow.example/intake');
    const other = await otherPracticeAdmin(t);
    expect((await t.api(other.token, 'GET', '/v1/trigger-links')).body).toEqual([]);
    for (const [method, path, body] of [
      ['GET', `/v1/trigger-links/${ours.id}`, undefined], ['GET', `/v1/trigger-links/${ours.id}/usage`, undefined], ['GET', `/v1/trigger-links/${ours.id}/clicks`, undefined],
      ['PATCH', `/v1/trigger-links/${ours.id}`, { name: 'Theirs now' }], ['DELETE', `/v1/trigger-links/${ours.id}`, undefined],
    ] as const) {
      expect((await t.api(other.token, method, path, body)).status, `${method} ${path}`).toBe(404);
    }
    const named = await t.api(other.token, 'POST', '/v1/workflows', { name: 'Theirs', draft: smsStep('send_sms', `Fill in {{trigger_link.${ours.key}}}`) });
    expect(named.status).toBe(400);
    expect(named.body.errors[0]).toMatchObject({ path: 'draft.steps[text].config.message' });
    expect(named.body.errors[0].message).toMatch(/was deleted or does not exist/);
    expect((await linkOf(ours.id)).name).toBe('Intake form');
  });

  it('Send SMS: the contact gets a short link of their own; a click is counted (link, contact, message, step) and redirected; edits move it; a deleted link still redirects', async () => {
    const link = await createLink('Consultation booking', 'https://calendar.glow.example/consult');
    const ana = await newContact('Ana Ruiz');
    const ben = await newContact('Ben Ode');
    const wf = await publishWorkflow(t, admin, 'Consultation', smsStep('send_sms', `Hi {{contact.first_name}}, book here: {{trigger_link.${link.key}}} or https://glow.example/faq`));
    for (const c of [ana, ben]) expect((await enrolAndWait(t, admin, wf.id, c.id)).steps[0]).toMatchObject({ status: 'completed', blankFields: [] });

    const anaText = sandbox.control.messaging.list({ to: ana.phone })[0]!.body;
    const benText = sandbox.control.messaging.list({ to: ben.phone })[0]!.body;
    expect(anaText).toMatch(/^Hi Ana, book here: http:\/\/127\.0\.0\.1:\d+\/l\/[\w-]{16} or http:\/\/127\.0\.0\.1:\d+\/l\/[\w-]{16}$/);
    const anaToken = SHORT_LINK.exec(anaText)![1]!;
    const benToken = SHORT_LINK.exec(benText)![1]!;
    expect(anaToken).not.toBe(benToken); // per contact
    const row = (await t.cloud.db.query<Record<string, unknown>>(`SELECT contact_id, link_id, workflow_id, step_id, recipient, message_id, test FROM trigger_link_tokens WHERE token = $1`, [anaToken]))[0]!;
    expect(row).toMatchObject({ contact_id: ana.id, link_id: link.id, workflow_id: wf.id, step_id: 'text', recipient: ana.phone, test: false });
    expect(row.message_id).toMatch(/^msg_/); // the sent message it rode in
    // Not wrapped a second time as an ordinary tracked link; the FAQ link is one.
    expect(await t.cloud.db.query(`SELECT url FROM tracked_links WHERE message_id = $1`, [row.message_id])).toEqual([{ url: 'https://glow.example/faq' }]);

    const base = /(http:\/\/[^/]+)\/l\//.exec(anaText)![1]!;
    // A mail scanner's or an unfurler's HEAD learns where the link goes and counts no click.
    const probe = await fetch(`${base}/l/${anaToken}`, { method: 'HEAD', redirect: 'manual' });
    expect([probe.status, probe.headers.get('location')]).toEqual([302, 'https://calendar.glow.example/consult']);
    expect(await linkOf(link.id)).toMatchObject({ clicks: 0, contactsClicked: 0 });
    const click = await fetch(`${base}/l/${anaToken}`, { redirect: 'manual' });
    expect([click.status, click.headers.get('location'), click.headers.get('referrer-policy')]).toEqual([302, 'https://calendar.glow.example/consult', 'no-referrer']);
    await fetch(`${base}/l/${anaToken}`, { redirect: 'manual' });
    expect(await linkOf(link.id)).toMatchObject({ sent: 2, clicks: 2, contactsClicked: 1 });
    expect((await linkOf(link.id)).lastClickedAt).not.toBeNull();
    const clicks = (await t.api(admin, 'GET', `/v1/trigger-links/${link.id}/clicks`)).body;
    expect(clicks.contacts).toEqual([expect.objectContaining({ contactId: ana.id, contactName: 'Ana Ruiz', clicks: 2 })]);
    expect(await stepMetrics(t, admin, wf.id, 'text')).toMatchObject({ clicked: 1 });
    expect((await t.cloud.db.query<{ clicked_at: string | null }>(`SELECT clicked_at FROM outbound_messages WHERE id = $1`, [row.message_id]))[0]!.clicked_at).not.toBeNull();

    // A new destination: links already sent lead there.
    await t.api(admin, 'PATCH', `/v1/trigger-links/${link.id}`, { url: 'https://calendar.glow.example/consult-v2' });
    expect((await fetch(`${base}/l/${benToken}`, { redirect: 'manual' })).headers.get('location')).toBe('https://calendar.glow.example/consult-v2');
    // Deleted: texts already out keep working.
    expect((await t.api(admin, 'DELETE', `/v1/trigger-links/${link.id}`)).status).toBe(204);
    const afterDelete = await fetch(`${base}/l/${anaToken}`, { redirect: 'manual' });
    expect([afterDelete.status, afterDelete.headers.get('location')]).toEqual([302, 'https://calendar.glow.example/consult-v2']);
    // An unknown token: a page saying so, the same for every practice.
    const unknown = await fetch(`${base}/l/${'x'.repeat(16)}`, { redirect: 'manual' });
    expect([unknown.status, unknown.headers.get('content-type')]).toEqual([404, 'text/html; charset=utf-8']);
    expect(await unknown.text()).toContain('This link is not valid');
  });

  it('Manual SMS: the task’s text carries the contact’s link (its task and, once sent, its message); a click counts for the step', async () => {
    const link = await createLink('Intake (new patients)', 'https://forms.glow.example/intake');
    const cara = await newContact('Cara Diaz');
    const wf = await publishWorkflow(t, admin, 'Intake text', smsStep('manual_sms', `Hi {{contact.first_name}}, please fill this in: {{trigger_link.${link.key}}}`));
    const run = await enrolAndWait(t, admin, wf.id, cara.id, { untilWaiting: true });
    const taskId = (run.steps[0]!.output as { taskId: string }).taskId;
    const task = taskSchema.parse((await t.api(jordan, 'GET', `/v1/tasks/${taskId}`)).body);
    expect(task.message).toMatch(/^Hi Cara, please fill this in: http:\/\/127\.0\.0\.1:\d+\/l\/[\w-]{16}$/);
    const token = SHORT_LINK.exec(task.message!)![1]!;
    expect((await t.cloud.db.query(`SELECT task_id, contact_id, message_id FROM trigger_link_tokens WHERE token = $1`, [token]))[0]).toEqual({ task_id: taskId, contact_id: cara.id, message_id: null });

    expect((await t.api(jordan, 'POST', `/v1/tasks/${taskId}/start`)).status).toBe(200);
    const sent = await t.api(jordan, 'POST', `/v1/tasks/${taskId}/text`, { message: `${task.message} Thanks!` });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const messageId = taskSchema.parse(sent.body).messageId;
    expect((await t.cloud.db.query(`SELECT message_id FROM trigger_link_tokens WHERE token = $1`, [token]))[0]).toEqual({ message_id: messageId });
    expect(sandbox.control.messaging.list({ to: cara.phone })[0]!.body).toContain(`/l/${token} Thanks!`);

    const url = SHORT_LINK.exec(task.message!)![0];
    expect((await fetch(url, { redirect: 'manual' })).headers.get('location')).toBe('https://forms.glow.example/intake');
    await waitFor('Clicked on the Manual SMS step', async () => (await stepMetrics(t, admin, wf.id, 'text')).clicked === 1);
    expect(await linkOf(link.id)).toMatchObject({ sent: 1, clicks: 1, contactsClicked: 1 });
  });

  it('a step makes one link per contact and trigger link however often it is retried', async () => {
    const link = await createLink('Retry me', 'https://glow.example/retry');
    const dana = await newContact('Dana Lee');
    const step = { runId: 'run_retry', stepKey: 's1', stepId: 's1', workflowId: 'wf_retry' };
    const mint = () => t.cloud.db.transaction((q) => mintTriggerLinks(q, { accountId: DEMO_ACCOUNT_ID, keys: [link.key], contactId: dana.id, recipient: dana.phone, step }, t.cloud.publicUrl));
    const first = await mint();
    const second = await mint();
    expect(first).toEqual(second);
    expect(first.ok && first.links[link.key]).toMatch(SHORT_LINK);
    expect(await t.cloud.db.query(`SELECT count(*)::int AS n FROM trigger_link_tokens WHERE link_id = $1`, [link.id])).toEqual([{ n: 1 }]);
    // A key the practice has no live link for: nothing is made at all.
    const partly = await t.cloud.db.transaction((q) => mintTriggerLinks(q, { accountId: DEMO_ACCOUNT_ID, keys: [link.key, 'never_made'], contactId: dana.id, recipient: dana.phone, step: { ...step, stepKey: 's2' } }, t.cloud.publicUrl));
    expect(partly).toEqual({ ok: false, missing: ['never_made'] });
    expect(await t.cloud.db.query(`SELECT count(*)::int AS n FROM trigger_link_tokens WHERE link_id = $1`, [link.id])).toEqual([{ n: 1 }]);
  });

  it('a dead link: refused on save, on publish of a draft saved before, and by the dry run; a published step naming it fails with the reason and sends nothing', async () => {
    const link = await createLink('Spring promo', 'https://glow.example/spring');
    const refused = await t.api(admin, 'POST', '/v1/workflows', { name: 'Unknown link', draft: smsStep('send_sms', 'See {{trigger_link.no_such_link}}') });
    expect([refused.status, refused.body.errors]).toEqual([400, [{
      path: 'draft.steps[text].config.message',
      message: '“Consultation text”: The trigger link {{trigger_link.no_such_link}} was deleted or does not exist. Choose a link under the tag icon’s Trigger links, or create it under Automation → Trigger links.',
    }]]);
    // Outside a contact's text: nothing could track it there.
    const inEmail = await t.api(admin, 'POST', '/v1/workflows', {
      name: 'Link in an email', draft: oneStepWorkflow({ id: 'mail', name: 'Mail', type: 'send_email', config: { fromName: 'Glow', fromEmail: 'desk@glow.example', subject: `See {{trigger_link.${link.key}}}`, body: 'x' } }),
    });
    expect([inEmail.status, inEmail.body.errors[0].path]).toEqual([400, 'draft.steps[mail].config.subject']);
    expect(inEmail.body.errors[0].message).toMatch(/only in the message of a Send SMS or Manual SMS step/);

    // Published while the link lived; then the link is deleted (a published version is frozen: nothing re-checks it).
    const erin = await newContact('Erin Fox');
    const wf = await publishWorkflow(t, admin, 'Spring promo text', smsStep('send_sms', `Spring offers: {{trigger_link.${link.key}}}`));
    const manual = await publishWorkflow(t, admin, 'Spring promo task', smsStep('manual_sms', `Offers: {{trigger_link.${link.key}}}`));
    const usage = (await t.api(admin, 'GET', `/v1/trigger-links/${link.id}/usage`)).body;
    expect(usage.steps).toEqual([
      { workflowId: manual.id, workflowName: 'Spring promo task', stepId: 'text', stepName: 'Consultation text', published: true },
      { workflowId: wf.id, workflowName: 'Spring promo text', stepId: 'text', stepName: 'Consultation text', published: true },
    ]);
    expect((await t.api(admin, 'DELETE', `/v1/trigger-links/${link.id}`)).status).toBe(204);
    const run = await enrolAndWait(t, admin, wf.id, erin.id);
    expect(run.steps[0]).toMatchObject({
      status: 'error',
      reason: `The message names the trigger link {{trigger_link.${link.key}}}, which was deleted or never existed (Automation → Trigger links), so the text was not sent. Choose another link in this step and publish the workflow again.`,
    });
    expect(sandbox.control.messaging.list({ to: erin.phone })).toEqual([]);
    // The same for a Manual SMS: no task is queued with a broken placeholder.
    const manualRun = await enrolAndWait(t, admin, manual.id, erin.id);
    expect(manualRun.steps[0]!.status).toBe('error');
    expect(manualRun.steps[0]!.reason).toMatch(/, so no Manual SMS task was queued\./);
    expect(await t.cloud.db.query(`SELECT id FROM tasks WHERE run_id = $1`, [manualRun.id])).toEqual([]);

    // Republishing the draft (saved while the link lived) is refused; the dry run names the problem as blocking.
    expect((await t.api(admin, 'POST', `/v1/workflows/${wf.id}/publish`)).status).toBe(400);
    const dry = await t.api(admin, 'POST', `/v1/workflows/${wf.id}/dry-run`, {});
    expect(dry.body.canPublish).toBe(false);
    expect(dry.body.problems).toEqual([expect.objectContaining({ path: 'draft.steps[text].config.message', blocking: true })]);
  });

  it('Send Test SMS: the text as sent comes back with a working test link, which no figure counts; an unknown link is refused', async () => {
    const link = await createLink('Aftercare', 'https://glow.example/aftercare');
    const res = await t.api(admin, 'POST', '/v1/workflow-tests/sms', { to: '+13105559911', message: `Hi {{contact.first_name}}, aftercare: {{trigger_link.${link.key}}}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.sampleFields).toEqual(['contact.first_name']);
    expect(res.body.body).toMatch(/^\[Test\] Hi Sam, aftercare: http:\/\/127\.0\.0\.1:\d+\/l\/[\w-]{16}$/);
    expect(sandbox.control.messaging.list({ to: '+13105559911' }).at(-1)!.body).toBe(res.body.body);
    const url = SHORT_LINK.exec(res.body.body)![0];
    expect((await fetch(url, { redirect: 'manual' })).headers.get('location')).toBe('https://glow.example/aftercare');
    expect(await linkOf(link.id)).toMatchObject({ sent: 0, clicks: 0, contactsClicked: 0, lastClickedAt: null });

    const unknown = await t.api(admin, 'POST', '/v1/workflow-tests/sms', { to: '+13105559911', message: 'See {{trigger_link.nope}}' });
    expect([unknown.status, unknown.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(unknown.body.detail).toMatch(/\{\{trigger_link\.nope\}\}: no such trigger link/);
  });
});
