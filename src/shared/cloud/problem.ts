import { z } from 'zod';

/**
 * Every error the cloud API returns is an RFC 9457 problem document (`application/problem+json`)
 * whose `code` is one of these. Codes are stable: clients branch on them, never on `title`.
 */
export const problemCodes = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'INVALID_CREDENTIALS',
  'REFRESH_TOKEN_INVALID',
  'REFRESH_TOKEN_REUSED',
  'SESSION_REVOKED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'DISPOSITION_LIMIT_REACHED',
  'DISPOSITION_ORDER_MISMATCH',
  'NUMBER_ALREADY_ASSIGNED',
  'NUMBER_CLAIMED',
  'NUMBER_RELEASED',
  'NUMBER_RESTORE_WINDOW_PASSED',
  'NUMBER_REQUIRES_SUPPORT',
  'NUMBER_PRICE_MISSING',
  'NUMBER_BUSY',
  'INVALID_PHONE_NUMBER',
  'CALLER_ID_NOT_ALLOWED',
  'IDEMPOTENCY_KEY_REUSED',
  'TWILIO_SIGNATURE_INVALID',
  'TWILIO_NOT_CONFIGURED',
  'TWILIO_REQUEST_FAILED',
  'CALL_NOT_ACTIVE',
  /** An outbound call or transfer to a country the practice's call policy does not allow. */
  'CALL_DESTINATION_NOT_ALLOWED',
  /** The user's outbound calls in the last hour reached the practice's cap. */
  'OUTBOUND_CALL_LIMIT',
  /** An AI agent already has as many actions of this kind as allowed (15 during the call, 1 booking, 25 field updates). */
  'AGENT_ACTION_LIMIT_REACHED',
  'INTEGRATION_NOT_CONFIGURED',
  /** Write with AI: no OpenAI-compatible endpoint is configured on this server (AI_BASE_URL / AI_MODEL). */
  'AI_NOT_CONFIGURED',
  /** Write with AI: the AI endpoint failed, timed out or answered something unusable. */
  'AI_REQUEST_FAILED',
  'SLACK_REQUEST_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const;
export type ProblemCode = (typeof problemCodes)[number];

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.enum(problemCodes),
  detail: z.string().optional(),
  /** Per-field messages for VALIDATION_FAILED. */
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** Seconds until a RATE_LIMITED request may be retried. */
  retryAfterSeconds: z.number().int().optional(),
});
export type Problem = z.infer<typeof problemSchema>;
