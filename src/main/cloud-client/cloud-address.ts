/**
 * Which cloud addresses the app accepts: https, or http to this computer only (the embedded cloud,
 * a local test cloud). A session token never travels in cleartext over a network.
 */
export type CloudAddressCheck = { ok: true; origin: string } | { ok: false; reason: string };

const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function checkCloudAddress(raw: string): CloudAddressCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: `"${raw.slice(0, 200)}" is not a web address.` };
  }
  if (url.username || url.password) return { ok: false, reason: 'A cloud address must not contain a user name or password.' };
  if (url.protocol === 'https:') return { ok: true, origin: url.origin };
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.test(url.hostname)) return { ok: true, origin: url.origin };
  if (url.protocol === 'http:') return { ok: false, reason: `Only https addresses are accepted (http only for this computer): ${url.host}.` };
  return { ok: false, reason: `Only https addresses are accepted, not ${url.protocol.replace(':', '')}.` };
}
