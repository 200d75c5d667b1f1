import type { SoftphoneBridge } from '../../../shared/ipc';
import type { VerificationChannel } from '../../../shared/cloud/twofa';
import { getBridge } from '../../bridge';

type Profile = SoftphoneBridge['profile'];
const profile = (): Profile => getBridge().profile;

/**
 * The 2FA profile flows, one call to main each. Main holds the challenge and its limits; every
 * result comes back as it is (a refusal is a value the screen explains, a failure an IpcResult error).
 */

/** The verified channels and limits of my profile, or (admins) of a team member's. */
export const loadVerification = (userId: string | null): ReturnType<Profile['getVerification']> =>
  profile().getVerification(userId ? { userId } : undefined);

export const startChannelVerification = (channel: 'email' | 'sms'): ReturnType<Profile['startChannelVerification']> =>
  profile().startChannelVerification({ channel });

/** Starts the 2FA-protected phone change (a team member's, for an admin, when `userId` is given). */
export const startPhoneChange = (newPhone: string, channel: VerificationChannel, userId: string | null): ReturnType<Profile['startPhoneChange']> =>
  profile().startPhoneChange({ newPhone, channel, ...(userId ? { userId } : {}) });

export const startTotpStepUp = (channel: VerificationChannel): ReturnType<Profile['startTotpStepUp']> => profile().startTotpStepUp({ channel });

/** The first authenticator (no verified channel yet): the password re-entered is the proof. */
export const beginTotp = (password: string): ReturnType<Profile['beginTotp']> => profile().beginTotp({ password });

export const cancelHeldPhoneChange = (heldId: string): ReturnType<Profile['cancelHeld']> => profile().cancelHeld({ heldId });

export const confirmTotpCode = (code: string): ReturnType<Profile['confirmTotp']> => profile().confirmTotp({ code });

export const verifyCode = (challengeId: string, code: string): ReturnType<Profile['verify']> => profile().verify({ challengeId, code });

export const resendCode = (challengeId: string): ReturnType<Profile['resend']> => profile().resend({ challengeId });

export const cancelChallenge = (challengeId: string): void => void profile().cancel({ challengeId });
