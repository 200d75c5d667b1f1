import { z } from 'zod';
import {
  challengeViewSchema,
  codeSchema,
  e164Schema,
  refusalSchema,
  startResultSchema,
  totpBeginRequestSchema,
  totpConfirmRequestSchema,
  totpConfirmResultSchema,
  totpEnrolmentSchema,
  verificationChannelSchema,
  verificationStatusSchema,
} from '../cloud/twofa';

/**
 * IPC channels of the two-factor-protected phone change (issue [2fa]). Merged into `ipcChannels`
 * by contract.ts; the 2FA feature owns this file. Main drives each step against the cloud; domain
 * refusals come back as values (`status: 'refused'`, a reason and a message) so the UI can explain them.
 */

const userIdSchema = z.string().min(1).max(64);
const challengeIdSchema = z.object({ challengeId: z.string().min(1).max(64) });

/** An authenticator enrolment with its QR code, drawn in main (an `image/png` data URL). */
export const totpEnrolmentViewSchema = totpEnrolmentSchema.extend({ qrDataUrl: z.string().startsWith('data:image/png;base64,') });
export type TotpEnrolmentView = z.infer<typeof totpEnrolmentViewSchema>;

export const profileVerifyResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('verified'),
    purpose: z.enum(['phone_change', 'verify_email', 'verify_phone', 'totp_enrol']),
    profile: verificationStatusSchema,
    enrolment: totpEnrolmentViewSchema.optional(),
    held: z.object({ id: z.string(), newPhone: z.string(), appliesAt: z.string() }).optional(),
  }),
  refusalSchema,
]);
export type ProfileVerifyResult = z.infer<typeof profileVerifyResultSchema>;

export const profileTotpBeginResultSchema = z.discriminatedUnion('status', [z.object({ status: z.literal('pending'), enrolment: totpEnrolmentViewSchema }), refusalSchema]);

export const twoFactorChannels = {
  /** The signed-in user's verified channels, or (admins) a team member's. */
  'profile.getVerification': { input: z.object({ userId: userIdSchema.optional() }).optional(), output: verificationStatusSchema },
  /** Starts a phone change: the code goes to the chosen verified channel, never to `newPhone`. */
  'profile.startPhoneChange': {
    input: z.object({ newPhone: e164Schema, channel: verificationChannelSchema, userId: userIdSchema.optional() }),
    output: startResultSchema,
  },
  /** Verifies the profile's own email or current phone in its own right. */
  'profile.startChannelVerification': { input: z.object({ channel: z.enum(['email', 'sms']) }), output: startResultSchema },
  /** A user with a verified channel proves it before enrolling an authenticator. */
  'profile.startTotpStepUp': { input: z.object({ channel: verificationChannelSchema }), output: startResultSchema },
  'profile.resend': { input: challengeIdSchema, output: startResultSchema },
  'profile.verify': { input: challengeIdSchema.extend({ code: codeSchema }), output: profileVerifyResultSchema },
  'profile.cancel': { input: challengeIdSchema, output: z.object({ cancelled: z.boolean() }) },
  /** Authenticator enrolment for a user with no verified channel yet, with the password re-entered (others step up first). */
  'profile.beginTotp': { input: totpBeginRequestSchema, output: profileTotpBeginResultSchema },
  /** Cancels a phone change held for the cooling-off period (one's own, or as an admin a member's). */
  'profile.cancelHeld': { input: z.object({ heldId: z.string().min(1).max(64) }), output: z.object({ cancelled: z.boolean() }) },
  'profile.confirmTotp': { input: totpConfirmRequestSchema, output: totpConfirmResultSchema },
} as const;

export { challengeViewSchema };
