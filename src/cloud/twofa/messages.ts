import { TWO_FACTOR_RULES as RULES, maskEmail, maskPhone, type ChallengePurpose, type VerificationChannel } from '../../shared/cloud/twofa';

/** The words of every code and notice the two-factor flows send. Pure. */

/** A message to deliver once the transaction that decided it has committed. */
export interface Delivery {
  channel: 'email' | 'sms';
  to: string;
  subject: string;
  body: string;
  /** What the audit log calls it. */
  kind: 'code' | 'change_notice';
  challengeId: string | null;
}

const purposeLabel: Record<ChallengePurpose, string> = {
  phone_change: 'change the phone number on your profile',
  verify_email: 'verify your email address',
  verify_phone: 'verify your phone number',
  totp_enrol: 'set up an authenticator app',
};

export function codeMessage(channel: 'email' | 'sms', to: string, code: string, purpose: ChallengePurpose, challengeId: string): Delivery {
  const minutes = RULES.codeTtlSeconds / 60;
  return channel === 'email'
    ? {
        channel,
        to,
        subject: 'Your Aesthetix verification code',
        body: `Your Aesthetix verification code is ${code}\n\nUse it to ${purposeLabel[purpose]}. It expires in ${minutes} minutes and works once.\nIf you did not ask for it, ignore this email and tell your account admin.`,
        kind: 'code',
        challengeId,
      }
    : { channel, to, subject: '', body: `Aesthetix code: ${code}. Use it to ${purposeLabel[purpose]}; it expires in ${minutes} min. Never share it.`, kind: 'code', challengeId };
}

/** What the owner is told after the profile phone changed (in-app, and to the channels verified before). */
export function phoneChangedText(oldPhone: string | null, newPhone: string, now: number, byAdminName: string | null): string {
  const when = new Date(now).toISOString().slice(0, 16).replace('T', ' ');
  return `The phone number on your Aesthetix profile was changed${oldPhone ? ` from ${maskPhone(oldPhone)}` : ''} to ${maskPhone(newPhone)} on ${when} UTC${byAdminName ? ` by ${byAdminName}` : ''}. If you did not ask for this, contact your account admin now.`;
}

/** A destination as the client and the audit log may see it. */
export function mask(channel: VerificationChannel, destination: string | null): string | null {
  if (!destination) return null;
  return channel === 'email' ? maskEmail(destination) : maskPhone(destination);
}
