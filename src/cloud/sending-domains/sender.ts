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
  return (await liveDomains(q, accountId)).map(({ key: _key, ...known }) => known);
}

/** The live domains, each with its DKIM key as stored (sealed): one read serves the check and the signing. */
async function liveDomains(q: Queryable, accountId: string): Promise<(KnownSendingDomain & { key: { id: string; selector: string; sealed: string } })[]> {
  const rows = await q.query<{ id: string; domain: string; status: KnownSendingDomain['status']; failure: string | null; dmarc_strict: boolean; dkim_selector: string; dkim_private_key_enc: string }>(
    `SELECT id, domain, status, failure, dmarc_strict, dkim_selector, dkim_private_key_enc FROM sending_domains WHERE account_id = $1 AND removed_at IS NULL`,
    [accountId],
  );
  return rows.map((r) => ({
    domain: r.domain, display: displayDomain(r.domain), status: r.status, failure: r.failure, strictAlignment: r.dmarc_strict === true,
    key: { id: r.id, selector: r.dkim_selector, sealed: r.dkim_private_key_enc },
  }));
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
 * alignment; not when that parent's DMARC asks for strict alignment, adkim=s) — or why it is not sent at all: no verified domain of the practice covers the address
 * (the sentence a save says), or the key cannot be opened (no CLOUD_SECRETS_KEY, or another one).
 * Every email the cloud sends From a practice's address comes through here: never unsigned.
 */
export async function dkimSigning(q: Queryable, accountId: string, fromEmail: string, box: SecretBox | null): Promise<{ ok: true; dkim: DkimSigning } | { ok: false; reason: string }> {
  const domains = await liveDomains(q, accountId);
  const signer = signingDomain(fromEmail, domains);
  if (!signer) return { ok: false, reason: fromEmailProblem(fromEmail, domains, displayDomain) ?? `${fromEmail} is not on a verified sending domain` };
  const { key } = signer;
  const name = signer.display ?? signer.domain;
  if (!box) return { ok: false, reason: `The DKIM key of ${name} cannot be opened: this server has no CLOUD_SECRETS_KEY` };
  try {
    return { ok: true, dkim: { domainName: signer.domain, keySelector: key.selector, privateKey: box.open(key.sealed, dkimKeyContext(accountId, key.id)) } };
  } catch {
    return { ok: false, reason: `The DKIM key of ${name} cannot be opened with this server's CLOUD_SECRETS_KEY (was it changed?): remove the domain and connect it again under ${SENDING_DOMAINS_PLACE}` };
  }
}
