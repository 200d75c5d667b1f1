import { z } from 'zod';

/**
 * Wire schemas of the two-factor-protected profile changes (issue [2fa]): the cloud's /v1/2fa
 * routes answer with these, main validates them, and the IPC contract re-uses them for the renderer.
 *
 * Domain refusals (daily limit, wrong code, resend too soon…) are ordinary answers, not errors:
 * `{ status: 'refused', reason, message, retryAt? }`, so every layer can show the exact reason.
 */

/** Rules of the flow; the cloud enforces them, the UI only displays them. */
export const TWO_FACTOR_RULES = {
  codeDigits: 6,
  codeTtlSeconds: 10 * 60,
  resendAfterSeconds: 60,
  maxSendsPerChallenge: 4,
  /** Wrong codes per user in `failureWindowSeconds`; then verification is locked until the oldest ages out. */
  maxFailures: 5,
  failureWindowSeconds: 60 * 60,
  /** Change attempts (challenges started) per user and purpose in a rolling day. */
  maxAttemptsPerDay: 5,
  attemptWindowSeconds: 24 * 60 * 60,
  totpStepSeconds: 30,
  /** TOTP codes are accepted one step either side of now. */
  totpWindowSteps: 1,
  backupCodeCount: 10,
  /**
   * A phone change approved within this many hours of an authenticator app being set up (or
   * replaced) is held until the authenticator is this old; the addresses on file are told.
   */
  coolingOffHours: 24,
} as const;

export const e164Schema = z.string().trim().regex(/^\+[1-9]\d{6,14}$/, 'Use an E.164 number like +14155550123');

/** Where a code can come from. `backup_code` is the lost-access fallback; it is never "sent". */
export const verificationChannelSchema = z.enum(['email', 'sms', 'totp', 'backup_code']);
export type VerificationChannel = z.infer<typeof verificationChannelSchema>;

export const challengePurposeSchema = z.enum(['phone_change', 'verify_email', 'verify_phone', 'totp_enrol']);
export type ChallengePurpose = z.infer<typeof challengePurposeSchema>;

export const refusalReasonSchema = z.enum([
  /** The user has no verified channel: set up TOTP or verify the email first. */
  'no_channel',
  /** The chosen channel is not one of the user's verified channels. */
  'channel_unavailable',
  /** SMS was chosen but the current phone is missing or not verified. */
  'sms_not_offered',
  /** 5 attempts today; `retryAt` is when the limit resets. */
  'daily_limit',
  /** `retryAt` is when a new code can be requested. */
  'resend_too_soon',
  /** This challenge has sent as many codes as it may; start over. */
  'resend_limit',
  /** Too many wrong codes for this user; `retryAt` is when verification unlocks. */
  'too_many_failures',
  'code_invalid',
  'code_expired',
  /** Already verified, cancelled, or superseded. */
  'challenge_closed',
  /** The code could not be delivered (SMTP / Twilio failure). */
  'delivery_failed',
  'same_number',
  /** A user who already has a verified channel must verify before enrolling an authenticator. */
  'step_up_required',
  'totp_not_pending',
  'already_verified',
  /** The password re-entered to set up the first authenticator was wrong (counts as a wrong code). */
  'password_invalid',
  /**
   * The number a code would be texted to (or the new number, which is verified by text) is in a
   * country the practice's call policy does not let its texts reach (Settings → Call policy).
   */
  'destination_not_allowed',
]);
export type RefusalReason = z.infer<typeof refusalReasonSchema>;

export const refusalSchema = z.object({
  status: z.literal('refused'),
  reason: refusalReasonSchema,
  message: z.string(),
  /** ISO time when retrying can succeed (daily limit reset, resend timer, failure lock). */
  retryAt: z.string().optional(),
});
export type Refusal = z.infer<typeof refusalSchema>;

export const challengeViewSchema = z.object({
  id: z.string(),
  purpose: challengePurposeSchema,
  channel: verificationChannelSchema,
  /** The user whose profile the challenge protects (the member, when an admin changes it). */
  targetUserId: z.string(),
  /** Masked destination the code went to (`j•••@glowmedspa.example`, `•••• 0111`), null for TOTP/backup. */
  destination: z.string().nullable(),
  newPhone: z.string().nullable(),
  expiresAt: z.string(),
  /** When a new code may be requested; null when this channel sends nothing (TOTP, backup code). */
  resendAvailableAt: z.string().nullable(),
  sendsLeft: z.number().int().min(0),
  failuresLeft: z.number().int().min(0),
});
export type ChallengeView = z.infer<typeof challengeViewSchema>;

