// Verifies Twilio access tokens the way the voice edge does: HS256 signed with the API key's
// secret, issued by a known API key of the account, not expired. Failures carry the 312xx code
// the edge would send, so the SDK raises the matching error.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export interface ApiKey {
  sid: string;
  secret: string;
  accountSid: string;
  friendlyName?: string;
  dateCreated?: Date;
  dateUpdated?: Date;
}

const grantsSchema = z.object({
  identity: z.string().min(1),
  voice: z
    .object({
      incoming: z.object({ allow: z.boolean() }).partial().optional(),
      outgoing: z.object({ application_sid: z.string(), params: z.record(z.string(), z.unknown()).optional() }).optional(),
      push_credential_sid: z.string().optional(),
    })
    .optional(),
});

const payloadSchema = z.object({
  iss: z.string(),
  sub: z.string(),
  exp: z.number(),
  nbf: z.number().optional(),
  grants: grantsSchema,
});

export interface VerifiedToken {
  identity: string;
  accountSid: string;
  apiKeySid: string;
  expiresAt: number;
  incomingAllowed: boolean;
  outgoingApplicationSid: string | null;
  outgoingParams: Record<string, unknown>;
}

export type TokenCheck = { ok: true; token: VerifiedToken } | { ok: false; code: 31201 | 31204 | 31205; message: string };

const invalid = (message: string): TokenCheck => ({ ok: false, code: 31204, message });

export function verifyAccessToken(jwt: string, findKey: (sid: string) => ApiKey | undefined, nowMs = Date.now()): TokenCheck {
  const parts = jwt.split('.');
  if (parts.length !== 3) return invalid('Invalid Access Token: not a JWT');
  const [headerB64, payloadB64, signatureB64] = parts as [string, string, string];
  let header: unknown;
  let payload: unknown;
  try {
    header = JSON.parse(Buffer.from(headerB64, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(payloadB64, 'base64url').toString('utf8'));
  } catch {
    return invalid('Invalid Access Token: undecodable');
  }
  if ((header as { alg?: unknown }).alg !== 'HS256') return invalid('Invalid Access Token: alg must be HS256');
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) return invalid('Invalid Access Token: missing identity or claims');
  const claims = parsed.data;
  const key = findKey(claims.iss);
  if (!key || key.accountSid !== claims.sub) return { ok: false, code: 31201, message: 'Authentication failed: unknown API key for this account' };
  const expected = createHmac('sha256', key.secret).update(`${headerB64}.${payloadB64}`).digest();
  const given = Buffer.from(signatureB64, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid('Invalid Access Token: signature mismatch');
  if (claims.exp * 1000 <= nowMs) return { ok: false, code: 31205, message: 'JWT Token Expired' };
  return {
    ok: true,
    token: {
      identity: claims.grants.identity,
      accountSid: claims.sub,
      apiKeySid: claims.iss,
      expiresAt: claims.exp * 1000,
      incomingAllowed: claims.grants.voice?.incoming?.allow === true,
      outgoingApplicationSid: claims.grants.voice?.outgoing?.application_sid ?? null,
      outgoingParams: claims.grants.voice?.outgoing?.params ?? {},
    },
  };
}
