import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from '../keys/key-ring';

/**
 * How the inbound email webhook is authenticated. Each practice has its own secret, derived from
 * the server key ring (purpose `inbound-email`), its account id and its secret generation (a
 * counter an admin's Rotate secret moves on, inbound-email-settings.ts): the secret itself lives
 * outside the database, like every key — the database holds only the counter, which signs nothing —
 * and one practice's secret signs nothing for another's URL. A request carries
 *
 *   X-Aesthetix-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *
 * (the scheme Slack and Stripe use: the timestamp is signed, so an old request cannot be replayed
 * after SIGNATURE_TOLERANCE_SECONDS). Rotation by the operator: a secret made from any key still in
 * the ring verifies, so the mail provider can be moved to the new one while the old key is listed.
 * Rotation by the practice's admin: only the current generation verifies (the old secret stops at once).
 */
export const INBOUND_EMAIL_SIGNATURE_HEADER = 'x-aesthetix-signature';
/** The header's value, as admins are told to make it (Settings → Email replies shows this text). */
export const INBOUND_EMAIL_SIGNATURE_FORMAT = 't=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

// Generation 0 is the secret practices had before rotation existed: it keeps the same input, so a provider set up then still verifies.
const secretFrom = (key: Buffer, accountId: string, generation: number): string =>
  createHmac('sha256', key).update(generation === 0 ? `inbound-email:${accountId}` : `inbound-email:${accountId}:${generation}`).digest('base64url');

/** The practice's current secret (shown to its admins to configure their mail provider). */
export function inboundEmailSecret(keys: KeyRing, accountId: string, generation: number): string {
  return secretFrom(keys.current('inbound-email').key, accountId, generation);
}

const digest = (secret: string, timestamp: number, body: Buffer): Buffer =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();

/** The header value for `body` signed with `secret` at `nowMs` (the demo inbox, tests, a relay). */
export function signInboundEmail(secret: string, body: Buffer, nowMs = Date.now()): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${digest(secret, t, body).toString('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Checks a request's signature header against every secret the ring can make for the practice's current generation. */
export function verifyInboundEmail(keys: KeyRing, accountId: string, generation: number, header: string | undefined, body: Buffer, nowMs = Date.now()): SignatureCheck {
  if (!header) return { ok: false, reason: 'no X-Aesthetix-Signature header' };
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string | undefined]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isInteger(t) || !given || !/^[0-9a-f]{64}$/.test(given)) return { ok: false, reason: 'the X-Aesthetix-Signature header is not t=<seconds>,v1=<hex>' };
  if (Math.abs(nowMs / 1000 - t) > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: 'the signature is too old or from the future (check the clocks)' };
  const givenBytes = Buffer.from(given, 'hex');
  for (const { key } of keys.all('inbound-email')) {
    if (timingSafeEqual(digest(secretFrom(key, accountId, generation), t, body), givenBytes)) return { ok: true };
  }
  return { ok: false, reason: 'the signature does not match' };
}
