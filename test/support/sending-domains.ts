import { createHash, createPublicKey, createVerify } from 'node:crypto';
import { SecretBox } from '../../src/cloud/secret-box';
import { dkimKeyContext, issueRecords } from '../../src/cloud/sending-domains/records';
import { newId } from '../../src/cloud/ids';
import { startDnsStandIn, type DnsStandIn } from '../../src/sandbox/dns/index';
import type { SendingDomain } from '../../src/shared/cloud/sending-domains';
import type { Backend, TestCloud } from './cloud-harness';
import { expect } from 'vitest';
import { createContact, oneStepWorkflow, startCommsCloud, startTestSmtp } from './comms';

/** Test support for sending domains: a verified domain for tests about something else, the real flow, and a DKIM check. */

/**
 * Makes `domain` a verified sending domain of the account by writing its row (with a real sealed
 * DKIM key, so its mail is signed): for tests of the email actions, whose subject is not DNS.
 * The verification flow itself is tested through the API (cloud-sending-domains.test.ts).
 */
export async function verifiedSendingDomain(t: TestCloud, accountId: string, domain: string): Promise<void> {
  const issued = await issueRecords();
  const box = SecretBox.fromConfig(t.cloud.config)!;
  const id = newId('sdm');
  await t.cloud.db.query(
    `INSERT INTO sending_domains (id, account_id, domain, verification_token, dkim_selector, dkim_public_key, dkim_private_key_enc, status, verified_at, last_checked_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'verified', now(), now())`,
    [id, accountId, domain, issued.verificationToken, issued.dkimSelector, issued.dkimPublicKey, box.seal(issued.dkimPrivateKeyPem, dkimKeyContext(accountId, id))],
  );
}

/** A cloud whose mail goes to a test SMTP server and whose DNS lookups go to a DNS stand-in (quick to time out): the email steps' tests. */
export interface MailCloud {
  t: TestCloud;
  smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  dns: DnsStandIn;
  stop(): Promise<void>;
}

export async function startMailCloud(backend: Backend): Promise<MailCloud> {
  const smtp = await startTestSmtp();
  const dns = await startDnsStandIn();
  const { t, stop } = await startCommsCloud(backend, { twoFactor: { mailFrom: 'Aesthetix <no-reply@aesthetix.example>', smtp: smtp.config }, dns: { servers: [dns.server], timeoutMs: 400, tries: 1 } });
  return {
    t, smtp, dns,
    async stop() {
      await stop();
      await smtp.stop();
      await dns.stop();
    },
  };
}

/** That cloud, with the demo admin signed in and a contact with an email address to enrol. */
export type MailDesk = MailCloud & { admin: string; contact: string };

export async function startMailDesk(backend: Backend): Promise<MailDesk> {
  const cloud = await startMailCloud(backend);
  const admin = (await cloud.t.login('admin')).accessToken;
  return { ...cloud, admin, contact: await createContact(cloud.t, admin, { name: 'Bea Park', email: 'bea@example.com' }) };
}

/** A workflow of one Send Email step (id `email`) From `fromEmail`. */
export const bookingEmail = (fromEmail: string) =>
  oneStepWorkflow({
    id: 'email', name: 'Booking Confirmation Email', type: 'send_email',
    config: { fromName: 'Glow Med Spa', fromEmail, subject: 'Thanks for booking, {{contact.first_name}}', body: 'Hi {{contact.first_name}},\n\nSee you soon.' },
  });

/** The refusal of a save or publish for that step's From Email (the body must be a validation failure). */
export function fromEmailError(body: { code: string; errors?: { path: string; message: string }[] }): string | undefined {
  expect(body.code).toBe('VALIDATION_FAILED');
  return body.errors?.find((e) => e.path === 'draft.steps[email].config.fromEmail')?.message;
}

/** Publishes a domain's issued records in the DNS stand-in, as the practice would at its DNS provider. */
export function publishRecords(dns: DnsStandIn, domain: Pick<SendingDomain, 'records'>): void {
  for (const record of domain.records) dns.zone.addTxt(record.name, record.value);
}

