import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeyRing } from '../keys/key-ring';

/**
 * How the inbound email webhook is authenticated. Each practice has its own secret, derived from
 * the server key ring (purpose `inbound-email`) and its account id: it lives outside the database,
 * like every key, and one practice's secret signs nothing for another's URL. A request carries
 *
 *   X-Aesthetix-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *
 * (the scheme Slack and Stripe use: the timestamp is signed, so an old request cannot be replayed
 * after SIGNATURE_TOLERANCE_SECONDS). Rotation: a secret made from any key still in the ring
 * verifies, so the mail provider can be moved to the new one while the old key is listed.
 */
export const INBOUND_EMAIL_SIGNATURE_HEADER = 'x-aesthetix-signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const secretFrom = (key: Buffer, accountId: string): string => createHmac('sha256', key).update(`inbound-email:${accountId}`).digest('base64url');

/** The practice's current secret (shown to its admins to configure their mail provider). */
export function inboundEmailSecret(keys: KeyRing, accountId: string): string {
  return secretFrom(keys.current('inbound-email').key, accountId);
}

const digest = (secret: string, timestamp: number, body: Buffer): Buffer =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();

/** The header value for `body` signed with `secret` at `nowMs` (the demo inbox, tests, a relay). */
export function signInboundEmail(secret: string, body: Buffer, nowMs = Date.now()): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${digest(secret, t, body).toString('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Checks a request's signature header against every secret the ring can make for the practice. */
export function verifyInboundEmail(keys: KeyRing, accountId: string, header: string | undefined, body: Buffer, nowMs = Date.now()): SignatureCheck {
  if (!header) return { ok: false, reason: 'no X-Aesthetix-Signature header' };
  const parts = new Map(header.split(',').map((p) => p.trim().split('=', 2) as [string, string | undefined]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isInteger(t) || !given || !/^[0-9a-f]{64}$/.test(given)) return { ok: false, reason: 'the X-Aesthetix-Signature header is not t=<seconds>,v1=<hex>' };
  if (Math.abs(nowMs / 1000 - t) > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: 'the signature is too old or from the future (check the clocks)' };
  const givenBytes = Buffer.from(given, 'hex');
  for (const { key } of keys.all('inbound-email')) {
    if (timingSafeEqual(digest(secretFrom(key, accountId), t, body), givenBytes)) return { ok: true };
  }
  return { ok: false, reason: 'the signature does not match' };
}
