import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

/**
 * The domain an admin typed, as the cloud keeps it: lower case, international names in their ASCII
 * (xn--) form by UTS #46 (node:url, the WHATWG URL rules browsers use), letters/digits/hyphens in
 * each label — or the reason it is not a domain, in words. PURE.
 */

/** The longest record name the cloud issues is `_aesthetix-verification.<domain>`: it must fit DNS's 253. */
export const VERIFICATION_PREFIX = '_aesthetix-verification';
export const MAX_SENDING_DOMAIN_LENGTH = 253 - VERIFICATION_PREFIX.length - 1;

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export type DomainName = { ok: true; domain: string } | { ok: false; message: string };

export function normalizeDomain(input: string): DomainName {
  const fail = (message: string): DomainName => ({ ok: false, message });
  const typed = input.trim();
  if (!typed) return fail('Enter the domain you send email from, such as glowmedspa.com');
  const at = typed.lastIndexOf('@');
  if (at >= 0) return fail(`Enter the domain only${typed.slice(at + 1) ? ` (${typed.slice(at + 1)})` : ''}, not an email address`);
  if (/^[a-z][a-z0-9+.-]*:/i.test(typed) || /[/?#\\]/.test(typed)) return fail('Enter the domain only, without http:// or a path');
  if (/\s/.test(typed)) return fail('A domain name has no spaces');
  if (typed.startsWith('*')) return fail('Enter one domain, not a wildcard');
  const name = typed.replace(/\.$/, '');
  if (isIP(name) || /^\[.*\]$/.test(name)) return fail('Enter a domain name, not an IP address');
  const ascii = domainToASCII(name);
  const notADomain = `“${typed}” is not a domain name: use letters, digits and hyphens, with a dot between the parts (international names are accepted)`;
  if (!ascii) return fail(notADomain);
  // WHATWG's host parser reads "0x7f.1" and other number forms as IPv4.
  if (isIP(ascii)) return fail('Enter a domain name, not an IP address');
  const labels = ascii.split('.');
  if (labels.length < 2) return fail(`Enter the whole domain with its ending, such as ${ascii}.com`);
  if (!labels.every((label) => LABEL.test(label))) return fail(notADomain);
  if (!TOP_LEVEL.test(labels.at(-1)!)) return fail(`“${typed}” does not end in a top-level domain such as .com`);
  if (ascii.length > MAX_SENDING_DOMAIN_LENGTH) return fail(`A sending domain is at most ${MAX_SENDING_DOMAIN_LENGTH} characters (its DNS records' names must fit DNS's limit)`);
  return { ok: true, domain: ascii };
}
