import { walkSteps, type Step } from './workflow-steps';

/**
 * The rules a From Email follows (zod-free: Settings, on the page's start path, reads them too —
 * issue #21). A Send Email step may send only From an address on one of the practice's verified
 * sending domains; the schemas of `/v1/sending-domains…` are in ./sending-domains.ts.
 */

/** Where to go to fix a sending domain: every refusal names it. */
export const SENDING_DOMAINS_PLACE = 'Settings → Email sending';

export const sendingDomainStatuses = ['pending', 'verified', 'failed'] as const;
export type SendingDomainStatus = (typeof sendingDomainStatuses)[number];

/** The domain of an address, lower-cased; null when it is not `local@domain`. */
export function emailDomain(address: string): string | null {
  const at = address.trim().lastIndexOf('@');
  if (at <= 0) return null;
  const domain = address.trim().slice(at + 1).toLowerCase().replace(/\.$/, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) ? domain : null;
}

/** What a From Email needs of the practice's domains: each one's name, status and failure. */
export interface KnownSendingDomain {
  domain: string;
  status: SendingDomainStatus;
  failure: string | null;
}

/**
 * Why mail cannot be sent From `fromEmail` for a practice with these domains, or null when it can
 * (its domain is one of them and verified). One sentence, naming what to do and where.
 */
export function fromEmailProblem(fromEmail: string, domains: readonly KnownSendingDomain[]): string | null {
  const domain = emailDomain(fromEmail);
  if (!domain) return `The From Email “${fromEmail}” is not an email address`;
  const known = domains.find((d) => d.domain === domain);
  if (!known) return `${fromEmail} is not on a sending domain of this practice: connect and verify ${domain} under ${SENDING_DOMAINS_PLACE}`;
  if (known.status === 'verified') return null;
  if (known.status === 'pending') return `${domain} is not verified yet: publish its DNS records, then choose Verify under ${SENDING_DOMAINS_PLACE}`;
  return `${domain} failed verification (${known.failure ?? 'its DNS records were not found'}): fix its DNS records, then choose Verify under ${SENDING_DOMAINS_PLACE}`;
}

/** Every Send Email step of a document whose From Email the practice's domains do not allow, with the reason. */
export function sendingDomainIssues(steps: readonly Step[], domains: readonly KnownSendingDomain[]): { stepId: string; stepName: string; message: string }[] {
  const issues: { stepId: string; stepName: string; message: string }[] = [];
  walkSteps(steps, (step) => {
    if (step.type !== 'send_email') return;
    const problem = fromEmailProblem(step.config.fromEmail, domains);
    if (problem) issues.push({ stepId: step.id, stepName: step.name, message: problem });
  });
  return issues;
}
