import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID } from '../../src/cloud/index';
import { registerAction } from '../../src/cloud/automation/actions/registry';
import { sendEmailAction } from '../../src/cloud/automation/actions/send-email';
import type { ActionContext } from '../../src/cloud/automation/actions/types';
import { metricRecipientsSchema, type ActionConfig } from '../../src/shared/cloud/workflows';
import { backends, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { enrolAndWait, publishWorkflow } from '../support/automation';
import { createContact, oneStepWorkflow, otherPracticeAdmin, startCommsCloud, startTestSmtp, stepMetrics, upload } from '../support/comms';
import { verifiedSendingDomain } from '../support/sending-domains';

afterAll(stopTestPostgres);

const SLOW = 300_000;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

const emailStep = (config: Record<string, unknown>) =>
  oneStepWorkflow({
    id: 'email', name: 'Booking Confirmation Email', type: 'send_email',
    config: { fromName: 'Glow Med Spa', fromEmail: 'hello@glowmedspa.example', subject: 'Thanks for booking with us, {{contact.first_name}}', body: '<p>Hi</p>', ...config },
  });

describe.each(backends)('Send Email on %s (nodemailer over SMTP to a loopback server)', (backend) => {
  let t: TestCloud;
  let stop: () => Promise<void>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let admin: string;
  beforeAll(async () => {
    smtp = await startTestSmtp({ refuse: (a) => a.startsWith('nobody@'), bounce: (a) => a.startsWith('spamtrap@') });
    ({ t, stop } = await startCommsCloud(backend, { twoFactor: { mailFrom: 'Aesthetix <no-reply@aesthetix.example>', smtp: smtp.config } }));
    // Its Send Email steps send From this domain: a verified sending domain of the practice.
    await verifiedSendingDomain(t, DEMO_ACCOUNT_ID, 'glowmedspa.example');
    admin = (await t.login('admin')).accessToken;
  }, SLOW);
  afterAll(async () => {
    await stop?.();
    await smtp?.stop();
  });

  it('booking confirmation: merge fields HTML-escaped, a library attachment, Cc/Bcc (invalid ones skipped) on an untracked copy, Accepted/Delivered, then Opened and Clicked seen by the cloud', async () => {
    const contact = await createContact(t, admin, { name: 'Bea <b>Bold</b> Park', email: 'bea@example.com' });
    const image = await upload(t, admin, 'map.png', PNG, 'image/png');
    expect(image.status).toBe(201);
    const wf = await publishWorkflow(t, admin, 'Booking confirmation', emailStep({
      body: '<p>Hi {{contact.name}}, you are booked.</p><p><a href="https://glow.example/directions?a=1&amp;b=2">Directions</a></p>',
      attachments: [{ name: 'Map.png', url: image.body.url }],
      cc: ['frontdesk@glowmedspa.example, not-an-address'],
      bcc: ['owner@glowmedspa.example'],
    }));
    const run = await enrolAndWait(t, admin, wf.id, contact);
    expect(run.steps[0]).toMatchObject({ status: 'completed', reason: expect.stringContaining('Skipped invalid Cc/Bcc: not-an-address') });
    // The contact's message (pixel, tracked links) goes to the contact alone; Cc and Bcc get a copy without them.
    expect(smtp.messages).toHaveLength(2);
    const mail = smtp.messages.find((m) => m.rcptTo.includes('bea@example.com'))!;
    const copy = smtp.messages.find((m) => m !== mail)!;
    expect(mail.from).toBe('hello@glowmedspa.example');
    expect(mail.rcptTo).toEqual(['bea@example.com']);
    expect(copy.rcptTo.sort()).toEqual(['frontdesk@glowmedspa.example', 'owner@glowmedspa.example']);
    for (const sent of [mail, copy]) {
      expect(sent.text).toMatch(/^To: bea@example\.com$/m);
      expect(sent.text).toMatch(/^Cc: frontdesk@glowmedspa\.example$/m);
      expect(sent.text).not.toContain('owner@glowmedspa.example');
    }
    expect(copy.text).toMatch(/Subject: Thanks for booking with us, Bea/);
    expect(copy.text).toMatch(/filename=Map\.png/);
    expect(copy.text).toContain('href="https://glow.example/directions?a=1&amp;b=2"');
    expect(copy.text).not.toMatch(/\/o\/[\w-]+\.gif|\/l\/[\w-]+/);
    expect(mail.text).toMatch(/Subject: Thanks for booking with us, Bea/);
    expect(mail.text).toContain('Hi Bea &lt;b&gt;Bold&lt;/b&gt; Park, you are booked.');
    expect(mail.text).not.toContain('<b>Bold</b>');
    expect(mail.text).toMatch(/filename=Map\.png/);
    expect(mail.text).not.toContain('glow.example/directions');
    expect(await stepMetrics(t, admin, wf.id, 'email')).toEqual({ accepted: 1, delivered: 1 });

    const pixel = mail.text.match(/src="(http:\/\/127\.0\.0\.1:\d+\/o\/[\w-]+\.gif)"/)![1]!;
    const link = mail.text.match(/href="(http:\/\/127\.0\.0\.1:\d+\/l\/[\w-]+)"/)![1]!;
    // A scanner's HEAD of the pixel or the link is no open and no click.
    expect((await fetch(pixel, { method: 'HEAD' })).headers.get('content-type')).toBe('image/gif');
    expect((await fetch(link, { method: 'HEAD', redirect: 'manual' })).headers.get('location')).toBe('https://glow.example/directions?a=1&b=2');
    expect(await stepMetrics(t, admin, wf.id, 'email')).toEqual({ accepted: 1, delivered: 1 });
    const opened = await fetch(pixel);
    expect(opened.headers.get('content-type')).toBe('image/gif');
    const click = await fetch(link, { redirect: 'manual' });
    expect(click.headers.get('location')).toBe('https://glow.example/directions?a=1&b=2');
    expect(await stepMetrics(t, admin, wf.id, 'email')).toEqual({ accepted: 1, delivered: 1, opened: 1, clicked: 1 });
  });

  it('recipient details: each statistic lists who it counts (the contact, never a Cc), newest first and paged, to the practice\'s admins only', async () => {
    const wf = await publishWorkflow(t, admin, 'Recipient details', emailStep({ cc: ['details.cc@glowmedspa.example'] }));
    const first = await createContact(t, admin, { name: 'Ada First', email: 'ada@example.com' });
    const second = await createContact(t, admin, { name: 'Ben Second', email: 'ben@example.com' });
    const before = smtp.messages.length;
    await enrolAndWait(t, admin, wf.id, first);
    await enrolAndWait(t, admin, wf.id, second);
    const toBen = smtp.messages.slice(before).find((m) => m.rcptTo.includes('ben@example.com'))!;
    await fetch(toBen.text.match(/src="(http:\/\/127\.0\.0\.1:\d+\/o\/[\w-]+\.gif)"/)![1]!);

    const details = async (metric: string, query = '', token = admin) => t.api(token, 'GET', `/v1/workflows/${wf.id}/statistics/email/${metric}${query}`);
    const opened = metricRecipientsSchema.parse((await details('opened')).body);
    expect(opened).toMatchObject({ total: 1, recipients: [{ recipient: 'ben@example.com', contactId: second, contactName: 'Ben Second' }] });
    const page1 = metricRecipientsSchema.parse((await details('delivered', '?limit=1')).body);
    const page2 = metricRecipientsSchema.parse((await details('delivered', '?limit=1&offset=1')).body);
    expect(page1.total).toBe(2);
    expect([...page1.recipients, ...page2.recipients].map((r) => r.recipient)).toEqual(['ben@example.com', 'ada@example.com']);
    expect(metricRecipientsSchema.parse((await details('complained')).body)).toEqual({ total: 0, recipients: [] });

    expect((await details('delivered', '', (await t.login('receptionist')).accessToken)).status).toBe(403);
    expect((await details('delivered', '', (await otherPracticeAdmin(t)).token)).status).toBe(404);
    expect((await details('DROP TABLE')).status).toBe(400);
  });

  it('a Message typed as text keeps its paragraphs and line breaks in the HTML, and goes as text/plain too', async () => {
    const contact = await createContact(t, admin, { name: 'Tia <i>Lane</i>', email: 'tia@example.com' });
    const before = smtp.messages.length;
    const wf = await publishWorkflow(t, admin, 'Plain confirmation', emailStep({ body: 'Hi {{contact.first_name}},\n\nSee you Monday.\nGlow Med Spa' }));
    expect((await enrolAndWait(t, admin, wf.id, contact)).steps[0]).toMatchObject({ status: 'completed' });
    const mail = smtp.messages[before]!.text.replace(/=\r?\n/g, '');
    expect(mail).toMatch(/Content-Type: multipart\/alternative/i);
    expect(mail).toMatch(/Content-Type: text\/plain/i);
    expect(mail).toContain('<p>Hi Tia,</p>');
    expect(mail).toContain('<p>See you Monday.<br>');
    expect(mail).not.toContain('<i>Lane</i>');
  });

  it('Sync Edits to Template ON: the workflow’s edit reaches the template and is what is sent; a template edit reaches the draft and goes live on publish', async () => {
    const template = await t.api(admin, 'POST', '/v1/templates', { channel: 'email', name: 'Welcome', subject: 'Welcome, {{contact.first_name}}', body: '<p>Template text</p>' });
    expect(template.status).toBe(201);
    const contact = await createContact(t, admin, { name: 'Tia Sync', email: 'tia@example.com' });
    const synced = await publishWorkflow(t, admin, 'Synced', emailStep({ templateId: template.body.id, syncTemplateEdits: true, subject: 'Welcome, {{contact.first_name}}', body: '<p>Edited in the workflow</p>' }));
    const unsynced = await publishWorkflow(t, admin, 'Not synced', emailStep({ templateId: template.body.id, syncTemplateEdits: false, body: '<p>Own copy</p>' }));
    expect((await t.api(admin, 'GET', `/v1/templates/${template.body.id}`)).body.body).toBe('<p>Edited in the workflow</p>');
    await enrolAndWait(t, admin, synced.id, contact);
    expect(smtp.messages.at(-1)!.text).toContain('Edited in the workflow');
    expect(smtp.messages.at(-1)!.text).toContain('Subject: Welcome, Tia');

    expect((await t.api(admin, 'PATCH', `/v1/templates/${template.body.id}`, { body: '<p>Version two</p>' })).status).toBe(200);
    const draft = (await t.api(admin, 'GET', `/v1/workflows/${synced.id}`)).body.draft;
    expect(draft.steps[0].config.body).toBe('<p>Version two</p>');
    // The published version sends what it was published with until the workflow is published again.
    const second = await createContact(t, admin, { name: 'Tom Sync', email: 'tom@example.com' });
    await enrolAndWait(t, admin, synced.id, second);
    expect(smtp.messages.at(-1)!.text).toContain('Edited in the workflow');
    expect((await t.api(admin, 'POST', `/v1/workflows/${synced.id}/publish`)).status).toBe(200);
    const third = await createContact(t, admin, { name: 'Tess Sync', email: 'tess@example.com' });
    await enrolAndWait(t, admin, synced.id, third);
    expect(smtp.messages.at(-1)!.text).toContain('Version two');

    await enrolAndWait(t, admin, unsynced.id, contact);
    expect(smtp.messages.at(-1)!.text).toContain('Own copy');
  });

  it('a refused address is Rejected, a refused message Bounced; no address, DND and no mail server are said plainly', async () => {
    const wf = await publishWorkflow(t, admin, 'Refusals', emailStep({ cc: ['cc@glowmedspa.example'] }));
    const refused = await createContact(t, admin, { name: 'No Body', email: 'nobody@example.com' });
    const bounced = await createContact(t, admin, { name: 'Spam Trap', email: 'spamtrap@example.com' });
    expect((await enrolAndWait(t, admin, wf.id, refused)).steps[0]).toMatchObject({ status: 'error', reason: expect.stringMatching(/^Rejected: The mail server refused nobody@example.com/) });
    expect((await enrolAndWait(t, admin, wf.id, bounced)).steps[0]).toMatchObject({ status: 'error', reason: expect.stringMatching(/^Bounced: 554/) });
    // Cc still received the first one: only the primary recipient decides the outcome and the statistics.
    expect(smtp.messages.at(-1)!.rcptTo).toEqual(['cc@glowmedspa.example']);
    expect(await stepMetrics(t, admin, wf.id, 'email')).toEqual({ rejected: 1, bounced: 1 });

    const noEmail = await createContact(t, admin, { name: 'Phone Only', phone: '+13105553201' });
    expect((await enrolAndWait(t, admin, wf.id, noEmail)).steps[0]).toMatchObject({ status: 'skipped', reason: 'The contact has no email address' });
    const dnd = await createContact(t, admin, { name: 'Quiet', email: 'quiet@example.com' });
    await t.api(admin, 'PATCH', `/v1/contacts/${dnd}`, { dnd: { call: { inbound: false, outbound: false }, sms: { inbound: false, outbound: false }, email: { inbound: false, outbound: true }, whatsapp: { inbound: false, outbound: false } } });
    expect((await enrolAndWait(t, admin, wf.id, dnd)).steps[0]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/Do Not Disturb/) });

    const restore = registerAction({
      ...sendEmailAction,
      execute: (ctx: ActionContext, config: ActionConfig<'send_email'>) => sendEmailAction.execute({ ...ctx, ports: { ...ctx.ports, mail: () => null } }, config),
    } as never);
    try {
      const contact = await createContact(t, admin, { name: 'No Server', email: 'noserver@example.com' });
      expect((await enrolAndWait(t, admin, wf.id, contact)).steps[0]).toMatchObject({ status: 'error', reason: expect.stringMatching(/No mail server is configured/) });
    } finally {
      restore();
    }
  });

  it('exactly once: an attempt that died after the mail server took the message is never repeated (SMTP cannot be asked)', async () => {
    const contact = await createContact(t, admin, { name: 'Once Oscar', email: 'oscar@example.com' });
    const restore = registerAction({
      ...sendEmailAction,
      async execute(ctx: ActionContext, config: ActionConfig<'send_email'>) {
        const first = await sendEmailAction.execute(ctx, config);
        expect(await sendEmailAction.execute(ctx, config)).toEqual(first); // a plain repeat: the stored result
        await ctx.db.query(`UPDATE step_effects SET status = 'intent', result = NULL WHERE run_id = $1 AND effect_key = 'email'`, [ctx.run.id]);
        return sendEmailAction.execute(ctx, config);
      },
    } as never);
    try {
      const wf = await publishWorkflow(t, admin, 'Once', emailStep({}));
      const run = await enrolAndWait(t, admin, wf.id, contact, { timeoutMs: 60_000 });
      expect(run.steps[0]).toMatchObject({ status: 'error', reason: expect.stringMatching(/may or may not have happened/) });
    } finally {
      restore();
    }
    expect(smtp.messages.filter((m) => m.rcptTo.includes('oscar@example.com'))).toHaveLength(1);
  }, 90_000);

  it('exactly once with Cc: a repeat sends neither message again, and a copy left in doubt is named in the log, not sent twice', async () => {
    const contact = await createContact(t, admin, { name: 'Copy Carla', email: 'carla@example.com' });
    const restore = registerAction({
      ...sendEmailAction,
      async execute(ctx: ActionContext, config: ActionConfig<'send_email'>) {
        const first = await sendEmailAction.execute(ctx, config);
        expect(await sendEmailAction.execute(ctx, config)).toEqual(first);
        await ctx.db.query(`UPDATE step_effects SET status = 'intent', result = NULL WHERE run_id = $1 AND effect_key = 'email:copies'`, [ctx.run.id]);
        return sendEmailAction.execute(ctx, config);
      },
    } as never);
    try {
      const wf = await publishWorkflow(t, admin, 'Once with Cc', emailStep({ cc: ['carla.cc@glowmedspa.example'] }));
      const run = await enrolAndWait(t, admin, wf.id, contact, { timeoutMs: 60_000 });
      expect(run.steps[0]).toMatchObject({ status: 'completed', reason: expect.stringMatching(/Cc\/Bcc copy was not sent: it may or may not have been sent/) });
      expect(await stepMetrics(t, admin, wf.id, 'email')).toEqual({ accepted: 1, delivered: 1 });
    } finally {
      restore();
    }
    expect(smtp.messages.filter((m) => m.rcptTo.includes('carla@example.com'))).toHaveLength(1);
    expect(smtp.messages.filter((m) => m.rcptTo.includes('carla.cc@glowmedspa.example'))).toHaveLength(1);
  }, 90_000);

  it('a Cc address the mail server refuses does not touch the contact\'s message or statistics; the log names it', async () => {
    const contact = await createContact(t, admin, { name: 'Refused Copy', email: 'rc@example.com' });
    const wf = await publishWorkflow(t, admin, 'Refused copy', emailStep({ cc: ['nobody@glowmedspa.example'], bcc: ['spamtrap@glowmedspa.example'] }));
    const before = smtp.messages.length;
    const run = await enrolAndWait(t, admin, wf.id, contact);
    expect(run.steps[0]).toMatchObject({ status: 'completed', reason: expect.stringMatching(/^Email sent to rc@example\.com\. The Cc\/Bcc copy was not sent: the mail server refused it \(554/) });
    expect(smtp.messages.slice(before).map((m) => m.rcptTo)).toEqual([['rc@example.com']]);
    expect(await stepMetrics(t, admin, wf.id, 'email')).toEqual({ accepted: 1, delivered: 1 });
  });
});
