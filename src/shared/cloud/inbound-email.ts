import { z } from 'zod';

/**
 * Inbound email (replies to workflow emails): what the practice's admins configure their mail
 * provider with, and what the webhook answers the provider. Routes: src/cloud/messaging/inbound-email-routes.ts.
 */
export const inboundEmailSettingsSchema = z.object({
  /** Where the provider posts each inbound message, raw (Content-Type: message/rfc822). */
  url: z.string(),
  /** The practice's signing secret (HMAC-SHA256; the same until the server key ring is rotated). */
  secret: z.string(),
  /** The header the signature goes in: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
  signatureHeader: z.literal('X-Aesthetix-Signature'),
  /** How old (or early) a signature's timestamp may be. */
  toleranceSeconds: z.number().int(),
  /** The largest message accepted, in bytes. */
  maxBytes: z.number().int(),
});
export type InboundEmailSettings = z.infer<typeof inboundEmailSettingsSchema>;

export const inboundEmailResultSchema = z.object({
  received: z.literal(true),
  /** It answers an email the practice sent (In-Reply-To / References): Replied is counted. */
  matched: z.boolean(),
  /** Posted before (same Message-ID): nothing counted again. */
  duplicate: z.boolean(),
});
export type InboundEmailResult = z.infer<typeof inboundEmailResultSchema>;