/** Connects `domain` through the API, publishes its records in the stand-in and verifies it: the whole flow. */
export async function connectAndVerify(t: TestCloud, token: string, dns: DnsStandIn, domain: string): Promise<SendingDomain> {
  const added = await t.api(token, 'POST', '/v1/sending-domains', { domain });
  if (added.status !== 201) throw new Error(`add ${domain}: ${added.status} ${JSON.stringify(added.body)}`);
  publishRecords(dns, added.body as SendingDomain);
  const verified = await t.api(token, 'POST', `/v1/sending-domains/${added.body.id}/verify`);
  if (verified.body?.status !== 'verified') throw new Error(`verify ${domain}: ${verified.status} ${JSON.stringify(verified.body)}`);
  return verified.body as SendingDomain;
}

/** A tag list (`k=v; k=v`) → map; values unfolded. */
function tags(value: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of value.replace(/\r\n[ \t]/g, ' ').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) map.set(part.slice(0, eq).trim(), part.slice(eq + 1).replace(/\s+/g, ''));
  }
  return map;
}

/**
 * Checks a raw message's DKIM-Signature against the public key published in its DKIM record, by
 * RFC 6376 itself (relaxed/relaxed, rsa-sha256), not by nodemailer's code: what a receiving server
 * would conclude. Returns the signing domain and selector, or why it does not verify.
 */
export function verifyDkim(raw: string, publishedRecord: string): { ok: true; domain: string; selector: string } | { ok: false; reason: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headerBlock = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const headers: { name: string; value: string }[] = [];
  for (const line of headerBlock.split('\r\n')) {
    if (/^[ \t]/.test(line) && headers.length > 0) headers.at(-1)!.value += `\r\n${line}`;
    else {
      const colon = line.indexOf(':');
      headers.push({ name: line.slice(0, colon), value: line.slice(colon + 1) });
    }
  }
  const signature = headers.find((h) => h.name.toLowerCase() === 'dkim-signature');
  if (!signature) return { ok: false, reason: 'no DKIM-Signature header' };
  const sig = tags(signature.value);
  if (sig.get('a') !== 'rsa-sha256' || sig.get('c') !== 'relaxed/relaxed') return { ok: false, reason: `unexpected a=${sig.get('a')} c=${sig.get('c')}` };

  // Body, relaxed (3.4.4): runs of WSP → one SP, none at line ends, no empty lines at the end, CRLF-terminated.
  const lines = body.split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  const canonicalBody = lines.length > 0 ? `${lines.join('\r\n')}\r\n` : '';
  if (createHash('sha256').update(canonicalBody).digest('base64') !== sig.get('bh')) return { ok: false, reason: 'the body hash (bh=) does not match the body' };

  // Headers, relaxed (3.4.2), in h= order, each instance used once from the bottom.
  const relaxed = (name: string, value: string) => `${name.toLowerCase()}:${value.replace(/\r\n/g, '').replace(/[ \t]+/g, ' ').trim()}`;
  const unused = [...headers];
  let signed = '';
  for (const name of (sig.get('h') ?? '').split(':')) {
    const index = unused.map((h) => h.name.toLowerCase()).lastIndexOf(name.toLowerCase());
    if (index === -1) continue;
    signed += `${relaxed(name, unused[index]!.value)}\r\n`;
    unused.splice(index, 1);
  }
  signed += relaxed('dkim-signature', signature.value.replace(/(^|;)(\s*b\s*=)[^;]*/, '$1$2'));
  const key = createPublicKey({ key: Buffer.from(tags(publishedRecord).get('p') ?? '', 'base64'), format: 'der', type: 'spki' });
  const verifier = createVerify('RSA-SHA256');
  verifier.update(signed);
  if (!verifier.verify(key, Buffer.from(sig.get('b') ?? '', 'base64'))) return { ok: false, reason: 'the signature (b=) does not verify with the published key' };
  return { ok: true, domain: sig.get('d') ?? '', selector: sig.get('s') ?? '' };
}
