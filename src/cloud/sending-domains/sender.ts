import { fromEmailProblem, SENDING_DOMAINS_PLACE, signingDomain, type KnownSendingDomain } from '../../shared/cloud/sending-domains';
import type { Queryable } from '../db';
import type { SecretBox } from '../secret-box';
import { dkimKeyContext } from './records';
import { displayDomain } from './rows';

/**
 * What sending mail needs of a practice's sending domains: whether a From Email may be used (every
 * step that sends email, and Send Test Mail; the same sentence as at save, `fromEmailProblem`), and
 * the DKIM key that signs it (every email the cloud sends From a practice's address).
 */

/** The practice's live domains with their status and how people read them: what a save checks each step against. */
export async function knownSendingDomains(q: Queryable, accountId: string): Promise<KnownSendingDomain[]> {
  const rows = await q.query<{ domain: string; status: KnownSendingDomain['status']; failure: string | null }>(
    `SELECT domain, status, failure FROM sending_domains WHERE account_id = $1 AND removed_at IS NULL`,
    [accountId],
  );
  return rows.map((r) => ({ domain: r.domain, display: displayDomain(r.domain), status: r.status, failure: r.failure }));
}

/** Why mail cannot go From this address for the practice now (the sentence a save says), or null when it can. */
export async function senderProblem(q: Queryable, accountId: string, fromEmail: string): Promise<string | null> {
  return fromEmailProblem(fromEmail, await knownSendingDomains(q, accountId), displayDomain);
}

/** nodemailer's `dkim` option for one message. */
export interface DkimSigning {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/**
 * How mail From `fromEmail` is signed — with its verified domain's DKIM key, or for a subdomain with
 * its nearest verified parent's (d=example.com on mail From news.example.com passes DMARC's relaxed
 * alignment) — or why it is not sent at all: no verified domain of the practice covers the address
 * (the sentence a save says), or the key cannot be opened (no CLOUD_SECRETS_KEY, or another one).
 * Every email the cloud sends From a practice's address comes through here: never unsigned.
 */
export async function dkimSigning(q: Queryable, accountId: string, fromEmail: string, box: SecretBox | null): Promise<{ ok: true; dkim: DkimSigning } | { ok: false; reason: string }> {
  const domains = await knownSendingDomains(q, accountId);
  const signer = signingDomain(fromEmail, domains);
  if (!signer) return { ok: false, reason: fromEmailProblem(fromEmail, domains, displayDomain) ?? `${fromEmail} is not on a verified sending domain` };
  const rows = await q.query<{ id: string; dkim_selector: string; dkim_private_key_enc: string }>(
    `SELECT id, dkim_selector, dkim_private_key_enc FROM sending_domains WHERE account_id = $1 AND domain = $2 AND status = 'verified' AND removed_at IS NULL`,
    [accountId, signer.domain],
  );
  const row = rows[0];
  const name = signer.display ?? signer.domain;
  // Removed or failed between the two reads.
  if (!row) return { ok: false, reason: `${name} is no longer a verified sending domain: verify it again under ${SENDING_DOMAINS_PLACE}` };
  if (!box) return { ok: false, reason: `The DKIM key of ${name} cannot be opened: this server has no CLOUD_SECRETS_KEY` };
  try {
    return { ok: true, dkim: { domainName: signer.domain, keySelector: row.dkim_selector, privateKey: box.open(row.dkim_private_key_enc, dkimKeyContext(accountId, row.id)) } };
  } catch {
    return { ok: false, reason: `The DKIM key of ${name} cannot be opened with this server's CLOUD_SECRETS_KEY (was it changed?): remove the domain and connect it again under ${SENDING_DOMAINS_PLACE}` };
  }
}
