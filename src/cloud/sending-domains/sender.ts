import { emailDomain, fromEmailProblem, type KnownSendingDomain } from '../../shared/cloud/sending-domains';
import type { Queryable } from '../db';
import type { SecretBox } from '../secret-box';
import { dkimKeyContext } from './records';

/**
 * What sending mail needs of a practice's sending domains: whether a From Email may be used (the
 * Send Email step and Send Test Mail; the same sentence as at save, `fromEmailProblem`), and the
 * DKIM key that signs mail From a verified domain (every email the cloud sends for the practice).
 */

/** The practice's live domains with their status: what a save checks each Send Email step against. */
export async function knownSendingDomains(q: Queryable, accountId: string): Promise<KnownSendingDomain[]> {
  const rows = await q.query<{ domain: string; status: KnownSendingDomain['status']; failure: string | null }>(
    `SELECT domain, status, failure FROM sending_domains WHERE account_id = $1 AND removed_at IS NULL`,
    [accountId],
  );
  return rows.map((r) => ({ domain: r.domain, status: r.status, failure: r.failure }));
}

/** Why mail cannot go From this address for the practice now, or null when its domain is verified. */
export async function senderProblem(q: Queryable, accountId: string, fromEmail: string): Promise<string | null> {
  return fromEmailProblem(fromEmail, await knownSendingDomains(q, accountId));
}

/** nodemailer's `dkim` option for one message. */
export interface DkimSigning {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/**
 * How to sign mail From `fromEmail`: with its verified domain's DKIM key, or not at all (no verified
 * domain of the practice: Internal Notification and Review Request mail from other addresses). A
 * verified domain whose key cannot be opened (no CLOUD_SECRETS_KEY, or another one) is a reason not
 * to send, never a silent unsigned message.
 */
export async function dkimSigning(q: Queryable, accountId: string, fromEmail: string, box: SecretBox | null): Promise<{ ok: true; dkim: DkimSigning | null } | { ok: false; reason: string }> {
  const domain = emailDomain(fromEmail);
  if (!domain) return { ok: true, dkim: null };
  const rows = await q.query<{ id: string; dkim_selector: string; dkim_private_key_enc: string }>(
    `SELECT id, dkim_selector, dkim_private_key_enc FROM sending_domains WHERE account_id = $1 AND domain = $2 AND status = 'verified' AND removed_at IS NULL`,
    [accountId, domain],
  );
  const row = rows[0];
  if (!row) return { ok: true, dkim: null };
  if (!box) return { ok: false, reason: `The DKIM key of ${domain} cannot be opened: this server has no CLOUD_SECRETS_KEY` };
  try {
    return { ok: true, dkim: { domainName: domain, keySelector: row.dkim_selector, privateKey: box.open(row.dkim_private_key_enc, dkimKeyContext(accountId, row.id)) } };
  } catch {
    return { ok: false, reason: `The DKIM key of ${domain} cannot be opened with this server's CLOUD_SECRETS_KEY (was it changed?): remove the domain and connect it again under Settings → Email sending` };
  }
}
