import type { RefusalReason, VerificationChannel } from '../../shared/cloud/twofa';

/**
 * The pure rules of which channel may carry a code. No I/O: the service loads the facts, asks
 * here, and carries out the answer. Table-tested exhaustively in `policy.test.ts`.
 */

/** What is verified on a profile right now (addresses count only while they equal the profile's). */
export interface ChannelFacts {
  emailVerified: boolean;
  phoneVerified: boolean;
  totpEnabled: boolean;
  backupCodesLeft: number;
}

/** Which senders this server has (no SMTP: email is never offered). */
export interface Senders {
  email: boolean;
  sms: boolean;
}

export type CodeChannel = 'email' | 'sms' | 'totp';

/** The channels a step-up code may come from, in the order the UI offers them. */
export function offeredChannels(facts: ChannelFacts, senders: Senders): CodeChannel[] {
  const channels: CodeChannel[] = [];
  if (facts.emailVerified && senders.email) channels.push('email');
  if (facts.phoneVerified && senders.sms) channels.push('sms');
  if (facts.totpEnabled) channels.push('totp');
  return channels;
}

export type ChallengeRequest =
  | { purpose: 'phone_change'; channel: VerificationChannel; newPhone: string }
  | { purpose: 'totp_enrol'; channel: VerificationChannel }
  | { purpose: 'verify_email' }
  | { purpose: 'verify_phone' };

export interface ChannelChoiceInput {
  request: ChallengeRequest;
  profile: { email: string; phone: string | null };
  facts: ChannelFacts;
  senders: Senders;
}

export type ChannelChoice =
  | { ok: true; channel: VerificationChannel; destination: string | null }
  | { ok: false; reason: RefusalReason; message: string };

const refuse = (reason: RefusalReason, message: string): ChannelChoice => ({ ok: false, reason, message });

const channelName: Record<VerificationChannel, string> = {
  email: 'Email',
  sms: 'Text message',
  totp: 'Authenticator app',
  backup_code: 'A backup code',
};

/**
 * Where the code for a new challenge goes, or why none can be started. A step-up (phone change,
 * authenticator enrolment) uses an already verified channel chosen by the user; verifying the
 * email or the phone sends to the profile's own current address. A code never goes to a number
 * named in the request.
 */
export function chooseChannel({ request, profile, facts, senders }: ChannelChoiceInput): ChannelChoice {
  switch (request.purpose) {
    case 'phone_change':
    case 'totp_enrol': {
      if (request.purpose === 'phone_change' && request.newPhone === profile.phone) {
        return refuse('same_number', 'That is already the number on this profile.');
      }
      const offered = offeredChannels(facts, senders);
      if (offered.length === 0 && facts.backupCodesLeft === 0) {
        return refuse('no_channel', 'No verification options available: set up an authenticator app or verify your email first.');
      }
      const channel = request.channel;
      if (channel === 'sms' && !offered.includes('sms')) {
        return refuse(
          'sms_not_offered',
          profile.phone
            ? 'The current phone is not verified: use email or the authenticator app, or verify the existing number first.'
            : 'There is no phone on this profile to text a code to: use email or the authenticator app.',
        );
      }
      if (channel === 'backup_code' ? facts.backupCodesLeft === 0 : !offered.includes(channel)) {
        return refuse('channel_unavailable', `${channelName[channel]} is not a verified channel on this profile.`);
      }
      const destination = channel === 'email' ? profile.email : channel === 'sms' ? profile.phone : null;
      return { ok: true, channel, destination };
    }
    case 'verify_email':
      if (facts.emailVerified) return refuse('already_verified', 'This email address is already verified.');
      if (!senders.email) return refuse('channel_unavailable', 'Email cannot be sent from this server.');
      return { ok: true, channel: 'email', destination: profile.email };
    case 'verify_phone':
      if (!profile.phone) return refuse('sms_not_offered', 'There is no phone number on this profile to verify.');
      if (facts.phoneVerified) return refuse('already_verified', 'This phone number is already verified.');
      if (!senders.sms) return refuse('channel_unavailable', 'Text messages cannot be sent from this server.');
      // The profile's own current number, verified in its own right; never a number from the request.
      return { ok: true, channel: 'sms', destination: profile.phone };
  }
}

/** Whether a purpose's code is sent (email/SMS) rather than read from an app or a backup sheet. */
export const isSentChannel = (channel: VerificationChannel): channel is 'email' | 'sms' => channel === 'email' || channel === 'sms';
