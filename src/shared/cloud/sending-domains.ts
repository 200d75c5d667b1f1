import { z } from 'zod';
import { sendingDomainStatuses } from './sending-domain-rules';

/**
 * Settings → Email sending: the practice's sending domains (`/v1/sending-domains…`). An admin
 * connects a domain; the cloud issues two TXT records for it — one that proves the practice controls
 * the domain (an unguessable token) and the DKIM key the cloud signs its mail with — and checks them
 * in DNS on Verify and periodically. A step that sends email (Send Email, an email Internal
 * Notification, a Review Request) may only send From an address on a verified domain or a subdomain
 * of one whose DMARC record does not ask for strict DKIM alignment (`fromEmailProblem`): saving and publishing name the problem, Send Test Mail refuses and a
 * run errs with it.
 */

export * from './sending-domain-rules';

const id = z.string().min(1).max(64);

export const sendingDomainStatusSchema = z.enum(sendingDomainStatuses);

/**
 * What one DNS lookup of a record found: `found` (a TXT record with the issued value), `nxdomain`
 * (no such name), `no_record` (the name exists, without a TXT record), `mismatch` (TXT records, none
 * with the issued value), `timeout` and `server_error` (no answer, or a failing DNS server: transient).
 */
export const dnsCheckOutcomes = ['found', 'nxdomain', 'no_record', 'mismatch', 'timeout', 'server_error'] as const;
export const dnsCheckOutcomeSchema = z.enum(dnsCheckOutcomes);
export type DnsCheckOutcome = z.infer<typeof dnsCheckOutcomeSchema>;

export const sendingDomainRecordSchema = z.object({
  /** `verification`: proves the practice controls the domain; `dkim`: the public key mail is signed with. */
  purpose: z.enum(['verification', 'dkim']),
  type: z.literal('TXT'),
  /** The full name to publish (`_aesthetix-verification.glowmedspa.com`). */
  name: z.string(),
  /** The exact text to publish (a long DKIM value may be split into quoted pieces by the DNS provider). */
  value: z.string(),
  /** The last lookup of this record, in words an admin acts on; null before the first. */
  check: z.object({ outcome: dnsCheckOutcomeSchema, message: z.string() }).nullable(),
});
export type SendingDomainRecord = z.infer<typeof sendingDomainRecordSchema>;

export const sendingDomainSchema = z.object({
  id,
  /** Lower-case, international names in their ASCII (xn--) form: what is compared and stored. */
  domain: z.string(),
  /** The name as people read it: international names in Unicode (`bücher.de`); otherwise `domain`. */
  display: z.string(),
  status: sendingDomainStatusSchema,
  /** Why it is `failed` (the record that failed and how); null otherwise. */
  failure: z.string().nullable(),
  /**
   * A verified domain whose last check could not reach DNS (a timeout, a failing server) stays
   * verified — one unanswered lookup does not stop the practice's email — and says so here.
   */
  lastCheckNote: z.string().nullable(),
  /**
   * Its DMARC record (`_dmarc.<domain>`, else a parent's) asks for strict DKIM alignment (adkim=s), as
   * last checked: only addresses at exactly this domain can send, not its subdomains. Absent from a
   * cloud that does not read DMARC: relaxed.
   */
  strictAlignment: z.boolean().default(false),
  records: z.array(sendingDomainRecordSchema),
  lastCheckedAt: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type SendingDomain = z.infer<typeof sendingDomainSchema>;

/** Connect a domain: the cloud normalises it (lower case, international names to xn--) or says why it cannot. */
export const addSendingDomainSchema = z
  .object({ domain: z.string().trim().min(1, 'Enter the domain you send email from, such as glowmedspa.com').max(300, 'A domain name is at most 253 characters') })
  .strict();
export type AddSendingDomainInput = z.infer<typeof addSendingDomainSchema>;

