/**
 * The verified-sending-domain rule beyond Send Email, on both backends: an email Internal
 * Notification's From Email is refused at save when it is off the practice's verified domains and
 * refused at run time when it fills to one (a custom value) or its domain lost verification since;
 * an email Review Request (From the contact's assigned user) needs a user on a verified domain at
 * save, and errs for a contact whose user is not; a subdomain of a verified domain sends signed with
 * the parent's key (DKIM relaxed alignment); an international From Email is accepted as typed,
 * stored and sent in its xn-- form, and named in Unicode. Nothing is ever sent unsigned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, DEMO_USERS } from '../../src/cloud/index';
import type { DnsStandIn } from '../../src/sandbox/dns/index';
import type { SendingDomain } from '../../src/shared/cloud/sending-domains';
import { backends, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { enrolAndWait, publishWorkflow } from '../support/automation';
import { createContact, oneStepWorkflow } from '../support/comms';
import { connectAndVerify, verifyDkim, startMailCloud, type MailCloud } from '../support/sending-domains';

afterAll(stopTestPostgres);

const SLOW = 300_000;
const PRACTICE = 'glowmedspa.example'; // the demo users' addresses are on it

const notify = (fromEmail: string) =>
  oneStepWorkflow({
    id: 'notify', name: 'Tell the team', type: 'internal_notification',
    config: { channel: 'email', fromName: 'Workflows', fromEmail, toUserType: 'particular_users', userIds: [DEMO_USERS.admin.id], subject: 'New lead {{contact.name}}', message: 'Call them' },
  });
const review = (reviewType: 'email' | 'sms') => oneStepWorkflow({ id: 'review', name: 'Send Review Request', type: 'review_request', config: { reviewType } });
const email = (fromEmail: string) =>
  oneStepWorkflow({ id: 'email', name: 'Offer email', type: 'send_email', config: { fromName: 'Glow', fromEmail, subject: 'Our offer', body: 'Hi {{contact.first_name}}' } });
const again = { settings: { stopOnResponse: false, allowReentry: true } };

describe.each(backends)('every email step sends only From a verified sending domain, on %s', (backend) => {
  let t: TestCloud;
  let stop: (() => Promise<void>) | undefined;
  let smtp: MailCloud['smtp'];
  let dns: DnsStandIn;
  let admin: string;
  beforeAll(async () => {
    ({ t, smtp, dns, stop } = await startMailCloud(backend));
    admin = (await t.login('admin')).accessToken;
  }, SLOW);
  afterAll(() => stop?.());

  const errorAt = (body: { code: string; errors?: { path: string; message: string }[] }, path: string) => {
    expect(body.code).toBe('VALIDATION_FAILED');
    return body.errors?.find((e) => e.path === path)?.message;
  };
  const dkimOf = (domain: SendingDomain) => dns.zone.txt(domain.records.find((r) => r.purpose === 'dkim')!.name)![0]!;

  it('Internal Notification: refused at save off the verified domains; a custom value is checked when it runs; a domain that lost verification stops it, nothing sent', async () => {
    const refused = await t.api(admin, 'POST', '/v1/workflows', { name: 'Alerts', draft: notify('alerts@team-glow.example') });
    expect(refused.status).toBe(400);
    expect(errorAt(refused.body, 'draft.steps[notify].config.fromEmail')).toBe(
      '“Tell the team”: alerts@team-glow.example is not on a sending domain of this practice: connect and verify team-glow.example under Settings → Email sending',
    );

    // {{user.email}} fills to the assigned user's address, on a domain the practice has not connected.
    const contact = await createContact(t, admin, { name: 'Lena Lead', email: 'lena@example.com', assignedUserId: DEMO_USERS.receptionist.id });
    const custom = await publishWorkflow(t, admin, 'From the assigned user', notify('{{user.email}}'));
    const before = smtp.messages.length;
    expect((await enrolAndWait(t, admin, custom.id, contact)).steps[0]).toMatchObject({
      status: 'error', reason: `${DEMO_USERS.receptionist.email} is not on a sending domain of this practice: connect and verify ${PRACTICE} under Settings → Email sending. The email was not sent`,
    });

    const team = await connectAndVerify(t, admin, dns, 'team-glow.example');
    const wf = await publishWorkflow(t, admin, 'Alerts', { ...notify('alerts@team-glow.example'), ...again });
    expect((await enrolAndWait(t, admin, wf.id, contact)).steps[0]).toMatchObject({ status: 'completed' });
    const sent = smtp.messages.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.from).toBe('alerts@team-glow.example');
    expect(verifyDkim(sent[0]!.raw, dkimOf(team))).toMatchObject({ ok: true, domain: 'team-glow.example' });

    expect((await t.api(admin, 'DELETE', `/v1/sending-domains/${team.id}`)).status).toBe(204);
    expect((await enrolAndWait(t, admin, wf.id, contact)).steps[0]).toMatchObject({
      status: 'error', reason: 'alerts@team-glow.example is not on a sending domain of this practice: connect and verify team-glow.example under Settings → Email sending. The email was not sent',
    });
    expect(smtp.messages.length).toBe(before + 1);
    // Publishing again names the step.
    expect(errorAt((await t.api(admin, 'POST', `/v1/workflows/${wf.id}/publish`)).body, 'draft.steps[notify].config.fromEmail')).toContain('alerts@team-glow.example is not on a sending domain');
  }, SLOW);

  it('Review Request by email: refused at save while no user is on a verified domain; then From the assigned user, signed; a user off the domains fails alone, nothing sent; the dry run says so', async () => {
    await t.api(admin, 'PATCH', '/v1/reputation/settings', { reviewLink: 'https://g.page/r/glow-med-spa/review', requestsEnabled: true });
    const refused = await t.api(admin, 'POST', '/v1/workflows', { name: 'Reviews', draft: review('email') });
    expect(refused.status).toBe(400);
    expect(errorAt(refused.body, 'draft.steps[review].config.reviewType')).toBe(
      "“Send Review Request”: review requests go From the contact's assigned user, and no user of this practice has an email address on a verified sending domain: verify the domain your team's addresses are on under Settings → Email sending",
    );
    expect((await t.api(admin, 'POST', '/v1/workflows', { name: 'Reviews by text', draft: review('sms') })).status).toBe(201);

    const practice = await connectAndVerify(t, admin, dns, PRACTICE);
    const wf = await publishWorkflow(t, admin, 'Reviews', { ...review('email'), ...again });
    const jordans = await createContact(t, admin, { name: 'Rae Review', email: 'rae@example.com', assignedUserId: DEMO_USERS.receptionist.id });
    const before = smtp.messages.length;
    expect((await enrolAndWait(t, admin, wf.id, jordans)).steps[0]).toMatchObject({ status: 'completed', reason: 'Review request emailed to rae@example.com on behalf of Jordan Lee' });
    const mail = smtp.messages.at(-1)!;
    expect(mail.from).toBe(DEMO_USERS.receptionist.email);
    expect(verifyDkim(mail.raw, dkimOf(practice))).toMatchObject({ ok: true, domain: PRACTICE });

    await t.cloud.db.query(`UPDATE users SET email = 'avery@personal-mail.example' WHERE id = $1`, [DEMO_USERS.receptionist2.id]);
    try {
      const averys = await createContact(t, admin, { name: 'Val Review', email: 'val@example.com', assignedUserId: DEMO_USERS.receptionist2.id });
      expect((await enrolAndWait(t, admin, wf.id, averys)).steps[0]).toMatchObject({
        status: 'error',
        reason: "The review request goes From the contact's assigned user, Avery Patel: avery@personal-mail.example is not on a sending domain of this practice: connect and verify personal-mail.example under Settings → Email sending. The review request was not sent",
      });
      expect(smtp.messages.length).toBe(before + 1);
      // The dry run over the contacts created lately (the demo's too): Avery's would fail, Jordan's would not.
      const dry = await t.api(admin, 'POST', `/v1/workflows/${wf.id}/dry-run`, { draft: { ...review('email'), ...again, trigger: { type: 'contact_created', filters: {} } } });
      expect(dry.body.canPublish).toBe(true);
      const step = dry.body.steps.find((s: { stepId: string }) => s.stepId === 'review');
      expect(step.failures).toContainEqual({ reason: expect.stringMatching(/^From the assigned user, Avery Patel: avery@personal-mail\.example is not on a sending domain/), count: expect.any(Number) });
      expect(step.failures.some((f: { reason: string }) => f.reason.includes('Jordan'))).toBe(false);
    } finally {
      await t.cloud.db.query(`UPDATE users SET email = $2 WHERE id = $1`, [DEMO_USERS.receptionist2.id, DEMO_USERS.receptionist2.email]);
    }
  }, SLOW);

  it('a subdomain of a verified domain sends signed with the parent’s key (d= the parent), and is named with its parent while that is not verified', async () => {
    const contact = await createContact(t, admin, { name: 'Sub Domain', email: 'sub@example.com' });
    const wf = await publishWorkflow(t, admin, 'From a subdomain', email('offers@news.glowmedspa.example'));
    expect((await enrolAndWait(t, admin, wf.id, contact)).steps[0]).toMatchObject({ status: 'completed' });
    const mail = smtp.messages.at(-1)!;
    expect(mail.from).toBe('offers@news.glowmedspa.example');
    const practice = (await t.api(admin, 'GET', '/v1/sending-domains')).body.find((d: SendingDomain) => d.domain === PRACTICE) as SendingDomain;
    expect(verifyDkim(mail.raw, dkimOf(practice))).toMatchObject({ ok: true, domain: PRACTICE });

    await t.api(admin, 'POST', '/v1/sending-domains', { domain: 'pending-parent.example' });
    const refused = await t.api(admin, 'POST', '/v1/workflows', { name: 'x', draft: email('offers@news.pending-parent.example') });
    expect(errorAt(refused.body, 'draft.steps[email].config.fromEmail')).toBe(
      '“Offer email”: offers@news.pending-parent.example is on pending-parent.example, which is not verified yet: publish its DNS records, then choose Verify under Settings → Email sending',
    );
  }, SLOW);

  it('an international From Email: typed in Unicode, stored and sent in xn--, signed; named in Unicode when refused', async () => {
    const domain = await connectAndVerify(t, admin, dns, 'Bücher-Glow.example');
    expect(domain).toMatchObject({ domain: 'xn--bcher-glow-9db.example', display: 'bücher-glow.example' });
    const created = await t.api(admin, 'POST', '/v1/workflows', { name: 'Books', draft: email('Desk@Bücher-Glow.example') });
    expect(created.status).toBe(201);
    expect(created.body.draft.steps[0].config.fromEmail).toBe('Desk@xn--bcher-glow-9db.example');
    const wf = await publishWorkflow(t, admin, 'Books', email('desk@bücher-glow.example'));
    const contact = await createContact(t, admin, { name: 'Ida Idn', email: 'ida@example.com' });
    expect((await enrolAndWait(t, admin, wf.id, contact)).steps[0]).toMatchObject({ status: 'completed' });
    const mail = smtp.messages.at(-1)!;
    // (smtp-server shows the envelope's domain in Unicode; the header is as it was sent.)
    expect(mail.from).toBe('desk@bücher-glow.example');
    expect(mail.text).toMatch(/From: Glow <desk@xn--bcher-glow-9db\.example>/m);
    expect(verifyDkim(mail.raw, dkimOf(domain))).toMatchObject({ ok: true, domain: 'xn--bcher-glow-9db.example' });
    // Send Test Mail takes the Unicode form too.
    expect((await t.api(admin, 'POST', '/v1/workflow-tests/email', { to: 'me@practice.test', fromName: 'Glow', fromEmail: 'desk@bücher-glow.example', subject: 'Preview', body: 'Hi' })).status).toBe(201);
    expect(smtp.messages.at(-1)!.text).toMatch(/From: Glow <desk@xn--bcher-glow-9db\.example>/m);

    const refused = await t.api(admin, 'POST', '/v1/workflows', { name: 'x', draft: email('desk@xn--bcherei-glow-dlb.example') });
    expect(errorAt(refused.body, 'draft.steps[email].config.fromEmail')).toBe(
      '“Offer email”: desk@bücherei-glow.example is not on a sending domain of this practice: connect and verify bücherei-glow.example under Settings → Email sending',
    );
    const [stored] = await t.cloud.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM sending_domains WHERE account_id = $1 AND domain LIKE 'xn--%'`, [DEMO_ACCOUNT_ID]);
    expect(stored!.n).toBe('1');
  }, SLOW);
});
