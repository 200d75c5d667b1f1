import { z } from 'zod';
import { recordingActionSchema, transferCallSchema } from '../../shared/cloud/api';
import { twilioTokenResponseSchema } from '../../shared/cloud/auth';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { callActions } from './call-actions';
import { createVoiceAccessToken } from './voice-token';

/** The softphone's Voice token and the in-call actions carried out through Twilio's REST API. */
export const telephonyRoutes: FeatureRoutes = (router, ctx) => {
  const actions = callActions(ctx);
  router.add({
    method: 'POST', url: '/v1/calls/:id/recording', tag: 'telephony', access: 'user', summary: "Pause or resume the call's recording",
    params: idParams, body: recordingActionSchema, response: z.object({ callId: z.string(), recording: z.enum(['paused', 'in-progress']) }),
    handler: ({ principal, params, body }) => actions.setRecording(principal, params.id, body.action),
  });
  router.add({
    method: 'POST', url: '/v1/calls/:id/transfer', tag: 'telephony', access: 'user', summary: 'Cold-transfer the far party to a user or a number',
    params: idParams, body: transferCallSchema, response: z.object({ callId: z.string(), transferred: z.literal(true) }),
    handler: ({ principal, params, body }) => actions.transfer(principal, params.id, body),
  });
  router.add({
    method: 'POST', url: '/v1/calls/:id/voicemail', tag: 'telephony', access: 'user', summary: "Send a ringing call to the number's voicemail",
    params: idParams, response: z.object({ callId: z.string(), voicemail: z.literal(true) }),
    handler: ({ principal, params }) => actions.sendToVoicemail(principal, params.id),
  });
  router.add({
    method: 'POST', url: '/v1/calls/:id/hangup', tag: 'telephony', access: 'user', summary: 'End the call',
    params: idParams, response: z.object({ callId: z.string(), hungUp: z.literal(true) }),
    handler: ({ principal, params }) => actions.hangUp(principal, params.id),
  });
  router.add({
    method: 'POST', url: '/v1/twilio/token', tag: 'telephony', access: 'user', summary: 'A Twilio Voice access token for the softphone (identity = the user)',
    response: twilioTokenResponseSchema,
    handler: async ({ principal }) => createVoiceAccessToken(ctx.config, principal.userId),
  });
};
