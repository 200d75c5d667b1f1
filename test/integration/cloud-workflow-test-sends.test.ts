import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID } from '../../src/cloud/index';
import { testSendResultSchema } from '../../src/shared/cloud/workflow-builder';
import type { Sandbox } from '../../src/sandbox';
import { backends, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { startCommsCloud, startTestSmtp } from '../support/comms';
import { verifiedSendingDomain } from '../support/sending-domains';

afterAll(stopTestPostgres);

const SLOW = 300_000;

/** Send Test Mail / Send Test SMS (issue [workflow-builder]) through the real clients to the loopback stand-ins, on both backends. */
describe.each(backends)('builder test sends on %s', (backend) => {
  let t: TestCloud;
  let sandbox: Sandbox;
  let stop: () => Promise<void>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let admin: string;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    ({ t, sandbox, stop } = await startCommsCloud(backend, { twoFactor: { mailFrom: 'Aesthetix <no-reply@aesthetix.example>', smtp: smtp.config } }, {}));
    // Its Send Email steps send From this domain: a verified sending domain of the practice.
    await verifiedSendingDomain(t, DEMO_ACCOUNT_ID, 'practice.test');
    admin = (await t.login('admin')).accessToken;
  }, SLOW);
  afterAll(async () => {
    await stop?.();
    await smtp?.stop();
  });

  it('Send Test Mail: one message at the mail server, merge fields filled with sample values; bad input and receptionists refused, nothing sent', async () => {
    const res = await t.api(admin, 'POST', '/v1/workflow-tests/email', {
      to: 'me@practice.test', fromName: '{{account.name}}', fromEmail: 'desk@practice.test', subject: 'Thanks for booking, {{contact.first_name}}',
      body: '<p>Hi {{contact.first_name}}, see you {{appointment.start_time}} <b>{{custom.note}}</b></p>',
    });
    expect(res.status).toBe(201);
    expect(testSendResultSchema.parse(res.body)).toMatchObject({ sentTo: 'me@practice.test', sampleFields: ['account.name', 'contact.first_name', 'appointment.start_time', 'custom.note'] });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.rcptTo).toEqual(['me@practice.test']);
    expect(smtp.messages[0]!.text).toContain('Subject: [Test] Thanks for booking, Sam');
    expect(smtp.messages[0]!.text).toContain('Hi Sam, see you Dec 2, 2026, 2:00 PM');
    expect((await t.api(admin, 'POST', '/v1/workflow-tests/email', { to: 'not-an-address', fromName: '', fromEmail: 'desk@practice.test', subject: '', body: '' })).status).toBe(400);
    const receptionist = (await t.login('receptionist')).accessToken;
    expect((await t.api(receptionist, 'POST', '/v1/workflow-tests/email', { to: 'me@practice.test', fromName: '', fromEmail: 'desk@practice.test', subject: 's', body: 'b' })).status).toBe(403);
    expect(smtp.messages).toHaveLength(1);
  });

  it('Send Test SMS: one message at the Twilio sandbox from the practice number; a foreign number id is refused', async () => {
    const res = await t.api(admin, 'POST', '/v1/workflow-tests/sms', { to: '+13105559911', message: 'Hi {{contact.first_name}}, reminder for tomorrow' });
    expect(res.status).toBe(201);
    const sent = sandbox.control.messaging.list({ to: '+13105559911' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toBe('[Test] Hi Sam, reminder for tomorrow');
    expect(res.body.providerId).toBe(sent[0]!.sid);
    expect((await t.api(admin, 'POST', '/v1/workflow-tests/sms', { to: '+13105559911', message: 'x', fromNumberId: 'pn_not_ours' })).status).toBe(404);
    expect((await t.api(admin, 'POST', '/v1/workflow-tests/sms', { to: '3105559911', message: 'x' })).status).toBe(400);
    expect(sandbox.control.messaging.list({ to: '+13105559911' })).toHaveLength(1);
    // A test text is a text like any other to the call policy (SMS pumping): not to Jamaica.
    const abroad = await t.api(admin, 'POST', '/v1/workflow-tests/sms', { to: '+18765559911', message: 'x' });
    expect(abroad).toMatchObject({ status: 403, body: { code: 'CALL_DESTINATION_NOT_ALLOWED', detail: 'Texts to Jamaica (JM) are not allowed for your practice. An admin can allow more countries under Settings → Call policy.' } });
    expect(sandbox.control.messaging.list({ to: '+18765559911' })).toEqual([]);
  });

  it('Send Test Mail previews what a run sends: a typed message keeps its paragraphs and goes with its text alternative', async () => {
    const before = smtp.messages.length;
    const res = await t.api(admin, 'POST', '/v1/workflow-tests/email', {
      to: 'preview@practice.test', fromName: 'Glow', fromEmail: 'desk@practice.test', subject: 'Preview', body: 'Hi {{contact.first_name}},\n\nSee you Monday.\nGlow Med Spa',
    });
    expect(res.status).toBe(201);
    const mail = smtp.messages[before]!.text;
    expect(mail).toContain('<p>Hi Sam,</p>');
    expect(mail).toContain('<p>See you Monday.<br>');
    expect(mail).toMatch(/Content-Type: text\/plain[\s\S]*Hi Sam,\r?\n\r?\nSee you Monday\.\r?\nGlow Med Spa/);
  });

  it('Send Test SMS previews what a run sends: the attachments go as links; too long for one text is refused, nothing sent', async () => {
    const res = await t.api(admin, 'POST', '/v1/workflow-tests/sms', { to: '+13105559912', message: 'Your aftercare sheet', attachmentUrls: ['https://glow.example/aftercare.pdf'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(sandbox.control.messaging.list({ to: '+13105559912' }).map((m) => m.body)).toEqual(['[Test] Your aftercare sheet\nhttps://glow.example/aftercare.pdf']);
    const long = await t.api(admin, 'POST', '/v1/workflow-tests/sms', { to: '+13105559912', message: 'x'.repeat(1590), attachmentUrls: ['https://glow.example/aftercare.pdf'] });
    expect([long.status, long.body.detail]).toEqual([400, 'The message is 1,625 characters once filled; a text can carry at most 1,600']);
    expect(sandbox.control.messaging.list({ to: '+13105559912' })).toHaveLength(1);
  });
});
