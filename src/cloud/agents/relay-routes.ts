import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { z } from 'zod';
import type { CloudContext } from '../context';
import { ApiError } from '../errors';
import { parseInput } from '../http/problem';
import { CallbackUrls } from '../telephony/callback-urls';
import * as twiml from '../telephony/twiml';
import { voicemailTwiml } from '../telephony/voicemail';
import { assertTwilioRequest } from '../telephony/webhook-routes';
import { agentPaths } from './answer';
import { createBrain } from './create-brain';
import { runRelaySession } from './session';

/**
 * The ConversationRelay side of the agents: the WebSocket Twilio opens (its handshake signed with
 * X-Twilio-Signature over the URL) and the `<Connect action>` Twilio requests when the session
 * ends. A session that failed (Twilio could not reach the socket) falls back to voicemail, never
 * to silence.
 */
export async function agentRelayRoutes(app: FastifyInstance, ctx: CloudContext): Promise<void> {
  const brain = createBrain(ctx.config.ai);
  const urls = new CallbackUrls(ctx.publicUrl);

  const checkHandshake = async (request: FastifyRequest): Promise<void> => {
    if (!brain) throw new ApiError('SERVICE_UNAVAILABLE', 'No AI brain is configured');
    if (!ctx.config.validateTwilioSignatures) return;
    const signature = request.headers['x-twilio-signature'];
    const url = ctx.publicUrl().replace(/\/$/, '').replace(/^http/, 'ws') + request.url;
    if (typeof signature !== 'string' || !validateRequest(ctx.config.twilio.authToken, signature, url, {})) {
      throw new ApiError('TWILIO_SIGNATURE_INVALID', 'X-Twilio-Signature does not match');
    }
  };
  app.get(agentPaths.relay, { websocket: true, preHandler: checkHandshake }, (socket) => {
    runRelaySession(ctx, brain!, socket);
  });

  app.post(agentPaths.done, { preHandler: async (request) => assertTwilioRequest(ctx, request) }, async (request, reply) => {
    const { callId } = parseInput(z.object({ callId: z.string().min(1).max(64) }), request.query, 'query');
    const body = parseInput(z.object({ SessionStatus: z.string().default('completed') }).passthrough(), request.body, 'body');
    reply.type(twiml.twimlContentType);
    if (body.SessionStatus === 'failed') {
      ctx.log.warn({ callId }, 'ConversationRelay session failed; the caller goes to voicemail');
      return voicemailTwiml(urls, { callId });
    }
    return twiml.hangUp();
  });
}
