import { createHmac, timingSafeEqual } from 'node:crypto';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';

/**
 * X-Twilio-Signature: HMAC-SHA1 (auth token) over the URL followed by the POST parameters sorted
 * by name, each name and value appended (Twilio's scheme). `twilio.validateRequest` tries up to
 * four URL variants (without / with the port, with the legacy query encoding), each with its own
 * URL parsing and HMAC; most webhooks are signed over exactly the URL we were configured with, so
 * that one is checked first (one HMAC, no URL parsing) and only a mismatch pays for the variants.
 * Accepts exactly what `validateRequest` accepts: the exact URL is one of its variants.
 */
export function validTwilioSignature(authToken: string, signature: string, url: string, params: Readonly<Record<string, string>>): boolean {
  const hmac = createHmac('sha1', authToken).update(url);
  for (const key of Object.keys(params).sort()) hmac.update(key).update(params[key] ?? '');
  const expected = hmac.digest();
  const given = Buffer.from(signature, 'base64');
  // A base64 string that re-encodes differently is not the digest Twilio sent (reject like scmp would).
  if (given.length === expected.length && given.toString('base64') === signature && timingSafeEqual(given, expected)) return true;
  return validateRequest(authToken, signature, url, params);
}
