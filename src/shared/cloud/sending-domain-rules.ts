import { canonicalEmail, emailDomain } from './email-address';
import { walkSteps, type Step } from './workflow-steps';

/**
 * The rules a From Email follows (zod-free: Settings, on the page's start path, reads them too —
 * issue #21). Every step that sends email From an address the practice chose (Send Email, an email
 * Internal Notification, a Review Request From the assigned user) may send only From an address on
 * one of the practice's verified sending domains — or on a subdomain of one: verifying example.com
 * proves control of its whole DNS tree, and mail From news.example.com signed with d=example.com
 * passes DMARC's relaxed alignment (the default), as Amazon SES lets a verified domain send From
 * any of its subdomains — unless the domain's DMARC record asks for strict DKIM alignment (adkim=s:
 * `strictAlignment`), where d= must be the From domain itself, so only the exact domain sends and a
 * subdomain must be verified itself. Addresses are compared in one canonical form (`canonicalEmail`: domain
 * lower case, international names in xn--) and shown in Unicode where the practice's domains say
 * how (`display`). The schemas of `/v1/sending-domains…` are in ./sending-domains.ts.
 */

/** Where to go to fix a sending domain: every refusal names it. */
export const SENDING_DOMAINS_PLACE = 'Settings → Email sending';

export const sendingDomainStatuses = ['pending', 'verified', 'failed'] as const;
export type SendingDomainStatus = (typeof sendingDomainStatuses)[number];

/** What a From Email needs of the practice's domains: each one's name, status and failure. */
export interface KnownSendingDomain {
  /** Canonical (xn--). */
  domain: string;
  /** The name as people read it (international names in Unicode); absent: `domain`. */
  display?: string;
  status: SendingDomainStatus;
  failure: string | null;
  /**
   * Its DMARC record asks for strict DKIM alignment (adkim=s), as last read: receivers fail DMARC
   * for mail signed with its key From any other domain (a subdomain too). Absent: relaxed.
   */
  strictAlignment?: boolean;
}

const shown = (d: KnownSendingDomain): string => d.display ?? d.domain;

/** The practice's domains that cover a canonical domain, nearest first: itself, then each parent. */
function covering<D extends KnownSendingDomain>(domain: string, domains: readonly D[]): D[] {
  const found: D[] = [];
  for (let name = domain; name.includes('.'); name = name.slice(name.indexOf('.') + 1)) {
    const known = domains.find((d) => d.domain === name);
    if (known) found.push(known);
  }
  return found;
}

/**
 * The nearest verified domain covering a canonical domain, and whether its key may sign mail From
 * it: its own domain always; a parent only under relaxed alignment. A strict parent does not hand
 * the address on to a relaxed grandparent: its DMARC record is the nearer one, the one that applies.
 */
function signer<D extends KnownSendingDomain>(domain: string, domains: readonly D[]): { nearest: D | null; signs: boolean } {
  const nearest = covering(domain, domains).find((d) => d.status === 'verified') ?? null;
  return { nearest, signs: nearest !== null && (nearest.domain === domain || !nearest.strictAlignment) };
}

/**
 * The verified domain whose DKIM key signs mail From this address: its own domain, else the
 * nearest verified parent (news.example.com → example.com) unless that one's DMARC asks for strict
 * alignment; null when none may.
 */
export function signingDomain<D extends KnownSendingDomain>(fromEmail: string, domains: readonly D[]): D | null {
  const domain = emailDomain(fromEmail);
  if (!domain) return null;
  const found = signer(domain, domains);
  return found.signs ? found.nearest : null;
}

/**
 * Why mail cannot be sent From `fromEmail` for a practice with these domains, or null when it can
 * (its domain, or a parent of it whose DMARC allows relaxed alignment, is one of them and verified). One sentence, naming what to do and
 * where; domains shown as people read them (`unicode`: how to show a domain the practice has not
 * connected — the cloud's node:url; without it, as typed).
 */
export function fromEmailProblem(fromEmail: string, domains: readonly KnownSendingDomain[], unicode?: (domain: string) => string): string | null {
  const email = canonicalEmail(fromEmail);
  if (!email) return `The From Email “${fromEmail}” is not an email address`;
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  const connected = covering(domain, domains);
  const { nearest: verified, signs } = signer(domain, domains);
  if (signs) return null;
  const typed = unicode ? unicode(domain) : fromEmail.trim().slice(fromEmail.trim().lastIndexOf('@') + 1).toLowerCase().replace(/\.$/, '');
  const address = `${email.slice(0, at)}@${typed}`;
  const nearest = connected[0];
  // A strict parent, unless the subdomain is connected itself (then its own verification is what is missing).
  if (verified && nearest === verified) {
    const name = shown(verified);
    return `${address} is on a subdomain of ${name}, whose DMARC record asks for strict DKIM alignment (adkim=s): only addresses at exactly ${name} can send. Connect and verify ${typed} itself under ${SENDING_DOMAINS_PLACE} so its mail is signed with its own key, or relax ${name}'s DMARC record (adkim=r) and choose Verify`;
  }
  if (!nearest) return `${address} is not on a sending domain of this practice: connect and verify ${typed} under ${SENDING_DOMAINS_PLACE}`;
  const name = shown(nearest);
  // From a subdomain: its parent's verification is what is missing.
  const subject = nearest.domain === domain ? name : `${address} is on ${name}, which`;
  if (nearest.status === 'pending') return `${subject} is not verified yet: publish its DNS records, then choose Verify under ${SENDING_DOMAINS_PLACE}`;
  return `${subject} failed verification (${nearest.failure ?? 'its DNS records were not found'}): fix its DNS records, then choose Verify under ${SENDING_DOMAINS_PLACE}`;
}

