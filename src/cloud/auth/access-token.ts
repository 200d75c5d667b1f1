import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../shared/cloud/entities';
import type { PurposeKey } from '../keys/key-ring';

/** Claims of the cloud's own short-lived access token (an HS256 JWT). */
export interface AccessClaims {
  sub: string;
  acc: string;
  role: Role;
  sid: string;
  /** The pair's refresh-token hash, shortened: the first use of this access token marks the pair used (refresh grace). */
  rtp?: string;
  iat: number;
  exp: number;
}

const b64url = (input: Buffer | string): string => Buffer.from(input).toString('base64url');

/** Signed with the ring's current JWT key; the header names it (`kid`) so rotated keys still verify. */
export function signAccessToken(claims: Omit<AccessClaims, 'iat' | 'exp'>, signing: PurposeKey, ttlSeconds: number, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: signing.id }));
  const body = b64url(JSON.stringify({ ...claims, iat, exp: iat + ttlSeconds }));
  const signature = createHmac('sha256', signing.key).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}

export type VerifyResult = { ok: true; claims: AccessClaims; kid: string | null } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

/**
 * `keyFor(kid)` gives the key a token names (null kid: a token from before key ids, verified with
 * the imported legacy key if the ring still has it); a key the ring no longer has fails.
 */
export function verifyAccessToken(token: string, keyFor: (kid: string | null) => Buffer | undefined, now = Date.now()): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [header, body, signature] = parts as [string, string, string];
  let kid: string | null;
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown; typ?: unknown; kid?: unknown };
    if (parsed.alg !== 'HS256' || (parsed.kid !== undefined && typeof parsed.kid !== 'string')) return { ok: false, reason: 'malformed' };
    kid = (parsed.kid as string | undefined) ?? null;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const key = keyFor(kid);
  if (!key) return { ok: false, reason: 'signature' };
  const expected = createHmac('sha256', key).update(`${header}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  let claims: AccessClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as AccessClaims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || typeof claims.exp !== 'number') {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.exp * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims, kid };
}
