import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATIONS_PER_WINDOW, takeSlot } from '../../src/cloud/automation/actions/notification-rate';
import { DEMO_ACCOUNT_ID, DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import type { Sandbox } from '../../src/sandbox/index';
import type { WorkflowDocument } from '../../src/shared/cloud/workflows';
import { backends, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { enrolAndWait, publishWorkflow, runsOf, waitFor } from '../support/automation';
import { createContact, oneStepWorkflow, startCommsCloud, startTestSmtp } from '../support/comms';
import { verifiedSendingDomain } from '../support/sending-domains';

afterAll(stopTestPostgres);

const SLOW = 300_000;
const JORDAN_PHONE = '+13105554001';
const ADMIN_PHONE = '+13105554002';

const notify = (config: Record<string, unknown>, id = 'notify') => oneStepWorkflow({ id, name: 'Tell the team', type: 'internal_notification', config });

describe.each(backends)('Internal Notification on %s', (backend) => {
  let t: TestCloud;
  let sandbox: Sandbox;
  let stop: () => Promise<void>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let admin: string;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    ({ t, sandbox, stop } = await startCommsCloud(backend, { twoFactor: { mailFrom: 'Aesthetix <no-reply@aesthetix.example>', smtp: smtp.config } }));
    admin = (await t.login('admin')).accessToken;
    // Its email alerts send From this domain (and {{user.email}}, the demo users'): a verified sending domain of the practice.
    await verifiedSendingDomain(t, DEMO_ACCOUNT_ID, 'glowmedspa.example');
    await t.cloud.db.query(`UPDATE users SET phone = $2 WHERE id = $1`, [DEMO_USERS.receptionist.id, JORDAN_PHONE]);
    await t.cloud.db.query(`UPDATE users SET phone = $2 WHERE id = $1`, [DEMO_USERS.admin.id, ADMIN_PHONE]);
    await t.cloud.db.query(`UPDATE users SET phone = NULL WHERE id = $1`, [DEMO_USERS.receptionist2.id]);
  }, SLOW);
  afterAll(async () => {
    await stop?.();
    await smtp?.stop();
  });

  it('high-value purchase: an in-app notification to the owner (realtime, the bell, a link to the contact) and an SMS to the lead esthetician', async () => {
    const contact = await createContact(t, admin, { name: 'Vera Valuable', phone: '+13105554100' });
    const socket = await t.socket(admin);
    const wf = await publishWorkflow(t, admin, 'High-value purchase', {
      trigger: { type: 'manual', filters: {} },
      steps: [
        { id: 'owner', name: 'Tell the owner', type: 'internal_notification', config: { channel: 'in_app', title: 'High-value purchase: {{contact.name}}', message: 'Package bought', redirect: 'contact', toUserType: 'particular_users', userIds: [DEMO_USERS.admin.id], teamIds: [], roles: ['admin'] } },
        { id: 'lead', name: 'Text the lead esthetician', type: 'internal_notification', config: { channel: 'sms', toUserType: 'particular_users', userIds: [DEMO_USERS.receptionist.id], message: '{{contact.name}} bought the glow package — prep room 2', templateId: null, attachmentUrls: [] } },
      ],
    } as unknown as Partial<WorkflowDocument>);
    const run = await enrolAndWait(t, admin, wf.id, contact);
    expect(run.steps.map((s) => s.status)).toEqual(['completed', 'completed']);
    const pushed = await socket.next('notification', (m) => m.notification.title === 'High-value purchase: Vera Valuable');
    expect(pushed.notification).toMatchObject({ userId: DEMO_USERS.admin.id, message: 'Package bought', redirect: `contact:${contact}` });
    socket.close();
    // Listed by user id and by role: one notification.
    const bell = await t.api(admin, 'GET', '/v1/notifications');
    expect((bell.body as { title: string }[]).filter((n) => n.title === 'High-value purchase: Vera Valuable')).toHaveLength(1);
    const texts = sandbox.control.messaging.list({ to: JORDAN_PHONE });
    expect(texts).toHaveLength(1);
    expect(texts[0]!.body).toBe('Vera Valuable bought the glow package — prep room 2');
  });

  it('a staff phone in a country the call policy does not allow fails alone, in the policy’s words (SMS pumping through one’s own profile phone)', async () => {
    const contact = await createContact(t, admin, { name: 'Abroad Alert', phone: '+13105554102' });
    await t.cloud.db.query(`UPDATE users SET phone = '+18765554001' WHERE id = $1`, [DEMO_USERS.receptionist.id]);
    try {
      const wf = await publishWorkflow(t, admin, 'Tell two by SMS', notify({ channel: 'sms', toUserType: 'particular_users', userIds: [DEMO_USERS.admin.id, DEMO_USERS.receptionist.id], message: 'Lead waiting' }));
      const run = await enrolAndWait(t, admin, wf.id, contact);
      expect(run.steps[0]).toMatchObject({ status: 'completed', reason: 'Sent by SMS to Dr. Maya Chen. Not sent to Jordan Lee (Texts to Jamaica (JM) are not allowed for your practice. An admin can allow more countries under Settings → Call policy.)' });
      expect(sandbox.control.messaging.list({ to: '+18765554001' })).toEqual([]);
    } finally {
      await t.cloud.db.query(`UPDATE users SET phone = $2 WHERE id = $1`, [DEMO_USERS.receptionist.id, JORDAN_PHONE]);
    }
  });

  it('all users by SMS: a member without a phone fails alone; assigned user without one is skipped; email goes to users and custom addresses once each', async () => {
    const contact = await createContact(t, admin, { name: 'Nobody Assigned', phone: '+13105554101' });
    const sms = await publishWorkflow(t, admin, 'Everyone by SMS', notify({ channel: 'sms', toUserType: 'all_users', message: 'Front desk needed' }));
    const run = await enrolAndWait(t, admin, sms.id, contact);
    expect(run.steps[0]!.status).toBe('completed');
    expect(run.steps[0]!.reason).toMatch(/Sent by SMS to .*Dr\. Maya Chen.*Jordan Lee/);
    expect(run.steps[0]!.reason).toMatch(/Not sent to Avery Patel \(no phone number on their profile\)/);

    const assigned = await publishWorkflow(t, admin, 'Assigned by SMS', notify({ channel: 'sms', toUserType: 'assigned_user', message: 'Yours' }));
    expect((await enrolAndWait(t, admin, assigned.id, contact)).steps[0]).toMatchObject({ status: 'skipped', reason: 'The contact has no assigned user' });

    const before = smtp.messages.length;
    const email = await publishWorkflow(t, admin, 'By email', notify({
      channel: 'email', fromName: 'Workflows', fromEmail: 'alerts@glowmedspa.example', toUserType: 'custom_email',
      customEmails: ['owner@glowmedspa.example, OWNER@glowmedspa.example', 'owner@glowmedspa.example', 'not an address'], cc: ['books@glowmedspa.example'], subject: 'New lead {{contact.name}}', message: '<p>{{contact.name}}</p>',
    }));
    const mailed = await enrolAndWait(t, admin, email.id, contact);
    expect(mailed.steps[0]!.status).toBe('completed');
    expect(mailed.steps[0]!.reason).toMatch(/Not sent to not an address/);
    const sent = smtp.messages.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.rcptTo.sort()).toEqual(['books@glowmedspa.example', 'owner@glowmedspa.example']);
  });

  it('email: a Template fills what the step leaves blank (subject, body) and a typed Message keeps its paragraphs', async () => {
    const template = await t.api(admin, 'POST', '/v1/templates', { channel: 'email', name: 'Team alert', subject: 'New lead: {{contact.name}}', body: '<p>Template body for {{contact.name}}</p>' });
    expect(template.status).toBe(201);
    const contact = await createContact(t, admin, { name: 'Tess Template', phone: '+13105554110' });
    const email = (config: Record<string, unknown>) => notify({
      channel: 'email', fromName: 'Workflows', fromEmail: 'alerts@glowmedspa.example', toUserType: 'particular_users', userIds: [DEMO_USERS.admin.id], templateId: template.body.id, ...config,
    });
    const onlyTemplate = await publishWorkflow(t, admin, 'Template alert', email({ subject: '', message: '' }));
    let before = smtp.messages.length;
    expect((await enrolAndWait(t, admin, onlyTemplate.id, contact)).steps[0]!.status).toBe('completed');
    expect(smtp.messages.slice(before)).toHaveLength(1);
    expect(smtp.messages[before]!.text).toContain('Subject: New lead: Tess Template');
    expect(smtp.messages[before]!.text).toContain('<p>Template body for Tess Template</p>');

    // The step's own Subject and Message win; typed text goes as paragraphs, with the text as its alternative.
    const own = await publishWorkflow(t, admin, 'Own alert', email({ subject: 'Call {{contact.name}} back', message: 'Hi team,\n\nPlease call today.\nThanks' }));
    before = smtp.messages.length;
    expect((await enrolAndWait(t, admin, own.id, contact)).steps[0]!.status).toBe('completed');
    const mail = smtp.messages[before]!.text;
    expect(mail).toContain('Subject: Call Tess Template back');
    expect(mail).toContain('<p>Hi team,</p>');
    expect(mail).toContain('<p>Please call today.<br>');
    expect(mail).toMatch(/Content-Type: text\/plain[\s\S]*Please call today\.\r?\nThanks/);
    expect(mail).not.toContain('Template body');
  });

  it('email: From Email may be a custom value — filled, checked and sent as filled', async () => {
    const contact = await createContact(t, admin, { name: 'Fred From', phone: '+13105554111', assignedUserId: DEMO_USERS.receptionist.id });
    const fromAssigned = await publishWorkflow(t, admin, 'From the assigned user', notify({
      channel: 'email', fromName: '{{user.name}}', fromEmail: '{{user.email}}', toUserType: 'particular_users', userIds: [DEMO_USERS.admin.id], subject: 'Lead', message: 'Yours',
    }));
    const before = smtp.messages.length;
    expect((await enrolAndWait(t, admin, fromAssigned.id, contact)).steps[0]!.status).toBe('completed');
    expect(smtp.messages[before]!.from).toBe(DEMO_USERS.receptionist.email);
    expect(smtp.messages[before]!.text).toContain(`From: ${DEMO_USERS.receptionist.name} <${DEMO_USERS.receptionist.email}>`);

    const noEmail = await publishWorkflow(t, admin, 'From the contact', notify({
      channel: 'email', fromName: 'x', fromEmail: '{{contact.email}}', toUserType: 'particular_users', userIds: [DEMO_USERS.admin.id], subject: 'Lead', message: 'x',
    }));
    expect((await enrolAndWait(t, admin, noEmail.id, contact)).steps[0]).toMatchObject({
      status: 'error', reason: expect.stringMatching(/^The From Email \(\{\{contact\.email\}\}\) is empty once its merge fields are filled/),
    });
  });

  it('email: a user named in To, Cc and Bcc gets one alert; Cc and Bcc overlap once (case-insensitive)', async () => {
    const contact = await createContact(t, admin, { name: 'Dee Dupe', phone: '+13105554112' });
    const wf = await publishWorkflow(t, admin, 'Deduplicated', notify({
      channel: 'email', fromName: 'Workflows', fromEmail: 'alerts@glowmedspa.example', toUserType: 'particular_users', userIds: [DEMO_USERS.admin.id, DEMO_USERS.receptionist.id],
      cc: [DEMO_USERS.receptionist.email.toUpperCase(), 'books@glowmedspa.example'], bcc: [DEMO_USERS.admin.email, 'BOOKS@glowmedspa.example', 'owner@glowmedspa.example'],
      subject: 'Lead', message: 'x',
    }));
    const before = smtp.messages.length;
    expect((await enrolAndWait(t, admin, wf.id, contact)).steps[0]!.status).toBe('completed');
    const received = smtp.messages.slice(before).flatMap((m) => m.rcptTo.map((a) => a.toLowerCase())).sort();
    expect(received).toEqual([DEMO_USERS.admin.email, 'books@glowmedspa.example', DEMO_USERS.receptionist.email, 'owner@glowmedspa.example'].sort());
  });

  it('SMS or WhatsApp to the Assigned User without a phone: skipped, and the workflow goes on', async () => {
    const contact = await createContact(t, admin, { name: 'Pat Nophone', phone: '+13105554113', assignedUserId: DEMO_USERS.receptionist2.id });
    const wf = await publishWorkflow(t, admin, 'Assigned, no phone', {
      trigger: { type: 'manual', filters: {} },
      steps: [
        { id: 'text', name: 'Text the assigned user', type: 'internal_notification', config: { channel: 'sms', toUserType: 'assigned_user', message: 'Yours' } },
        { id: 'after', name: 'Tag', type: 'add_tag', config: { tags: ['alerted'] } },
      ],
    } as unknown as Partial<WorkflowDocument>);
    const run = await enrolAndWait(t, admin, wf.id, contact);
    expect(run.steps.map((s) => [s.stepId, s.status])).toEqual([['text', 'skipped'], ['after', 'completed']]);
    expect(run.steps[0]!.reason).toBe('The assigned user, Avery Patel, has no phone number on their profile');
  });

  it('runs without a contact (an inbound webhook run): in-app to all users', async () => {
    const wf = await publishWorkflow(t, admin, 'Webhook alert', {
      trigger: { type: 'inbound_webhook', filters: {} },
      steps: [{ id: 'notify', name: 'Alert', type: 'internal_notification', config: { channel: 'in_app', title: 'Form submitted: {{inbound_webhook.form}}', message: '', redirect: 'contact', toUserType: 'all_users' } }],
    } as unknown as Partial<WorkflowDocument>);
    const hook = await t.api(admin, 'POST', `/v1/workflows/${wf.id}/webhook-secret`);
    const posted = await fetch(hook.body.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ form: 'Consultation' }) });
    expect(posted.status).toBe(202);
    const [run] = await waitFor('the webhook run', async () => {
      const runs = await runsOf(t, admin, wf.id);
      return runs.length === 1 && runs[0]!.status === 'completed' ? runs : null;
    });
    expect(run!.contactId).toBeNull();
    const rows = await t.cloud.db.query<{ user_id: string; redirect: string | null }>(`SELECT user_id, redirect FROM notifications WHERE title = 'Form submitted: Consultation'`);
    expect(rows.map((r) => r.user_id).sort()).toEqual([DEMO_USERS.admin.id, DEMO_USERS.receptionist2.id, DEMO_USERS.receptionist.id].sort());
    expect(rows.every((r) => r.redirect === null)).toBe(true);
  });

  it('WhatsApp: an approved template from the practice’s sender; an unapproved one is refused plainly', async () => {
    const sender = DEMO_NUMBERS.santaMonicaMain.number;
    sandbox.control.messaging.enableWhatsAppSender(sender);
    const approved = sandbox.control.messaging.addTemplate({ friendlyName: 'staff_alert', body: 'Staff alert: {{1}}', whatsappStatus: 'approved', variables: { '1': 'sample' } });
    await t.cloud.db.query(`INSERT INTO whatsapp_senders (account_id, phone_number_id) VALUES ($1, $2)`, [DEMO_ACCOUNT_ID, DEMO_NUMBERS.santaMonicaMain.id]);
    await t.cloud.db.query(`INSERT INTO whatsapp_templates (account_id, content_sid, name, body, variables, status) VALUES ($1, $2, 'staff_alert', 'Staff alert: {{1}}', '{"1":"sample"}', 'approved'), ($1, 'HXpending', 'pending_one', 'x', '{}', 'pending')`, [
      DEMO_ACCOUNT_ID, approved.sid,
    ]);
    const contact = await createContact(t, admin, { name: 'Wanda Whats', phone: '+13105554102' });
    const wf = await publishWorkflow(t, admin, 'WhatsApp', notify({ channel: 'whatsapp', toUserType: 'particular_users', userIds: [DEMO_USERS.receptionist.id], templateName: 'staff_alert', message: '{{contact.name}} is here' }));
    expect((await enrolAndWait(t, admin, wf.id, contact)).steps[0]!.status).toBe('completed');
    const sent = sandbox.control.messaging.list({ to: `whatsapp:${JORDAN_PHONE}` });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.from).toBe(`whatsapp:${sender}`);
    expect(sent[0]!.body).toBe('Staff alert: Wanda Whats is here');

    const pending = await publishWorkflow(t, admin, 'WhatsApp pending', notify({ channel: 'whatsapp', toUserType: 'all_users', templateName: 'pending_one', message: 'x' }));
    expect((await enrolAndWait(t, admin, pending.id, contact)).steps[0]).toMatchObject({ status: 'error', reason: expect.stringMatching(/"pending_one" is pending, not approved/) });
  });

  it('rate limit: 600 concurrent deliveries to one user take exactly 500 slots; over the limit the notification is queued, then delivered when the window frees', async () => {
    const user = DEMO_USERS.receptionist2.id;
    await t.cloud.db.query(`DELETE FROM notification_slots WHERE user_id = $1`, [user]); // the earlier tests' alerts
    const results = await Promise.all(
      Array.from({ length: 600 }, (_, i) => takeSlot(t.cloud.db, { accountId: DEMO_ACCOUNT_ID, userId: user, channel: 'in_app', runId: `run_${i}`, stepKey: 's' })),
    );
    expect(results.filter((r) => r === null)).toHaveLength(NOTIFICATIONS_PER_WINDOW);
    // A repeated attempt of a step that has its slot takes no second one.
    expect(await takeSlot(t.cloud.db, { accountId: DEMO_ACCOUNT_ID, userId: user, channel: 'in_app', runId: 'run_0', stepKey: 's' })).toBeNull();

    // The window's oldest slot leaves it in ~3 seconds.
    await t.cloud.db.query(`UPDATE notification_slots SET at = now() - interval '297 seconds' WHERE user_id = $1`, [user]);
    const contact = await createContact(t, admin, { name: 'Busy Day', phone: '+13105554103' });
    const wf = await publishWorkflow(t, admin, 'Busy', notify({ channel: 'in_app', title: 'Queued alert', message: '', redirect: 'none', toUserType: 'particular_users', userIds: [user, DEMO_USERS.receptionist.id] }));
    const waiting = await enrolAndWait(t, admin, wf.id, contact, { untilWaiting: true });
    expect(waiting.steps[0]).toMatchObject({ status: 'waiting', reason: expect.stringMatching(/Sent by in-app notification to Jordan Lee\. Queued by the rate limit/) });
    const done = await waitFor('the queued notification', async () => {
      const run = (await t.api(admin, 'GET', `/v1/workflows/${wf.id}/runs/${waiting.id}`)).body;
      return run.status === 'completed' ? run : null;
    }, 30_000);
    expect(done.steps[0].reason).toMatch(/Sent by in-app notification to Avery Patel, Jordan Lee|Sent by in-app notification to Jordan Lee, Avery Patel/);
    const rows = await t.cloud.db.query<{ user_id: string }>(`SELECT user_id FROM notifications WHERE title = 'Queued alert'`);
    expect(rows.map((r) => r.user_id).sort()).toEqual([user, DEMO_USERS.receptionist.id].sort());
  }, 90_000);
});
