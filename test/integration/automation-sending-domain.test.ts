/**
 * "Inputs needed: … a verified sending domain" (the Send Email action), on both backends: a Send
 * Email step From an address off the practice's verified sending domains is refused when the
 * workflow is saved or published (naming the step and what to do), Send Test Mail refuses it with
 * the same words, and a run whose domain stopped being verified errs with the reason and sends
 * nothing. A step stored before still loads. Mail From a verified domain carries a DKIM signature
 * that verifies against the key published in DNS (the stand-in's, over loopback).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, DEMO_USERS } from '../../src/cloud/index';
import { newId } from '../../src/cloud/ids';
import type { DnsStandIn } from '../../src/sandbox/dns/index';
import type { SendingDomain } from '../../src/shared/cloud/sending-domains';
import { backends, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { enrolAndWait, publishWorkflow } from '../support/automation';
import { createContact } from '../support/comms';
import { connectAndVerify, publishRecords, verifyDkim, bookingEmail, fromEmailError, startMailCloud, type MailCloud } from '../support/sending-domains';

afterAll(stopTestPostgres);

const SLOW = 300_000;
const DOMAIN = 'glow-mail.example';

describe.each(backends)('Send Email needs a verified sending domain, on %s', (backend) => {
  let t: TestCloud;
  let stop: (() => Promise<void>) | undefined;
  let smtp: MailCloud['smtp'];
  let dns: DnsStandIn;
  let admin: string;
  let contact: string;
  beforeAll(async () => {
    ({ t, smtp, dns, stop } = await startMailCloud(backend));
    admin = (await t.login('admin')).accessToken;
    contact = await createContact(t, admin, { name: 'Bea Park', email: 'bea@example.com' });
  }, SLOW);
  afterAll(() => stop?.());


  it('saving names the step and what to do: not connected, connected but not verified, verified → saved and published', async () => {
    const refused = await t.api(admin, 'POST', '/v1/workflows', { name: 'Confirmations', draft: bookingEmail(`hello@${DOMAIN}`) });
    expect(refused.status).toBe(400);
    expect(fromEmailError(refused.body)).toBe(`“Booking Confirmation Email”: hello@${DOMAIN} is not on a sending domain of this practice: connect and verify ${DOMAIN} under Settings → Email sending`);
    // The refusal reads as a sentence (the desktop shows it as it is).
    expect(refused.body.detail).toBe(`“Booking Confirmation Email”: hello@${DOMAIN} is not on a sending domain of this practice: connect and verify ${DOMAIN} under Settings → Email sending.`);

    const added = await t.api(admin, 'POST', '/v1/sending-domains', { domain: DOMAIN });
    const pending = await t.api(admin, 'POST', '/v1/workflows', { name: 'Confirmations', draft: bookingEmail(`Hello@${DOMAIN.toUpperCase()}`) });
    expect(fromEmailError(pending.body)).toBe(`“Booking Confirmation Email”: ${DOMAIN} is not verified yet: publish its DNS records, then choose Verify under Settings → Email sending`);
    await t.api(admin, 'POST', `/v1/sending-domains/${added.body.id}/verify`);
    const failed = await t.api(admin, 'POST', '/v1/workflows', { name: 'Confirmations', draft: bookingEmail(`hello@${DOMAIN}`) });
    expect(fromEmailError(failed.body)).toMatch(new RegExp(`^“Booking Confirmation Email”: ${DOMAIN} failed verification \\(No record named .*\\(NXDOMAIN\\).*\\): fix its DNS records, then choose Verify`));

    publishRecords(dns, added.body as SendingDomain);
    expect((await t.api(admin, 'POST', `/v1/sending-domains/${added.body.id}/verify`)).body.status).toBe('verified');
    const wf = await publishWorkflow(t, admin, 'Confirmations', bookingEmail(`Hello@${DOMAIN.toUpperCase()}`));
    expect(wf.publishedVersion).toBe(1);
    // Another address on another, unconnected domain in an If/Else branch is still named by its step.
    const branch = await t.api(admin, 'PATCH', `/v1/workflows/${wf.id}`, {
      draft: {
        trigger: { type: 'manual', filters: {} },
        steps: [{ id: 'fork', name: 'VIP?', type: 'if_else', branches: [{ id: 'vip', name: 'VIP', conditions: { match: 'all', rules: [{ field: 'contact.tags', operator: 'has_tag', value: 'vip' }] }, steps: [{ ...bookingEmail('vip@elsewhere.example').steps![0], id: 'email' }] }], elseSteps: [] }],
      },
    });
    expect(fromEmailError(branch.body)).toContain('vip@elsewhere.example is not on a sending domain of this practice');
  }, SLOW);

  it('a step stored before the rule still loads and can be renamed; publishing and the dry run name the problem', async () => {
    const id = newId('wf');
    await t.cloud.db.query(`INSERT INTO workflows (id, account_id, name, draft, created_by) VALUES ($1, $2, 'Old workflow', $3::jsonb, $4)`, [
      id, DEMO_ACCOUNT_ID, JSON.stringify({ trigger: { type: 'manual', filters: {} }, steps: [{ id: 'email', name: 'Old email', type: 'send_email', config: { fromName: 'Glow', fromEmail: 'old@unverified.example', subject: 'Hi', templateId: null, syncTemplateEdits: false, body: 'Hi', attachments: [], cc: [], bcc: [] } }], settings: { stopOnResponse: false, allowReentry: false } }), DEMO_USERS.admin.id,
    ]);
    expect((await t.api(admin, 'GET', `/v1/workflows/${id}`)).status).toBe(200);
    expect((await t.api(admin, 'PATCH', `/v1/workflows/${id}`, { name: 'Old workflow, renamed' })).status).toBe(200);
    const publish = await t.api(admin, 'POST', `/v1/workflows/${id}/publish`);
    expect(fromEmailError(publish.body)).toContain('old@unverified.example is not on a sending domain of this practice');
    const dry = await t.api(admin, 'POST', `/v1/workflows/${id}/dry-run`, {});
    expect(dry.body.canPublish).toBe(false);
    expect(dry.body.problems).toContainEqual({ path: 'draft.steps[email].config.fromEmail', message: expect.stringContaining('connect and verify unverified.example under Settings → Email sending'), blocking: true });
  }, SLOW);

  it('Send Test Mail refuses an unverified From Email with the same words, and signs a verified one with the published DKIM key', async () => {
    const test = (fromEmail: string) => t.api(admin, 'POST', '/v1/workflow-tests/email', { to: 'me@practice.test', fromName: 'Glow', fromEmail, subject: 'Preview', body: 'Hi' });
    const before = smtp.messages.length;
    const refused = await test('desk@not-ours.example');
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: 'desk@not-ours.example is not on a sending domain of this practice: connect and verify not-ours.example under Settings → Email sending.' });
    expect(refused.body.errors).toEqual([{ path: 'fromEmail', message: expect.stringContaining('connect and verify not-ours.example') }]);
    expect(smtp.messages.length).toBe(before);

    const domain = await connectAndVerify(t, admin, dns, 'glow-test-mail.example');
    expect((await test('desk@glow-test-mail.example')).status).toBe(201);
    const sent = smtp.messages.at(-1)!;
    expect(sent.rcptTo).toEqual(['me@practice.test']);
    expect(verifyDkim(sent.raw, dns.zone.txt(domain.records[1]!.name)![0]!)).toEqual({ ok: true, domain: 'glow-test-mail.example', selector: domain.records[1]!.name.split('.')[0] });
  }, SLOW);

  it('at run time: sent and DKIM-signed while verified; once the domain fails verification the step errs with the reason and nothing is sent', async () => {
    const domain = await connectAndVerify(t, admin, dns, 'glow-run.example');
    const wf = await publishWorkflow(t, admin, 'Run-time check', { ...bookingEmail('frontdesk@glow-run.example'), settings: { stopOnResponse: false, allowReentry: true } });
    const ok = await enrolAndWait(t, admin, wf.id, contact);
    expect(ok.steps[0]).toMatchObject({ status: 'completed' });
    const mail = smtp.messages.at(-1)!;
    expect(mail.rcptTo).toEqual(['bea@example.com']);
    const published = dns.zone.txt(domain.records[1]!.name)![0]!;
    expect(verifyDkim(mail.raw, published)).toMatchObject({ ok: true, domain: 'glow-run.example' });
    // A signature over changed content does not verify: the check is real.
    expect(verifyDkim(mail.raw.replace('Subject: Thanks for booking, Bea', 'Subject: Thanks for booking, Bob'), published)).toMatchObject({ ok: false });

    for (const record of domain.records) dns.zone.remove(record.name);
    expect((await t.api(admin, 'POST', `/v1/sending-domains/${domain.id}/verify`)).body.status).toBe('failed');
    const count = smtp.messages.length;
    const refused = await enrolAndWait(t, admin, wf.id, contact);
    expect(refused.steps[0]).toMatchObject({
      status: 'error',
      reason: expect.stringMatching(/^glow-run\.example failed verification \(No record named .* \(NXDOMAIN\).*\): fix its DNS records, then choose Verify under Settings → Email sending\. The email was not sent$/),
    });
    expect(smtp.messages.length).toBe(count);
    const [outbound] = await t.cloud.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM outbound_messages WHERE account_id = $1 AND step_id = 'email' AND run_id = $2`, [DEMO_ACCOUNT_ID, refused.id]);
    expect(outbound!.n).toBe('0');
  }, SLOW);
});
