/**
 * Inbound email on both backends: a workflow's Send Email goes out with a recorded Message-ID; the
 * practice's mail provider posts the contact's reply (raw RFC 822, signed) to the practice's
 * webhook; the reply counts Replied on the step (with its recipient), ends the run (Stop on
 * Response), counts once however often it is posted, and can never reach another practice's send.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postDemoReply } from '../../src/main/embedded/demo-reply';
import { DEMO_ACCOUNT_ID } from '../../src/cloud/index';
import { signInboundEmail } from '../../src/cloud/messaging/inbound-email-signature';
import { inboundEmailSettingsSchema, metricRecipientsSchema } from '../../src/shared/cloud';
import { backends, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { enrolAndWait, publishWorkflow, runsOf, waitFor } from '../support/automation';
import { createContact, otherPracticeAdmin, startCommsCloud, startTestSmtp, stepMetrics } from '../support/comms';
import { verifiedSendingDomain } from '../support/sending-domains';

afterAll(stopTestPostgres);

const SLOW = 300_000;

/** A reply as a mail client writes it. */
const reply = (h: { messageId?: string; inReplyTo?: string; references?: string; from?: string }): Buffer =>
  Buffer.from(
    [
      `From: Bea Park <${h.from ?? 'bea@example.com'}>`,
      'To: hello@glowmedspa.example',
      'Subject: Re: Thanks for booking with us',
      ...(h.messageId ? [`Message-ID: ${h.messageId}`] : []),
      ...(h.inReplyTo ? [`In-Reply-To: ${h.inReplyTo}`] : []),
      ...(h.references ? [`References: ${h.references}`] : []),
      'Date: Fri, 20 Nov 2026 10:00:00 +0000',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Can I move it to Thursday? SECRET-BODY-TEXT',
      '',
    ].join('\r\n'),
  );

