import {
  startChallengeRequestSchema, startResultSchema, totpBeginRequestSchema, totpBeginResultSchema, totpConfirmRequestSchema, totpConfirmResultSchema,
  verificationStatusSchema, verifyRequestSchema, verifyResultSchema,
} from '../../shared/cloud/twofa';
import { z } from 'zod';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import type { TwoFactorService } from './service';

/** /v1/2fa/*: every route signed in; domain refusals are 200 answers with `status: 'refused'`. */
export const twoFactorRoutes = (service: TwoFactorService): FeatureRoutes => (router) => {
  const tag = 'twofa';
  router.add({
    method: 'GET', url: '/v1/2fa/status', tag, access: 'user', summary: 'Your verification channels and limits', response: verificationStatusSchema,
    handler: ({ principal }) => service.status(principal),
  });
  router.add({
    method: 'GET', url: '/v1/2fa/users/:id/status', tag, access: 'user', summary: "A member's channels (admins; or your own)",
    params: idParams, response: verificationStatusSchema,
    handler: ({ principal, params }) => service.status(principal, params.id),
  });
  router.add({
    method: 'POST', url: '/v1/2fa/challenges', tag, access: 'user', summary: 'Start a verification (phone change, verify email/phone, authenticator enrolment)',
    body: startChallengeRequestSchema, response: startResultSchema,
    handler: ({ principal, body }) => service.start(principal, body),
  });
  router.add({
    method: 'POST', url: '/v1/2fa/challenges/:id/resend', tag, access: 'user', summary: 'Send a new code',
    params: idParams, response: startResultSchema,
    handler: ({ principal, params }) => service.resend(principal, params.id),
  });
  router.add({
    method: 'POST', url: '/v1/2fa/challenges/:id/verify', tag, access: 'user', summary: 'Enter the code; on success the change is applied',
    params: idParams, body: verifyRequestSchema, response: verifyResultSchema,
    handler: ({ principal, params, body }) => service.verify(principal, params.id, body.code),
  });
  router.add({
    method: 'POST', url: '/v1/2fa/challenges/:id/cancel', tag, access: 'user', summary: 'Cancel an open verification',
    params: idParams, response: z.object({ cancelled: z.boolean() }),
    handler: ({ principal, params }) => service.cancel(principal, params.id),
  });
  router.add({
    method: 'POST', url: '/v1/2fa/totp/begin', tag, access: 'user', summary: 'Begin authenticator enrolment (no verified channel yet): the password re-entered',
    body: totpBeginRequestSchema, response: totpBeginResultSchema,
    handler: ({ principal, body }) => service.totpBegin(principal, body.password),
  });
  router.add({
    method: 'POST', url: '/v1/2fa/totp/confirm', tag, access: 'user', summary: 'Confirm the authenticator with its first code',
    body: totpConfirmRequestSchema, response: totpConfirmResultSchema,
    handler: ({ principal, body }) => service.totpConfirm(principal, body.code),
  });
  router.add({
    method: 'POST', url: '/v1/2fa/held/:id/cancel', tag, access: 'user', summary: 'Cancel a phone change held for the cooling-off period (yours, or as an admin a member\'s)',
    params: idParams, response: z.object({ cancelled: z.boolean() }),
    handler: ({ principal, params }) => service.cancelHeld(principal, params.id),
  });
};