/** An address with its domain shown as people read it, where the practice's domains say how (`desk@xn--bcher-kva.de` → `desk@bücher.de`). */
export function displayEmail(address: string, domains: readonly KnownSendingDomain[]): string {
  const email = canonicalEmail(address);
  if (!email) return address;
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  const nearest = covering(domain, domains)[0];
  if (!nearest?.display || nearest.display === nearest.domain) return address;
  return `${email.slice(0, at)}@${domain.slice(0, domain.length - nearest.domain.length)}${nearest.display}`;
}

/**
 * The From Email a step sends mail From as saved: Send Email's, and an email Internal Notification's
 * unless it is a custom value (`{{user.email}}`: filled, and checked, when it runs). null: none.
 */
export function savedFromEmail(step: Step): string | null {
  if (step.type === 'send_email') return step.config.fromEmail;
  if (step.type === 'internal_notification' && step.config.channel === 'email' && !step.config.fromEmail.includes('{{')) return step.config.fromEmail;
  return null;
}

/** A step the practice's domains do not let send, the field to fix, and why. */
export interface SendingDomainIssue {
  stepId: string;
  stepName: string;
  field: 'fromEmail' | 'reviewType';
  message: string;
}

/**
 * Every step of a document that the practice's domains do not let send, with the reason: a saved
 * From Email off the verified domains, and — when the practice's users are given — an email Review
 * Request while no user's address is on one (`reviewSendersProblem`). What the cloud refuses a save
 * and a publish with, and what the builder shows before it asks.
 */
export function sendingDomainIssues(
  steps: readonly Step[],
  domains: readonly KnownSendingDomain[],
  options: { users?: readonly ReviewSender[] | null; unicode?: (domain: string) => string } = {},
): SendingDomainIssue[] {
  const issues: SendingDomainIssue[] = [];
  const reviews = options.users ? reviewSendersProblem(options.users, domains) : null;
  walkSteps(steps, (step) => {
    const fromEmail = savedFromEmail(step);
    const problem = fromEmail === null ? null : fromEmailProblem(fromEmail, domains, options.unicode);
    if (problem) issues.push({ stepId: step.id, stepName: step.name, field: 'fromEmail', message: problem });
    if (reviews && isEmailReview(step)) issues.push({ stepId: step.id, stepName: step.name, field: 'reviewType', message: reviews });
  });
  return issues;
}

/** A Review Request by email: sent From the contact's assigned user's address. */
export const isEmailReview = (step: Step): boolean => step.type === 'review_request' && step.config.reviewType === 'email';

/** The steps with each saved From Email in its canonical form (what the cloud stores: one form to compare). */
export function canonicalFromEmails(steps: readonly Step[]): Step[] {
  return steps.map((step) => {
    if (step.type === 'if_else') {
      return { ...step, branches: step.branches.map((b) => ({ ...b, steps: canonicalFromEmails(b.steps) })), elseSteps: canonicalFromEmails(step.elseSteps) };
    }
    const fromEmail = savedFromEmail(step);
    const canonical = fromEmail === null ? null : canonicalEmail(fromEmail);
    return canonical && canonical !== fromEmail ? ({ ...step, config: { ...step.config, fromEmail: canonical } } as Step) : step;
  });
}

/** A user a Review Request may be sent From (the contact's assigned user, or the practice's first admin). */
export interface ReviewSender {
  name: string;
  email: string;
}

/**
 * Why an email Review Request step can never send for this practice (it goes From the contact's
 * assigned user, and none of the practice's users has an address on a verified sending domain), or
 * null. Whether a given contact's user can is judged when it runs (and by the dry run).
 */
export function reviewSendersProblem(users: readonly ReviewSender[], domains: readonly KnownSendingDomain[]): string | null {
  if (users.some((u) => fromEmailProblem(u.email, domains) === null)) return null;
  return `review requests go From the contact's assigned user, and no user of this practice has an email address on a verified sending domain: verify the domain your team's addresses are on under ${SENDING_DOMAINS_PLACE}`;
}
