import { z } from 'zod';
import type { TotpEnrolmentView } from '../../../shared/ipc/contract-2fa';
import {
  startResultSchema,
  totpBeginResultSchema,
  totpConfirmResultSchema,
  twoFactorPaths,
  verificationStatusSchema,
  verifyResultSchema,
  type StartChallengeRequest,
  type TotpEnrolment,
} from '../../../shared/cloud/twofa';
import type { CloudApi } from '../../cloud-client/cloud-client';
import { viaCloud } from '../via-cloud';
import type { NamespaceHandlers } from '../router';
import type { SessionService } from '../../session/session-service';

export interface TwoFactorHandlerDeps {
  session: Pick<SessionService, 'authed'>;
  api: Pick<CloudApi, 'call'>;
}

/**
 * The QR code an authenticator app scans, drawn here so the renderer only shows an image. qrcode
 * (with pngjs) loads on the first enrolment, not at start: ~65 ms of CPU nothing before "Ready for calls" uses.
 */
export async function withQrCode(enrolment: TotpEnrolment): Promise<TotpEnrolmentView> {
  const { default: QRCode } = await import('qrcode');
  const qrDataUrl = await QRCode.toDataURL(enrolment.otpauthUri, { errorCorrectionLevel: 'M', margin: 1, width: 220 });
  return { ...enrolment, qrDataUrl };
}

/**
 * Main drives the 2FA profile flow against the cloud's /v1/2fa routes with the session's token.
 * Refusals are values; transport and auth failures become bridge errors with the cloud's code.
 */
export function profileHandlers(deps: TwoFactorHandlerDeps): NamespaceHandlers<'profile'> {
  const call = async <S extends z.ZodType>(method: 'GET' | 'POST', path: string, body: unknown, schema: S): Promise<z.output<S>> => {
    return viaCloud(() => deps.session.authed((token) => deps.api.call(token, method, path, body, schema)), {
      unreachable: 'The cloud cannot be reached: verification needs a connection. Try again when you are online.',
    });
  };
  const start = (request: StartChallengeRequest) => call('POST', twoFactorPaths.challenges, request, startResultSchema);

  return {
    'profile.getVerification': (input) =>
      call('GET', input?.userId ? twoFactorPaths.memberStatus(input.userId) : twoFactorPaths.status, undefined, verificationStatusSchema),
    'profile.startPhoneChange': ({ newPhone, channel, userId }) => start({ purpose: 'phone_change', newPhone, channel, ...(userId ? { targetUserId: userId } : {}) }),
    'profile.startChannelVerification': ({ channel }) => start({ purpose: channel === 'email' ? 'verify_email' : 'verify_phone' }),
    'profile.startTotpStepUp': ({ channel }) => start({ purpose: 'totp_enrol', channel }),
    'profile.resend': ({ challengeId }) => call('POST', twoFactorPaths.resend(challengeId), undefined, startResultSchema),
    'profile.verify': async ({ challengeId, code }) => {
      const result = await call('POST', twoFactorPaths.verify(challengeId), { code }, verifyResultSchema);
      if (result.status !== 'verified') return result;
      const { enrolment, ...verified } = result;
      return enrolment ? { ...verified, enrolment: await withQrCode(enrolment) } : verified;
    },
    'profile.cancel': ({ challengeId }) => call('POST', twoFactorPaths.cancel(challengeId), undefined, z.object({ cancelled: z.boolean() })),
    'profile.beginTotp': async ({ password }) => {
      const result = await call('POST', twoFactorPaths.totpBegin, { password }, totpBeginResultSchema);
      return result.status === 'pending' ? { status: 'pending', enrolment: await withQrCode(result.enrolment) } : result;
    },
    'profile.confirmTotp': ({ code }) => call('POST', twoFactorPaths.totpConfirm, { code }, totpConfirmResultSchema),
    'profile.cancelHeld': ({ heldId }) => call('POST', twoFactorPaths.cancelHeld(heldId), undefined, z.object({ cancelled: z.boolean() })),
  };
}
