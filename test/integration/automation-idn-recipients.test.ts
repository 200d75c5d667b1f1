/**
 * International (IDN) contact addresses, on both backends: a receptionist saves anna@bücher.de on a
 * contact through the REST API and through a sync push (the desktop's outbox); it is kept as typed
 * (search finds what was typed), and a workflow's Send Email to the contact goes out, Cc included,
 * with the ASCII xn-- domain and is recorded in the outbound ledger in that one form. An address
 * with international letters before the @ is refused with the reason (no SMTPUTF8).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID } from '../../src/cloud/index';
import { pushResponseSchema, type Mutation } from '../../src/shared/cloud/sync';
import { backends, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { enrolAndWait, publishWorkflow } from '../support/automation';
import { oneStepWorkflow, startCommsCloud, startTestSmtp } from '../support/comms';
import { verifiedSendingDomain } from '../support/sending-domains';

afterAll(stopTestPostgres);

const SLOW = 300_000;

describe.each(backends)('a contact email with an international domain on %s', (backend) => {
  let t: TestCloud;
  let stop: () => Promise<void>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let admin: string;
  let receptionist: string;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    ({ t, stop } = await startCommsCloud(backend, { twoFactor: { mailFrom: 'Aesthetix <no-reply@aesthetix.example>', smtp: smtp.config } }));
    await verifiedSendingDomain(t, DEMO_ACCOUNT_ID, 'glowmedspa.example');
    admin = (await t.login('admin')).accessToken;
    receptionist = (await t.login('receptionist')).accessToken;
  }, SLOW);
  afterAll(async () => {
    await stop?.();
    await smtp?.stop();
  });

  const push = async (mutations: Mutation[]) => {
    const res = await t.api(receptionist, 'POST', '/v1/sync/push', { mutations });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return pushResponseSchema.parse(res.body).results;
  };

  it('is saved as typed through the API and a sync push, found by what was typed; a non-ASCII local part is refused with the reason', async () => {
    const created = await t.api(receptionist, 'POST', '/v1/contacts', { name: 'Anna Buch', email: ' anna@bücher.de ' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.email).toBe('anna@bücher.de');
    const found = await t.api(receptionist, 'GET', `/v1/contacts?search=${encodeURIComponent('bücher')}`);
    expect(found.body.map((c: { id: string }) => c.id)).toContain(created.body.id);

    const refused = await t.api(receptionist, 'PATCH', `/v1/contacts/${created.body.id}`, { email: 'jürgen@bücher.de' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/only the part after the @ may have international letters \(mail is sent without SMTPUTF8\)/);
    expect((await t.api(receptionist, 'PATCH', `/v1/contacts/${created.body.id}`, { email: 'anna' })).status).toBe(400);

    const [made] = await push([{ type: 'contact.create', idempotencyKey: 'idn-create-1', payload: { name: 'Ben Buch', email: 'ben@bücher.de' } }]);
    expect(made).toMatchObject({ status: 'applied' });
    const benId = made!.status === 'applied' ? made!.entityId : '';
    const [changed] = await push([{ type: 'contact.update', idempotencyKey: 'idn-update-1', payload: { contactId: benId, email: 'benno@BÜCHER.de' } }]);
    expect(changed).toMatchObject({ status: 'applied' });
    expect((await t.api(receptionist, 'GET', `/v1/contacts/${benId}`)).body.email).toBe('benno@BÜCHER.de');
    // A push with an address that cannot be mailed is refused as a whole, with the reason.
    const bad = await t.api(receptionist, 'POST', '/v1/sync/push', { mutations: [{ type: 'contact.update', idempotencyKey: 'idn-update-2', payload: { contactId: benId, email: 'jürgen@bücher.de' } }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/SMTPUTF8/);
  }, SLOW);

  it('a workflow email to the contact goes out with the xn-- domain, To and Cc, recorded in the ledger in that form', async () => {
    const contact = await t.api(receptionist, 'POST', '/v1/contacts', { name: 'Clara Buch', email: 'clara@bücher.de' });
    expect(contact.status).toBe(201);
    const wf = await publishWorkflow(t, admin, 'IDN email', oneStepWorkflow({
      id: 'email', name: 'Hello email', type: 'send_email',
      config: { fromName: 'Glow', fromEmail: 'hello@glowmedspa.example', subject: 'Hello', body: '<p>Hi</p>', cc: ['desk@bücher.de, desk@xn--bcher-kva.de, jürgen@bücher.de'] },
    }));
    const before = smtp.messages.length;
    const run = await enrolAndWait(t, admin, wf.id, contact.body.id);
    expect(run.steps[0]).toMatchObject({ status: 'completed', reason: expect.stringContaining('Email sent to clara@bücher.de') });
    expect(run.steps[0]!.reason).toContain('Skipped invalid Cc/Bcc: jürgen@bücher.de');
    const sent = smtp.messages.slice(before);
    expect(sent).toHaveLength(2); // the contact's (tracked) message and the Cc copy
    for (const mail of sent) {
      // (smtp-server shows the envelope's domains in Unicode; the headers are as they were sent.)
      expect(mail.text).toMatch(/^To: clara@xn--bcher-kva\.de$/m);
      expect(mail.text).toMatch(/^Cc: desk@xn--bcher-kva\.de$/m);
      expect(mail.text).not.toMatch(/bücher/);
    }
    const rows = await t.cloud.db.query<{ to_address: string }>(`SELECT to_address FROM outbound_messages WHERE run_id = $1`, [run.id]);
    expect(rows.map((r) => r.to_address)).toEqual(['clara@xn--bcher-kva.de']);
    const metrics = await t.cloud.db.query<{ subject: string }>(`SELECT DISTINCT subject FROM step_metrics WHERE run_id = $1`, [run.id]);
    expect(metrics.map((m) => m.subject)).toEqual(['clara@xn--bcher-kva.de']);
    // The statistic's recipient details show the address as people read it.
    const delivered = await t.api(admin, 'GET', `/v1/workflows/${wf.id}/statistics/email/delivered`);
    expect(delivered.body.recipients.map((r: { recipient: string }) => r.recipient)).toEqual(['clara@bücher.de']);
  }, SLOW);
});
