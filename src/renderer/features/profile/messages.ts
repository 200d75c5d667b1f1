import type { Refusal, VerificationChannel } from '../../../shared/cloud/twofa';

const time = (iso: string | undefined): string =>
  iso ? new Date(iso).toLocaleString(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' }) : 'a while';

/** One clear sentence per documented failure (help centre: "Troubleshooting the profile phone change"). */
export function refusalText(refusal: Refusal): string {
  switch (refusal.reason) {
    case 'no_channel':
      return 'No verification options available — set up an authenticator app or verify your email first.';
    case 'sms_not_offered':
      return "Don't see SMS? Your current phone isn't verified — use Email or the Authenticator App, or verify the existing number first.";
    case 'daily_limit':
      return `Daily limit reached — you've hit the 5-attempts-per-day limit. Try again after ${time(refusal.retryAt)}. Consider setting up an authenticator app to rely less on SMS.`;
    case 'too_many_failures':
      return `Too many wrong codes — verification is locked until ${time(refusal.retryAt)}. Lost access? Use a backup code, or ask your account admin.`;
    case 'resend_too_soon':
      return `A new code can be requested at ${time(refusal.retryAt)}.`;
    case 'password_invalid':
      return 'That password is not right — enter the password you sign in with.';
    case 'delivery_failed':
      return `Code not sent — ${refusal.message} Check spam/junk and SMS coverage, or choose another channel.`;
    default:
      return refusal.message;
  }
}

export const CHANNEL_LABELS: Record<VerificationChannel, string> = {
  email: 'Email',
  sms: 'Text message (to your existing verified phone)',
  totp: 'Use Authenticator App',
  backup_code: 'Use a backup code (lost access to email and phone)',
};