describe.each(backends)('inbound email (replies) on %s', (backend) => {
  let t: TestCloud;
  let stop: () => Promise<void>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let admin: string;
  let counter = 0;
  const lines: string[] = [];
  const logStream = { write: (line: string) => void lines.push(line) };
  /** Each practice's secret, as its admins read it. */
  const secrets = new Map<string, string>();
  const secretOf = (accountId: string): string => secrets.get(accountId)!;
  const readSecret = async (accountId: string, token: string): Promise<void> => {
    secrets.set(accountId, inboundEmailSettingsSchema.parse((await t.api(token, 'GET', '/v1/email/inbound')).body).secret);
  };

  const post = (accountId: string, body: Buffer, signature: string | null, contentType = 'message/rfc822') =>
    fetch(`${t.cloud.url}/hooks/email/inbound/${accountId}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(signature ? { 'x-aesthetix-signature': signature } : {}) },
      body,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
  const signedPost = (accountId: string, body: Buffer) => post(accountId, body, signInboundEmail(secretOf(accountId), body));

  /** Send Email, then a day's wait, with Stop on Response: the run waits after the email is sent. */
  const sendAndWait = async (name: string, email: string) => {
    const contact = await createContact(t, admin, { name, email });
    const wf = await publishWorkflow(t, admin, `Booking ${++counter}`, {
      trigger: { type: 'manual', filters: {} },
      settings: { allowReentry: true, stopOnResponse: true },
      steps: [
        { id: 'email', name: 'Booking email', type: 'send_email', config: { fromName: 'Glow', fromEmail: 'hello@glowmedspa.example', subject: 'Thanks for booking with us', body: '<p>Hi</p>' } },
        { id: 'later', name: 'Wait a day', type: 'wait', config: { mode: 'duration', amount: 1, unit: 'days' } },
      ],
    } as never);
    const run = await enrolAndWait(t, admin, wf.id, contact, { untilWaiting: true });
    expect(run.status).toBe('waiting');
    const sent = smtp.messages.find((m) => m.rcptTo.includes(email))!;
    const messageId = /^Message-ID: (<[^>]+>)$/im.exec(sent.text)![1]!;
    return { contact, workflowId: wf.id, runId: run.id, messageId };
  };

  beforeAll(async () => {
    smtp = await startTestSmtp();
    ({ t, stop } = await startCommsCloud(backend, { logLevel: 'trace', twoFactor: { mailFrom: 'Aesthetix <no-reply@aesthetix.example>', smtp: smtp.config } }, { automation: {}, logStream }));
    // Its Send Email steps send From this domain: a verified sending domain of the practice.
    await verifiedSendingDomain(t, DEMO_ACCOUNT_ID, 'glowmedspa.example');
    admin = (await t.login('admin')).accessToken;
    await readSecret(DEMO_ACCOUNT_ID, admin);
  }, SLOW);
  afterAll(async () => {
    await stop?.();
    await smtp?.stop();
  });

  it('the sent email carries the Message-ID recorded for it; a signed reply naming it (In-Reply-To) counts Replied with its recipient and time, and ends the run (Stop on Response)', async () => {
    const { workflowId, runId, messageId, contact } = await sendAndWait('Bea Park', 'bea@example.com');
    expect(await t.cloud.db.query(`SELECT email_message_id FROM outbound_messages WHERE run_id = $1`, [runId])).toEqual([{ email_message_id: messageId }]);

    const res = await signedPost(DEMO_ACCOUNT_ID, reply({ messageId: '<reply-1@mail.example>', inReplyTo: messageId, references: messageId }));
    expect(res).toEqual({ status: 200, body: { received: true, matched: true, duplicate: false } });
    expect(await stepMetrics(t, admin, workflowId, 'email')).toMatchObject({ accepted: 1, delivered: 1, replied: 1 });
    const details = await t.api(admin, 'GET', `/v1/workflows/${workflowId}/statistics/email/replied`);
    expect(details.status).toBe(200);
    const page = metricRecipientsSchema.parse(details.body);
    expect(page.total).toBe(1);
    expect(page.recipients[0]).toMatchObject({ recipient: 'bea@example.com', runId, contactId: contact });
    expect(Date.now() - Date.parse(page.recipients[0]!.at)).toBeLessThan(60_000);

    const stopped = await waitFor('the run to stop', async () => (await runsOf(t, admin, workflowId)).find((r) => r.id === runId && r.status === 'stopped'));
    expect(stopped.reason).toBe('The contact replied by email (Stop on Response)');
  }, SLOW);

  it('a reply naming it only in References (an older message of the thread first) is matched too; a provider retry counts once', async () => {
    const { workflowId, runId, messageId } = await sendAndWait('Cal Reyes', 'cal@example.com');
    const message = reply({ from: 'cal@example.com', messageId: '<reply-2@mail.example>', references: `<older@mail.example> ${messageId}` });
    expect((await signedPost(DEMO_ACCOUNT_ID, message)).body).toEqual({ received: true, matched: true, duplicate: false });
    expect((await signedPost(DEMO_ACCOUNT_ID, message)).body).toEqual({ received: true, matched: true, duplicate: true });
    expect(await stepMetrics(t, admin, workflowId, 'email')).toMatchObject({ replied: 1 });
    expect(await t.cloud.db.query(`SELECT count(*)::int AS n FROM inbound_emails WHERE message_key = '<reply-2@mail.example>'`)).toEqual([{ n: 1 }]);
    await waitFor('the run to stop', async () => (await runsOf(t, admin, workflowId)).find((r) => r.id === runId && r.status === 'stopped'));
  }, SLOW);

  it('mail that names none of the practice’s sent emails is recorded and ignored — even from the contact’s own address (never matched by address)', async () => {
    const { workflowId, runId } = await sendAndWait('Dee Fox', 'dee@example.com');
    const unmatched = [
      reply({ from: 'dee@example.com', messageId: '<fresh@mail.example>' }),
      reply({ from: 'dee@example.com', messageId: '<other@mail.example>', inReplyTo: '<msg_unknown@glowmedspa.example>' }),
      reply({ from: 'dee@example.com' }), // no Message-ID at all: still one record per message
    ];
    for (const body of unmatched) expect((await signedPost(DEMO_ACCOUNT_ID, body)).body).toEqual({ received: true, matched: false, duplicate: false });
    expect((await signedPost(DEMO_ACCOUNT_ID, unmatched[2]!)).body).toEqual({ received: true, matched: false, duplicate: true });
    expect(await stepMetrics(t, admin, workflowId, 'email')).not.toHaveProperty('replied');
    expect((await runsOf(t, admin, workflowId)).find((r) => r.id === runId)?.status).toBe('waiting');
  }, SLOW);

  it('refuses a missing, wrong, stale or other-practice signature and a body that is not raw mail, counting nothing and logging no body', async () => {
    const { workflowId, messageId } = await sendAndWait('Eli Moss', 'eli@example.com');
    const body = reply({ from: 'eli@example.com', messageId: '<reply-5@mail.example>', inReplyTo: messageId });
    const secret = secretOf(DEMO_ACCOUNT_ID);
    const other = await otherPracticeAdmin(t);
    await readSecret(other.accountId, other.token);
    expect((await post(DEMO_ACCOUNT_ID, body, null)).status).toBe(403);
    expect((await post(DEMO_ACCOUNT_ID, body, signInboundEmail('not-the-secret', body))).status).toBe(403);
    expect((await post(DEMO_ACCOUNT_ID, body, signInboundEmail(secret, body, Date.now() - 10 * 60_000))).status).toBe(403);
    expect((await post(DEMO_ACCOUNT_ID, Buffer.concat([body, Buffer.from('tampered')]), signInboundEmail(secret, body))).status).toBe(403);
    expect((await post(DEMO_ACCOUNT_ID, body, signInboundEmail(secretOf(other.accountId), body))).status).toBe(403);
    const json = Buffer.from(JSON.stringify({ text: 'hi' }));
    expect((await post(DEMO_ACCOUNT_ID, json, signInboundEmail(secret, json), 'application/json')).status).toBe(415);
    expect(await stepMetrics(t, admin, workflowId, 'email')).not.toHaveProperty('replied');
    expect(await t.cloud.db.query(`SELECT 1 FROM inbound_emails WHERE message_key = '<reply-5@mail.example>'`)).toEqual([]);
    expect((await signedPost(DEMO_ACCOUNT_ID, body)).body).toMatchObject({ matched: true });
    const log = lines.join('');
    expect(log).toContain('inbound email');
    expect(log).not.toContain('SECRET-BODY-TEXT');
    expect(log).not.toContain(secret);
  }, SLOW);

  it('the Demo inbox’s Reply: the caught workflow email answered as the contact goes through the same signed webhook, counts Replied and stops the run', async () => {
    const { workflowId, runId, messageId } = await sendAndWait('Gus Hale', 'gus@example.com');
    const caught = mkdtempSync(join(tmpdir(), 'demo-mail-'));
    writeFileSync(join(caught, '0001-1700000000000.eml'), smtp.messages.find((m) => m.rcptTo.includes('gus@example.com'))!.raw);
    const door = await t.cloud.inboundEmailInProcess(DEMO_ACCOUNT_ID);
    expect(door.url).toBe(`${t.cloud.url}/hooks/email/inbound/${DEMO_ACCOUNT_ID}`);
    expect(await postDemoReply(caught, door, { id: 'email:0001-1700000000000.eml', text: 'See you Thursday' })).toEqual({ matched: true, duplicate: false });
    expect(await stepMetrics(t, admin, workflowId, 'email')).toMatchObject({ replied: 1 });
    await waitFor('the run to stop', async () => (await runsOf(t, admin, workflowId)).find((r) => r.id === runId && r.status === 'stopped'));
    const recorded = await t.cloud.db.query<{ from_address: string }>(`SELECT i.from_address FROM inbound_emails i JOIN outbound_messages o ON o.id = i.outbound_message_id WHERE o.email_message_id = $1`, [messageId]);
    expect(recorded).toEqual([{ from_address: 'gus@example.com' }]);
    // A path outside the catcher's files is refused before anything is read.
    await expect(postDemoReply(caught, door, { id: 'email:../../etc/passwd', text: 'x' })).rejects.toThrow();
  }, SLOW);

  it('tenant isolation: another practice’s signed reply naming this practice’s Message-ID matches nothing of it; its secret and URL are its own', async () => {
    const { workflowId, runId, messageId } = await sendAndWait('Fay Lin', 'fay@example.com');
    const other = await otherPracticeAdmin(t);
    await readSecret(other.accountId, other.token);
    const body = reply({ from: 'fay@example.com', messageId: '<reply-6@mail.example>', inReplyTo: messageId });
    expect((await signedPost(other.accountId, body)).body).toEqual({ received: true, matched: false, duplicate: false });
    // B's secret does not sign for A's URL.
    expect((await post(DEMO_ACCOUNT_ID, body, signInboundEmail(secretOf(other.accountId), body))).status).toBe(403);
    expect(await stepMetrics(t, admin, workflowId, 'email')).not.toHaveProperty('replied');
    expect((await runsOf(t, admin, workflowId)).find((r) => r.id === runId)?.status).toBe('waiting');
    expect(await t.cloud.db.query(`SELECT account_id, outbound_message_id FROM inbound_emails WHERE message_key = '<reply-6@mail.example>'`)).toEqual([
      { account_id: other.accountId, outbound_message_id: null },
    ]);

    // Each practice's admins see their own URL and secret; users do not.
    const mine = inboundEmailSettingsSchema.parse((await t.api(admin, 'GET', '/v1/email/inbound')).body);
    const theirs = inboundEmailSettingsSchema.parse((await t.api(other.token, 'GET', '/v1/email/inbound')).body);
    expect(mine.url).toBe(`${t.cloud.publicUrl}/hooks/email/inbound/${DEMO_ACCOUNT_ID}`);
    expect(theirs.url).toBe(`${t.cloud.publicUrl}/hooks/email/inbound/${other.accountId}`);
    expect(mine.secret).toBe(secretOf(DEMO_ACCOUNT_ID));
    expect(mine.secret).not.toBe(theirs.secret);
    expect((await t.api((await t.login('receptionist')).accessToken, 'GET', '/v1/email/inbound')).status).toBe(403);
  }, SLOW);
});
