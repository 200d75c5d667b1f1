/**
 * Strict DMARC DKIM alignment (adkim=s), on both backends, through the real verification against the
 * DNS stand-in: Verify and the periodic re-check read the domain's DMARC record (`_dmarc.<domain>`)
 * and keep whether it asks for strict alignment. While it does, a From address on a subdomain — which
 * would be signed with the parent's key (d=<domain>) and so fail DMARC at the receiver — is refused
 * at save, at publish, by Send Test Mail and at run time, naming adkim=s and what to do; an address
 * at exactly the domain, or on a subdomain verified itself, sends. A relaxed record, or none: the
 * subdomain sends, signed with the parent's key.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID } from '../../src/cloud/index';
import { recheckDueDomains } from '../../src/cloud/sending-domains/recheck-job';
import type { SendingDomain } from '../../src/shared/cloud/sending-domains';
import { backends, stopTestPostgres } from '../support/cloud-harness';
import { enrolAndWait, publishWorkflow } from '../support/automation';
import { bookingEmail, connectAndVerify, fromEmailError, startMailDesk, verifyDkim, type MailDesk } from '../support/sending-domains';

afterAll(stopTestPostgres);

const SLOW = 300_000;
const STRICT = 'v=DMARC1; p=reject; adkim=s; rua=mailto:dmarc@glow.example';

const strictProblem = (address: string, domain: string) =>
  `${address} is on a subdomain of ${domain}, whose DMARC record asks for strict DKIM alignment (adkim=s): only addresses at exactly ${domain} can send. ` +
  `Connect and verify ${address.slice(address.indexOf('@') + 1)} itself under Settings → Email sending so its mail is signed with its own key, or relax ${domain}'s DMARC record (adkim=r) and choose Verify`;

describe.each(backends)('strict DMARC DKIM alignment (adkim=s), on %s', (backend) => {
  let m: MailDesk;
  beforeAll(async () => {
    m = await startMailDesk(backend);
  }, SLOW);
  afterAll(() => m?.stop());

  const verify = async (id: string): Promise<SendingDomain> => (await m.t.api(m.admin, 'POST', `/v1/sending-domains/${id}/verify`)).body as SendingDomain;
  const save = (name: string, fromEmail: string) => m.t.api(m.admin, 'POST', '/v1/workflows', { name, draft: bookingEmail(fromEmail) });
  const testMail = (fromEmail: string) => m.t.api(m.admin, 'POST', '/v1/workflow-tests/email', { to: 'me@practice.test', fromName: 'Glow', fromEmail, subject: 'Preview', body: 'Hi' });

  it('a strict record: the subdomain is refused at save and by Send Test Mail, naming adkim=s; the exact domain saves and sends, signed with its key', async () => {
    m.dns.zone.setTxt('_dmarc.glow-strict.example', ['google-site-verification=x', `  V=DMARC1 ;P=Reject;  ADKIM = S `]);
    const domain = await connectAndVerify(m.t, m.admin, m.dns, 'glow-strict.example');
    expect(domain.strictAlignment).toBe(true);
    const listed = (await m.t.api(m.admin, 'GET', '/v1/sending-domains')).body as SendingDomain[];
    expect(listed.find((d) => d.id === domain.id)?.strictAlignment).toBe(true);

    const refused = await save('Strict subdomain', 'frontdesk@mail.glow-strict.example');
    expect(refused.status).toBe(400);
    expect(fromEmailError(refused.body)).toBe(`“Booking Confirmation Email”: ${strictProblem('frontdesk@mail.glow-strict.example', 'glow-strict.example')}`);

    const before = m.smtp.messages.length;
    const test = await testMail('frontdesk@mail.glow-strict.example');
    expect(test.status).toBe(400);
    expect(test.body.detail).toBe(`${strictProblem('frontdesk@mail.glow-strict.example', 'glow-strict.example')}.`);
    expect(m.smtp.messages.length).toBe(before);

    expect((await save('Strict exact', 'frontdesk@glow-strict.example')).status).toBe(201);
    expect((await testMail('frontdesk@glow-strict.example')).status).toBe(201);
    expect(verifyDkim(m.smtp.messages.at(-1)!.raw, m.dns.zone.txt(domain.records[1]!.name)![0]!)).toMatchObject({ ok: true, domain: 'glow-strict.example' });
  }, SLOW);

  it('at run time: a workflow published while relaxed errs once the re-check reads adkim=s, and sends nothing; relaxed again, it sends', async () => {
    m.dns.zone.setTxt('_dmarc.glow-turns.example', ['v=DMARC1; p=quarantine; adkim=r']);
    const domain = await connectAndVerify(m.t, m.admin, m.dns, 'glow-turns.example');
    expect(domain.strictAlignment).toBe(false);
    const wf = await publishWorkflow(m.t, m.admin, 'Turns strict', { ...bookingEmail('frontdesk@mail.glow-turns.example'), settings: { stopOnResponse: false, allowReentry: true } });
    const sent = await enrolAndWait(m.t, m.admin, wf.id, m.contact);
    expect(sent.steps[0]).toMatchObject({ status: 'completed' });
    expect(verifyDkim(m.smtp.messages.at(-1)!.raw, m.dns.zone.txt(domain.records[1]!.name)![0]!)).toMatchObject({ ok: true, domain: 'glow-turns.example' });

    // The practice makes its DMARC strict; the periodic re-check (not a Verify) reads it.
    m.dns.zone.setTxt('_dmarc.glow-turns.example', [STRICT]);
    await m.t.cloud.db.query(`UPDATE sending_domains SET last_checked_at = now() - interval '13 hours' WHERE id = $1`, [domain.id]);
    await m.t.cloud.db.query(`UPDATE sending_domains SET last_checked_at = now() WHERE account_id = $1 AND id <> $2`, [DEMO_ACCOUNT_ID, domain.id]);
    expect(await recheckDueDomains({ db: m.t.cloud.db, config: m.t.cloud.config, log: pino({ level: 'silent' }) })).toEqual({ checked: 1, failed: 0 });
    const [row] = await m.t.cloud.db.query<{ dmarc_strict: boolean; status: string }>(`SELECT dmarc_strict, status FROM sending_domains WHERE id = $1`, [domain.id]);
    expect(row).toEqual({ dmarc_strict: true, status: 'verified' });
    const audit = await m.t.cloud.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [domain.id]);
    expect(audit.map((a) => a.action)).toContain('sending_domain.dmarc_alignment');

    const count = m.smtp.messages.length;
    const refused = await enrolAndWait(m.t, m.admin, wf.id, m.contact);
    expect(refused.steps[0]).toMatchObject({ status: 'error', reason: `${strictProblem('frontdesk@mail.glow-turns.example', 'glow-turns.example')}. The email was not sent` });
    expect(m.smtp.messages.length).toBe(count);
    const publish = await m.t.api(m.admin, 'POST', `/v1/workflows/${wf.id}/publish`);
    expect(fromEmailError(publish.body)).toContain('adkim=s');

    // Relaxed again (the record removed: DMARC's default), the same workflow sends.
    m.dns.zone.remove('_dmarc.glow-turns.example');
    expect((await verify(domain.id)).strictAlignment).toBe(false);
    expect((await enrolAndWait(m.t, m.admin, wf.id, m.contact)).steps[0]).toMatchObject({ status: 'completed' });
  }, SLOW);

  it('a relaxed record or none: the subdomain saves and is signed with the parent’s key; a subdomain verified itself sends under a strict parent', async () => {
    m.dns.zone.setTxt('_dmarc.glow-relaxed.example', ['v=DMARC1; p=reject']);
    const relaxed = await connectAndVerify(m.t, m.admin, m.dns, 'glow-relaxed.example');
    expect(relaxed.strictAlignment).toBe(false);
    expect((await save('Relaxed subdomain', 'desk@news.glow-relaxed.example')).status).toBe(201);
    const none = await connectAndVerify(m.t, m.admin, m.dns, 'glow-none.example');
    expect(none.strictAlignment).toBe(false);
    expect((await save('No DMARC subdomain', 'desk@news.glow-none.example')).status).toBe(201);
    expect((await testMail('desk@news.glow-none.example')).status).toBe(201);
    expect(verifyDkim(m.smtp.messages.at(-1)!.raw, m.dns.zone.txt(none.records[1]!.name)![0]!)).toMatchObject({ ok: true, domain: 'glow-none.example' });

    // Strict parent, the subdomain connected and verified itself: signed with its own key (d= the From domain).
    m.dns.zone.setTxt('_dmarc.glow-both.example', [STRICT]);
    const parent = await connectAndVerify(m.t, m.admin, m.dns, 'glow-both.example');
    expect(parent.strictAlignment).toBe(true);
    expect(fromEmailError((await save('Before the subdomain', 'desk@news.glow-both.example')).body)).toContain('adkim=s');
    // The subdomain has no record of its own: its organisational domain's (strict) applies to it, and it is its own d=.
    const sub = await connectAndVerify(m.t, m.admin, m.dns, 'news.glow-both.example');
    expect(sub.strictAlignment).toBe(true);
    expect((await save('Own key', 'desk@news.glow-both.example')).status).toBe(201);
    expect((await testMail('desk@news.glow-both.example')).status).toBe(201);
    expect(verifyDkim(m.smtp.messages.at(-1)!.raw, m.dns.zone.txt(sub.records[1]!.name)![0]!)).toMatchObject({ ok: true, domain: 'news.glow-both.example' });
  }, SLOW);

  it('a DMARC lookup DNS does not answer keeps the last reading; several DMARC records, or one that does not parse, are relaxed', async () => {
    m.dns.zone.setTxt('_dmarc.glow-flaky.example', [STRICT]);
    const domain = await connectAndVerify(m.t, m.admin, m.dns, 'glow-flaky.example');
    expect(domain.strictAlignment).toBe(true);
    m.dns.zone.silence('_dmarc.glow-flaky.example');
    expect(await verify(domain.id)).toMatchObject({ status: 'verified', strictAlignment: true });
    m.dns.zone.silence('_dmarc.glow-flaky.example', false);
    m.dns.zone.setTxt('_dmarc.glow-flaky.example', [STRICT, 'v=DMARC1; p=none']);
    expect((await verify(domain.id)).strictAlignment).toBe(false);
    m.dns.zone.setTxt('_dmarc.glow-flaky.example', ['v=DMARC1; adkim=s']);
    expect((await verify(domain.id)).strictAlignment).toBe(false);
  }, SLOW);
});
