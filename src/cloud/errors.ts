import type { ProblemCode } from '../shared/cloud/problem';

const statusByCode: Record<ProblemCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  REFRESH_TOKEN_INVALID: 401,
  REFRESH_TOKEN_REUSED: 401,
  SESSION_REVOKED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  DISPOSITION_LIMIT_REACHED: 409,
  DISPOSITION_ORDER_MISMATCH: 409,
  NUMBER_ALREADY_ASSIGNED: 409,
  NUMBER_CLAIMED: 409,
  NUMBER_RELEASED: 409,
  NUMBER_RESTORE_WINDOW_PASSED: 409,
  NUMBER_REQUIRES_SUPPORT: 422,
  NUMBER_PRICE_MISSING: 422,
  NUMBER_BUSY: 409,
  INVALID_PHONE_NUMBER: 400,
  CALLER_ID_NOT_ALLOWED: 403,
  IDEMPOTENCY_KEY_REUSED: 409,
  TWILIO_SIGNATURE_INVALID: 403,
  TWILIO_NOT_CONFIGURED: 503,
  TWILIO_REQUEST_FAILED: 502,
  CALL_NOT_ACTIVE: 409,
  CALL_DESTINATION_NOT_ALLOWED: 403,
  OUTBOUND_CALL_LIMIT: 429,
  AGENT_ACTION_LIMIT_REACHED: 409,
  INTEGRATION_NOT_CONFIGURED: 503,
  AI_NOT_CONFIGURED: 409,
  AI_REQUEST_FAILED: 502,
  SLACK_REQUEST_FAILED: 502,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** A failure meant for the client: becomes an application/problem+json response with `code`. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly extra: { errors?: { path: string; message: string }[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = statusByCode[code];
  }
}

export const statusForCode = (code: ProblemCode): number => statusByCode[code];

export const notFound = (what: string): ApiError => new ApiError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'Only account admins can do this'): ApiError => new ApiError('FORBIDDEN', message);

/** PostgreSQL unique violation (23505), whichever driver raised it. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e?.code !== '23505') return false;
  return constraint === undefined || e.constraint === constraint || (e.message ?? '').includes(constraint);
}
