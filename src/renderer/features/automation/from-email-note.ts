import { emailDomain } from '../../../shared/cloud/email-address';
import { displayEmail, fromEmailProblem, reviewSendersProblem, SENDING_DOMAINS_PLACE, signingDomain, type KnownSendingDomain } from '../../../shared/cloud/sending-domain-rules';

/** What the builder says under a From Email, and under an email Review Request, about the practice's sending domains. */

/**
 * What the From Email field says about the practice's sending domains: which domain it is on and
 * whether that one is verified (a subdomain: signed with its verified parent's key), or (a warning)
 * what is missing and where to fix it — the words the cloud answers a save with. Nothing is judged
 * before the address is complete; a custom value is judged when the step runs.
 */
export function fromEmailNote(fromEmail: string, domains: readonly KnownSendingDomain[] | null): { hint: string; warning: string | null } {
  const place = SENDING_DOMAINS_PLACE;
  if (fromEmail.includes('{{')) return { hint: `A custom value: the address it fills to must be on a verified sending domain (${place}), or the email is not sent.`, warning: null };
  const domain = emailDomain(fromEmail);
  if (!domain) return { hint: `An address on one of the practice's verified sending domains (${place}), or on a subdomain of one.`, warning: null };
  if (domains === null) return { hint: `It must be on a verified sending domain (${place}); this cloud did not say which are.`, warning: null };
  const problem = fromEmailProblem(fromEmail, domains);
  const signer = signingDomain(fromEmail, domains);
  if (!problem && signer) {
    const name = signer.display ?? signer.domain;
    if (signer.domain === domain) return { hint: `${name} is a verified sending domain of the practice.`, warning: null };
    const shown = displayEmail(fromEmail, domains);
    return { hint: `${shown.slice(shown.lastIndexOf('@') + 1)} is on ${name}, a verified sending domain of the practice: its mail is signed with ${name}'s DKIM key.`, warning: null };
  }
  return { hint: `Until then the workflow cannot be saved with this step, and Send Test Mail is refused.`, warning: `${problem}.` };
}

/**
 * An email Review Request goes From the contact's assigned user (else the first admin): which of
 * the practice's users cannot send it, and — when none can — the words the cloud refuses a save with.
 */
export function reviewSenderNote(users: readonly { name: string; email: string }[], domains: readonly KnownSendingDomain[] | null): { offDomain: string | null; warning: string | null } {
  if (!domains) return { offDomain: null, warning: null };
  const off = users.filter((u) => fromEmailProblem(u.email, domains) !== null);
  const warning = reviewSendersProblem(users, domains);
  return {
    offDomain: off.length > 0 && !warning ? `Not on a verified sending domain, so their contacts' requests are not sent: ${off.map((u) => `${u.name} (${displayEmail(u.email, domains)})`).join(', ')}.` : null,
    warning: warning ? `${warning[0]!.toUpperCase()}${warning.slice(1)}.` : null,
  };
}