export const verificationStatusSchema = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  emailVerified: z.boolean(),
  phone: z.string().nullable(),
  phoneVerified: z.boolean(),
  totpEnabled: z.boolean(),
  backupCodesLeft: z.number().int().min(0),
  /** Verified channels a code can come from, in the order the modal offers them. */
  channels: z.array(z.enum(['email', 'sms', 'totp'])),
  /** Why SMS is not offered, when it is not. */
  smsUnavailable: z.enum(['no_phone', 'phone_unverified']).nullable(),
  attemptsToday: z.object({ used: z.number().int(), limit: z.number().int(), resetsAt: z.string().nullable() }),
  /** Set while verification is locked after too many wrong codes. */
  lockedUntil: z.string().nullable(),
  /** A phone change waiting out the cooling-off period (cancellable until `appliesAt`). */
  heldPhoneChange: z.object({ id: z.string(), newPhone: z.string(), appliesAt: z.string() }).nullable().default(null),
});
export type VerificationStatus = z.infer<typeof verificationStatusSchema>;

// ---- requests ----

export const startChallengeRequestSchema = z.discriminatedUnion('purpose', [
  z.object({
    purpose: z.literal('phone_change'),
    newPhone: e164Schema,
    channel: verificationChannelSchema,
    /** Admins changing a team member's number; omitted for one's own. */
    targetUserId: z.string().min(1).max(64).optional(),
  }),
  z.object({ purpose: z.literal('verify_email') }),
  z.object({ purpose: z.literal('verify_phone') }),
  z.object({ purpose: z.literal('totp_enrol'), channel: verificationChannelSchema }),
]);
export type StartChallengeRequest = z.infer<typeof startChallengeRequestSchema>;

export const codeSchema = z
  .string()
  .trim()
  .transform((value) => value.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[0-9A-Za-z]{6,16}$/, 'Enter the code you received'));

export const verifyRequestSchema = z.object({ code: codeSchema });
/** Setting up the first authenticator (no verified channel to step up from) needs the password re-entered. */
export const totpBeginRequestSchema = z.object({ password: z.string().min(1, 'Enter your password').max(1024) });
export const totpConfirmRequestSchema = z.object({ code: z.string().trim().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app') });

// ---- results ----

export const startResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('started'), challenge: challengeViewSchema }),
  refusalSchema,
]);
export type StartResult = z.infer<typeof startResultSchema>;

export const totpEnrolmentSchema = z.object({
  /** Base32 secret, shown for manual entry beside the QR code. */
  secret: z.string(),
  otpauthUri: z.string(),
});
export type TotpEnrolment = z.infer<typeof totpEnrolmentSchema>;

export const verifyResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('verified'),
    purpose: challengePurposeSchema,
    /** The protected profile after the change. */
    profile: verificationStatusSchema,
    /** totp_enrol only: the secret to scan, confirmed by `totp/confirm`. */
    enrolment: totpEnrolmentSchema.optional(),
    /** phone_change only: set when the change is held for the cooling-off period instead of applied. */
    held: z.object({ id: z.string(), newPhone: z.string(), appliesAt: z.string() }).optional(),
  }),
  refusalSchema,
]);
export type VerifyResult = z.infer<typeof verifyResultSchema>;

export const totpBeginResultSchema = z.discriminatedUnion('status', [z.object({ status: z.literal('pending'), enrolment: totpEnrolmentSchema }), refusalSchema]);
export type TotpBeginResult = z.infer<typeof totpBeginResultSchema>;

export const totpConfirmResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('enabled'),
    /** Shown once; stored hashed. Each works once. */
    backupCodes: z.array(z.string()),
    profile: verificationStatusSchema,
  }),
  refusalSchema,
]);
export type TotpConfirmResult = z.infer<typeof totpConfirmResultSchema>;

export const twoFactorPaths = {
  status: '/v1/2fa/status',
  memberStatus: (userId: string) => `/v1/2fa/users/${encodeURIComponent(userId)}/status`,
  challenges: '/v1/2fa/challenges',
  resend: (id: string) => `/v1/2fa/challenges/${encodeURIComponent(id)}/resend`,
  verify: (id: string) => `/v1/2fa/challenges/${encodeURIComponent(id)}/verify`,
  cancel: (id: string) => `/v1/2fa/challenges/${encodeURIComponent(id)}/cancel`,
  totpBegin: '/v1/2fa/totp/begin',
  totpConfirm: '/v1/2fa/totp/confirm',
  cancelHeld: (id: string) => `/v1/2fa/held/${encodeURIComponent(id)}/cancel`,
} as const;

/** Masks an email for display: `jordan@x.example` → `j•••@x.example`. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}

/** Masks a phone number for display: `+13105550111` → `•••• 0111`. */
export function maskPhone(phone: string): string {
  return `•••• ${phone.slice(-4)}`;
}
