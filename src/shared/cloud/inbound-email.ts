import { z } from 'zod';

/**
 * Inbound email (replies to workflow emails): what the practice's admins configure their mail
 * provider with, and what the webhook answers the provider. Routes: src/cloud/messaging/inbound-email-routes.ts.
 */
export const inboundEmailSettingsSchema = z.object({
  /** Where the provider posts each inbound message, raw (Content-Type: message/rfc822). */
  url: z.string(),
  /** The practice's signing secret (HMAC-SHA256; the same until an admin rotates it, or the server key ring is rotated). */
  secret: z.string(),
  /** The header the signature goes in. */
  signatureHeader: z.literal('X-Aesthetix-Signature'),
  /** The header's value: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
  signatureFormat: z.string(),
  /** The Content-Type each post carries: the message, raw. */
  contentType: z.literal('message/rfc822'),
  /** How old (or early) a signature's timestamp may be. */
  toleranceSeconds: z.number().int(),
  /** The largest message accepted, in bytes. */
  maxBytes: z.number().int(),
  /** The URL is on the cloud's own computer (loopback): no mail provider on the internet can reach it. */
  loopback: z.boolean(),
  /** When the webhook last took a signed message (matched or not); null: nothing was ever posted. */
  lastReceivedAt: z.string().nullable(),
  /** When the last of those answered an email the practice sent (it counted Replied). */
  lastMatchedAt: z.string().nullable(),
  /** When an admin last rotated the secret (null: never). */
  rotatedAt: z.string().nullable(),
});
export type InboundEmailSettings = z.infer<typeof inboundEmailSettingsSchema>;

/** The cloud's paths for them (the desktop's calls and the route table name the same ones). */
export const inboundEmailPaths = { settings: '/v1/email/inbound', rotate: '/v1/email/inbound/rotate' } as const;

export const inboundEmailResultSchema = z.object({
  received: z.literal(true),
  /** It answers an email the practice sent (In-Reply-To / References): Replied is counted. */
  matched: z.boolean(),
  /** Posted before (same Message-ID): nothing counted again. */
  duplicate: z.boolean(),
});
export type InboundEmailResult = z.infer<typeof inboundEmailResultSchema>;
