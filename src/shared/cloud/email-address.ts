/**
 * The one rule an email address follows, wherever it is checked (zod-free: Settings reads it on the
 * page's start path — issue #21; the zod form is ./email-address-schema.ts). A contact's email, an
 * email step's To, Cc and Bcc, a From Email: `local@domain`, the domain any name the URL host parser
 * takes — international (IDN) names too, bücher.de — and the local part plain ASCII: mail is sent
 * without SMTPUTF8, so an address with other letters before the @ cannot be delivered and is refused
 * with that reason. Compared, sent and recorded in one canonical form (`canonicalEmail`: the domain
 * lower case, international names in their ASCII xn-- form); people see what they typed.
 */

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
// What the URL host parser would read as something else (a path, a port, credentials) or decode (%).
const NOT_A_HOST = /[\s/?#@:\\[\]%]/;
// The local part zod's email check accepts: what SMTP takes without SMTPUTF8.
const LOCAL_PART = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]$/;
const NON_ASCII = /[\u0080-\uffff]/;

/** What an address field says of something that is not an address (zod's wording, which the fields showed before IDN). */
export const INVALID_EMAIL = 'Invalid email address';

/**
 * A domain name in its canonical form — lower case, international names in their ASCII (xn--) form
 * by UTS #46 — or null when it is not one. The WHATWG URL host parser does it: the same algorithm
 * as node:url's domainToASCII (the cloud's `normalizeDomain`), here in the desktop's renderer too.
 */
export function asciiDomain(name: string): string | null {
  const typed = name.trim().replace(/\.$/, '');
  if (!typed || NOT_A_HOST.test(typed)) return null;
  let host: string;
  try {
    host = new URL(`http://${typed}/`).hostname;
  } catch {
    return null;
  }
  const labels = host.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label)) || !TOP_LEVEL.test(labels.at(-1)!)) return null;
  return host;
}

/** The domain of an address in its canonical form; null when it is not `local@domain`. */
export function emailDomain(address: string): string | null {
  const at = address.trim().lastIndexOf('@');
  return at > 0 ? asciiDomain(address.trim().slice(at + 1)) : null;
}

/** An address as it is compared, sent and recorded: the local part as typed, the domain canonical; null when it is not an address. */
export function canonicalEmail(address: string): string | null {
  const trimmed = address.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return null;
  const local = trimmed.slice(0, at);
  const domain = asciiDomain(trimmed.slice(at + 1));
  if (!domain || local.length > 64 || !LOCAL_PART.test(local)) return null;
  const email = `${local}@${domain}`;
  return email.length <= 254 ? email : null;
}

/** The addresses typed into a list field (Cc, Bcc, Custom emails): each entry may hold several, comma-separated; blanks dropped. */
export function addressList(entries: readonly string[]): string[] {
  return entries.flatMap((entry) => entry.split(',')).map((address) => address.trim()).filter((address) => address.length > 0);
}

/**
 * Why `address` cannot be mailed to, or null when it can. `invalid`: what the field says of
 * something that is not an address at all (INVALID_EMAIL unless the field has its own wording).
 */
export function emailAddressProblem(address: string, invalid = INVALID_EMAIL): string | null {
  if (canonicalEmail(address) !== null) return null;
  const trimmed = address.trim();
  const at = trimmed.lastIndexOf('@');
  // The domain is fine and the local part is not ASCII: say why, not just "invalid".
  if (at > 0 && NON_ASCII.test(trimmed.slice(0, at)) && asciiDomain(trimmed.slice(at + 1))) {
    return `${trimmed} cannot be emailed: only the part after the @ may have international letters (mail is sent without SMTPUTF8); use an address with plain letters, digits and . _ ' + - before the @`;
  }
  return invalid;
}
