import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import type { Sandbox } from '../../src/sandbox/index';
import { reputationSettingsSchema, reviewRequestSchema } from '../../src/shared/cloud/reputation';
import { backends, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { enrolAndWait, publishWorkflow, waitFor } from '../support/automation';
import { createContact, oneStepWorkflow, otherPracticeAdmin, startCommsCloud, startTestSmtp } from '../support/comms';
import { verifiedSendingDomain } from '../support/sending-domains';

afterAll(stopTestPostgres);

const SLOW = 300_000;
const review = (reviewType: 'email' | 'sms') => oneStepWorkflow({ id: 'review', name: 'Send Review Request', type: 'review_request', config: { reviewType } });

describe.each(backends)('Reputation settings and the Review Request action on %s', (backend) => {
  let t: TestCloud;
  let sandbox: Sandbox;
  let stop: () => Promise<void>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let admin: string;
  let jordan: string;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    ({ t, sandbox, stop } = await startCommsCloud(backend, { twoFactor: { mailFrom: 'Aesthetix <no-reply@aesthetix.example>', smtp: smtp.config } }));
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
    // Email requests go From the assigned user's address: the demo users' domain is a verified sending domain of the practice.
    await verifiedSendingDomain(t, DEMO_ACCOUNT_ID, 'glowmedspa.example');
  }, SLOW);
  afterAll(async () => {
    await stop?.();
    await smtp?.stop();
  });

  it('settings: default wording until saved; requests need an https review link; wording must parse; only admins change them; each practice its own', async () => {
    const initial = reputationSettingsSchema.parse((await t.api(jordan, 'GET', '/v1/reputation/settings')).body);
    expect(initial).toMatchObject({ reviewLink: null, requestsEnabled: false, updatedAt: null });
    expect(initial.smsBody).toContain('{{review_link}}');
    expect((await t.api(admin, 'PATCH', '/v1/reputation/settings', { requestsEnabled: true })).status).toBe(400);
    expect((await t.api(admin, 'PATCH', '/v1/reputation/settings', { reviewLink: 'http://insecure.example/r' })).status).toBe(400);
    expect((await t.api(admin, 'PATCH', '/v1/reputation/settings', { smsBody: 'Hi {{contact.first_name' })).status).toBe(400);
    expect((await t.api(jordan, 'PATCH', '/v1/reputation/settings', { requestsEnabled: false })).status).toBe(403);
    const saved = await t.api(admin, 'PATCH', '/v1/reputation/settings', { reviewLink: 'https://g.page/r/glow-med-spa/review', requestsEnabled: true });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ requestsEnabled: true, reviewLink: 'https://g.page/r/glow-med-spa/review' });
    const other = await otherPracticeAdmin(t);
    expect((await t.api(other.token, 'GET', '/v1/reputation/settings')).body).toMatchObject({ requestsEnabled: false, reviewLink: null });
  });

  it('SMS: worded by the settings, from the assigned user’s number; Queued → Delivered; a carrier failure is Failed', async () => {
    await t.api(admin, 'PATCH', '/v1/reputation/settings', { reviewLink: 'https://g.page/r/glow-med-spa/review', requestsEnabled: true, smsBody: 'Hi {{contact.first_name}}, {{user.first_name}} here. Review us: {{review_link}}' });
    const contact = await createContact(t, admin, { name: 'Rita Review', phone: '+13105556001', assignedUserId: DEMO_USERS.receptionist.id });
    const wf = await publishWorkflow(t, admin, 'Review after visit', review('sms'));
    const run = await enrolAndWait(t, admin, wf.id, contact);
    expect(run.steps[0]).toMatchObject({ status: 'completed', reason: 'Review request texted to +13105556001 on behalf of Jordan Lee' });
    const sent = sandbox.control.messaging.list({ to: '+13105556001' });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.from).toBe(DEMO_NUMBERS.jordanDirect.number);
    expect(sent[0]!.body).toBe('Hi Rita, Jordan here. Review us: https://g.page/r/glow-med-spa/review');
    const delivered = await waitFor('Delivered', async () => {
      const list = reviewRequestSchema.array().parse((await t.api(jordan, 'GET', `/v1/reputation/requests?contactId=${contact}`)).body);
      return list[0]?.status === 'delivered' ? list : null;
    });
    expect(delivered[0]).toMatchObject({ channel: 'sms', senderUserId: DEMO_USERS.receptionist.id, to: '+13105556001' });

    sandbox.control.messaging.setOutcome('+13105556002', { status: 'failed', errorCode: 30008 });
    const failing = await createContact(t, admin, { name: 'Fay Fail', phone: '+13105556002' });
    await enrolAndWait(t, admin, wf.id, failing);
    await waitFor('Failed', async () => (await t.api(admin, 'GET', `/v1/reputation/requests?contactId=${failing}`)).body[0]?.status === 'failed');
  });

  it('SMS to a country the call policy does not allow: not sent, in the policy’s words', async () => {
    await t.api(admin, 'PATCH', '/v1/reputation/settings', { reviewLink: 'https://g.page/r/glow-med-spa/review', requestsEnabled: true });
    const contact = await createContact(t, jordan, { name: 'Jay Abroad', phone: '+18765556003', assignedUserId: DEMO_USERS.receptionist.id });
    const wf = await publishWorkflow(t, admin, 'Review abroad', review('sms'));
    expect((await enrolAndWait(t, jordan, wf.id, contact)).steps[0]).toMatchObject({
      status: 'error', reason: 'Texts to Jamaica (JM) are not allowed for your practice. An admin can allow more countries under Settings → Call policy. The review request to +18765556003 was not sent.',
    });
    expect(sandbox.control.messaging.list({ to: '+18765556003' })).toEqual([]);
    expect((await t.api(admin, 'GET', `/v1/reputation/requests?contactId=${contact}`)).body).toEqual([]);
  });

  it('email: sent as the assigned user, the link escaped into the body; Sent (email reports no Delivered); off → skipped plainly', async () => {
    await t.api(admin, 'PATCH', '/v1/reputation/settings', { reviewLink: 'https://g.page/r/glow?a=1&b=2', requestsEnabled: true });
    const contact = await createContact(t, admin, { name: 'Ella Mail', email: 'ella@example.com', assignedUserId: DEMO_USERS.receptionist2.id });
    const wf = await publishWorkflow(t, admin, 'Review by email', review('email'));
    expect((await enrolAndWait(t, admin, wf.id, contact)).steps[0]).toMatchObject({ status: 'completed', reason: 'Review request emailed to ella@example.com on behalf of Avery Patel' });
    const mail = smtp.messages.at(-1)!;
    expect(mail.from).toBe(DEMO_USERS.receptionist2.email);
    expect(mail.text).toMatch(/From: Avery Patel <avery@glowmedspa\.example>/);
    expect(mail.text).toContain('Subject: How was your visit, Ella?');
    expect((await t.api(admin, 'GET', `/v1/reputation/requests?contactId=${contact}`)).body[0]).toMatchObject({ channel: 'email', status: 'sent', senderUserId: DEMO_USERS.receptionist2.id });

    await t.api(admin, 'PATCH', '/v1/reputation/settings', { requestsEnabled: false });
    const later = await createContact(t, admin, { name: 'Off Otto', email: 'otto@example.com' });
    expect((await enrolAndWait(t, admin, wf.id, later)).steps[0]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/Review requests are off/) });
  });
});
