import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAction } from '../../src/cloud/automation/actions/registry';
import { sendSmsAction } from '../../src/cloud/automation/actions/send-sms';
import type { ActionContext } from '../../src/cloud/automation/actions/types';
import type { ActionConfig } from '../../src/shared/cloud/workflows';
import { DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import { callPolicyPath } from '../../src/shared/cloud/call-policy';
import type { Sandbox } from '../../src/sandbox/index';
import { backends, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { enrolAndWait, publishWorkflow, waitFor } from '../support/automation';
import { createContact, oneStepWorkflow, startCommsCloud, stepMetrics } from '../support/comms';

afterAll(stopTestPostgres);

const SLOW = 300_000;
const JORDAN_LINE = DEMO_NUMBERS.jordanDirect.number;

const smsStep = (message: string, extra: Record<string, unknown> = {}) =>
  oneStepWorkflow({ id: 'sms', name: 'Appointment Reminder SMS', type: 'send_sms', config: { message, ...extra } });

describe.each(backends)('Send SMS on %s (official twilio client against the sandbox)', (backend) => {
  let t: TestCloud;
  let sandbox: Sandbox;
  let stop: () => Promise<void>;
  let admin: string;
  beforeAll(async () => {
    ({ t, sandbox, stop } = await startCommsCloud(backend));
    admin = (await t.login('admin')).accessToken;
  }, SLOW);
  afterAll(async () => stop?.());

  it('sends the filled-in text from the assigned user’s number; the attachment goes as a tracked link; Delivered and Clicked are counted', async () => {
    const phone = '+13105553101';
    const contact = await createContact(t, admin, { name: 'Ana Ruiz', phone, assignedUserId: DEMO_USERS.receptionist.id });
    const wf = await publishWorkflow(t, admin, 'Reminder', smsStep('Hi {{contact.first_name}}, see you tomorrow. Book: https://glow.example/book?x=1.', {
      attachmentUrls: ['https://glow.example/aftercare.pdf'],
    }));
    const run = await enrolAndWait(t, admin, wf.id, contact);
    expect(run.steps[0]).toMatchObject({ status: 'completed' });
    const sent = sandbox.control.messaging.list({ to: phone });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.from).toBe(JORDAN_LINE);
    expect(sent[0]!.body).toMatch(/^Hi Ana, see you tomorrow\. Book: http:\/\/127\.0\.0\.1:\d+\/l\/[\w-]+\.\nhttp:\/\/127\.0\.0\.1:\d+\/l\/[\w-]+$/);
    expect(sent[0]!.body).not.toContain('glow.example');

    await waitFor('Delivered', async () => (await stepMetrics(t, admin, wf.id, 'sms')).delivered === 1);
    const row = (await t.cloud.db.query<{ status: string; provider_id: string; contact_id: string }>(`SELECT status, provider_id, contact_id FROM outbound_messages WHERE to_address = $1`, [phone]))[0]!;
    expect(row).toMatchObject({ status: 'delivered', provider_id: sent[0]!.sid, contact_id: contact });

    const link = sent[0]!.body.match(/http:\S+?\/l\/[\w-]+/)![0];
    const click = await fetch(link, { redirect: 'manual' });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe('https://glow.example/book?x=1');
    await fetch(link, { redirect: 'manual' });
    expect(await stepMetrics(t, admin, wf.id, 'sms')).toMatchObject({ delivered: 1, clicked: 1 });
    expect((await fetch(link.replace(/\/l\/.*/, '/l/not-a-real-token'), { redirect: 'manual' })).status).toBe(404);
  });

  it('a carrier failure is counted as Failed; a forged status callback changes nothing', async () => {
    const phone = '+13105553102';
    sandbox.control.messaging.setOutcome(phone, { status: 'undelivered', errorCode: 30006 });
    const contact = await createContact(t, admin, { name: 'Landline Lou', phone });
    const wf = await publishWorkflow(t, admin, 'Reminder to a landline', smsStep('Hello {{contact.name}}'));
    const run = await enrolAndWait(t, admin, wf.id, contact);
    expect(run.steps[0]!.status).toBe('completed');
    await waitFor('Failed', async () => (await stepMetrics(t, admin, wf.id, 'sms')).failed === 1);
    const row = (await t.cloud.db.query<{ id: string; status: string; error_code: string }>(`SELECT id, status, error_code FROM outbound_messages WHERE to_address = $1`, [phone]))[0]!;
    expect(row).toMatchObject({ status: 'undelivered', error_code: '30006' });

    const forged = await t.webhook(`/hooks/messaging/status?m=${row.id}`, { AccountSid: 'ACx', MessageSid: 'SMx', MessageStatus: 'delivered' }, 'forged');
    expect(forged.status).toBe(403);
    expect((await stepMetrics(t, admin, wf.id, 'sms')).delivered).toBeUndefined();
  });

  it('honours DND for outgoing texts and a STOP reply; a contact without a phone is skipped', async () => {
    const dnd = await createContact(t, admin, { name: 'Quiet Quinn', phone: '+13105553103' });
    await t.api(admin, 'PATCH', `/v1/contacts/${dnd}`, { dnd: { call: { inbound: false, outbound: false }, sms: { inbound: false, outbound: true }, email: { inbound: false, outbound: false }, whatsapp: { inbound: false, outbound: false } } });
    const stopped = await createContact(t, admin, { name: 'Stop Sam', phone: '+13105553104' });
    await sandbox.control.messaging.receive({ from: '+13105553104', to: DEMO_NUMBERS.beverlyHillsMain.number, body: 'STOP' });
    const noPhone = await createContact(t, admin, { name: 'Email Only', email: 'only@example.com' });
    const wf = await publishWorkflow(t, admin, 'Promo', smsStep('20% off this week', { fromNumberId: DEMO_NUMBERS.beverlyHillsMain.id }));

    expect((await enrolAndWait(t, admin, wf.id, dnd)).steps[0]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/Do Not Disturb/) });
    expect((await enrolAndWait(t, admin, wf.id, stopped)).steps[0]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/opted out.*STOP/) });
    expect((await enrolAndWait(t, admin, wf.id, noPhone)).steps[0]).toMatchObject({ status: 'skipped', reason: 'The contact has no phone number' });
    expect(sandbox.control.messaging.list({ to: '+13105553103' })).toHaveLength(0);
    expect(sandbox.control.messaging.list({ to: '+13105553104' }).filter((m) => m.direction !== 'inbound' && m.body === '20% off this week')).toHaveLength(0);
  });

  it('SMS pumping: a contact in a country the call policy does not allow gets no text (Failed, the policy’s words); allowed by an admin, it does', async () => {
    const jamaica = '+18765553106';
    // Anyone who may add a contact may enrol it: the receptionist does both.
    const jordan = (await t.login('receptionist')).accessToken;
    const contact = await createContact(t, jordan, { name: 'Premium Pat', phone: jamaica });
    const wf = await publishWorkflow(t, admin, 'Welcome text', smsStep('Welcome, {{contact.first_name}}'));
    expect((await enrolAndWait(t, jordan, wf.id, contact)).steps[0]).toMatchObject({
      status: 'error', reason: `Texts to Jamaica (JM) are not allowed for your practice. An admin can allow more countries under Settings → Call policy. The text to ${jamaica} was not sent.`,
    });
    expect(sandbox.control.messaging.list({ to: jamaica })).toEqual([]);
    expect(await t.cloud.db.query(`SELECT id FROM outbound_messages WHERE to_address = $1`, [jamaica])).toEqual([]);
    expect(await stepMetrics(t, admin, wf.id, 'sms')).toMatchObject({ failed: 1 });
    try {
      await t.api(admin, 'PUT', callPolicyPath, { allowedCountries: ['US', 'JM'] });
      const allowed = await createContact(t, jordan, { name: 'Allowed Al', phone: '+18765553107' });
      expect((await enrolAndWait(t, jordan, wf.id, allowed)).steps[0]).toMatchObject({ status: 'completed' });
      expect(sandbox.control.messaging.list({ to: '+18765553107' })).toHaveLength(1);
    } finally {
      await t.api(admin, 'PUT', callPolicyPath, { allowedCountries: null });
    }
  });

  it('exactly once: a repeated execute returns the stored result; a crash after Twilio accepted is reconciled, not resent', async () => {
    const phone = '+13105553105';
    const contact = await createContact(t, admin, { name: 'Once Olive', phone });
    // The step runs twice in one attempt; between the two, the result of the send is "lost"
    // (as if the worker died after Twilio accepted the message, before the ledger recorded it).
    const restore = registerAction({
      ...sendSmsAction,
      async execute(ctx: ActionContext, config: ActionConfig<'send_sms'>) {
        const first = await sendSmsAction.execute(ctx, config);
        await ctx.db.query(`UPDATE step_effects SET status = 'intent', result = NULL WHERE run_id = $1 AND effect_key = 'sms'`, [ctx.run.id]);
        const second = await sendSmsAction.execute(ctx, config);
        expect(second).toEqual(first);
        return second;
      },
    } as never);
    try {
      const wf = await publishWorkflow(t, admin, 'Once', smsStep('Only once, {{contact.first_name}}'));
      const run = await enrolAndWait(t, admin, wf.id, contact);
      expect(run.steps[0]!.status).toBe('completed');
    } finally {
      restore();
    }
    expect(sandbox.control.messaging.list({ to: phone })).toHaveLength(1);
    expect(await t.cloud.db.query(`SELECT id FROM outbound_messages WHERE to_address = $1`, [phone])).toHaveLength(1);
  });
});
