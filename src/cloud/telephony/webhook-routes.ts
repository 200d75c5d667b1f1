import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CloudContext } from '../context';
import { ApiError } from '../errors';
import { redactUrl } from '../logging';
import type { RealtimeHub } from '../realtime/hub';
import { onCommitted, type ChangeEvent } from '../db/unit-of-work';
import type { CallerLoads } from './caller-loads';
import { twimlContentType } from './twiml';
import { CallbackUrls } from './callback-urls';
import { fallbackAnswerLog, type FallbackAnswer, fallbackCall, fallbackDialDone, LastKnownRoutes } from './fallback';
import { dialComplete, inboundCall, whisper } from './inbound';
import type { InboundCallWriter } from './inbound-writer';
import { outboundCall } from './outbound';
import { recordingCallback } from './recordings';
import { RoutesRefresher } from './routes-refresher';
import { statusCallback } from './status';
import type { VoiceDeps } from './voice-deps';
import {
  dialCompleteParamsSchema, fallbackParamsSchema, inboundParamsSchema, outboundParamsSchema, recordingParamsSchema,
  recordingQuerySchema, statusParamsSchema, unseenCallQuerySchema, webhookPaths,
} from './webhook-params';
import { parseInput } from '../http/problem';
import { validTwilioSignature } from './twilio-signature';

/** The full URL Twilio signed: the public URL plus the path and query it posted to. */
export function signedUrlFor(ctx: CloudContext, request: FastifyRequest): string {
  return ctx.publicUrl().replace(/\/$/, '') + request.url;
}

/**
 * Every Twilio webhook checks X-Twilio-Signature first and the account second (voice here, the
 * messaging status callbacks in messaging/routes.ts).
 */
export function assertTwilioRequest(ctx: CloudContext, request: FastifyRequest): void {
  const params = (request.body ?? {}) as Record<string, string>;
  if (ctx.config.validateTwilioSignatures) {
    const signature = request.headers['x-twilio-signature'];
    if (typeof signature !== 'string' || signature.length === 0) {
      throw new ApiError('TWILIO_SIGNATURE_INVALID', 'Missing X-Twilio-Signature');
    }
    if (!validTwilioSignature(ctx.config.twilio.authToken, signature, signedUrlFor(ctx, request), params)) {
      request.log.warn({ url: redactUrl(request.url) }, 'rejected a webhook with a forged or stale signature');
      throw new ApiError('TWILIO_SIGNATURE_INVALID', 'X-Twilio-Signature does not match');
    }
  }
  if (params.AccountSid !== ctx.config.twilio.accountSid) {
    throw new ApiError('FORBIDDEN', 'Webhook for another Twilio account');
  }
}

/**
 * Twilio's voice webhooks, each checked by assertTwilioRequest.
 * Registered with log level `warn`: no per-request info lines on the hot path; rejected
 * signatures (warn) and failures (error) are still logged.
 */
export async function twilioWebhookRoutes(
  app: FastifyInstance, ctx: CloudContext, hub: RealtimeHub, calls: InboundCallWriter, callers: CallerLoads,
): Promise<void> {
  // Numbers and callers for the inbound webhook, dropped on the change events of every instance.
  const routes = callers.cache;
  const lastKnown = new LastKnownRoutes();
  const refresher = new RoutesRefresher(ctx.db, lastKnown, ctx.log);
  const fallbackAnswers = fallbackAnswerLog((fields, message) => ctx.log.warn(fields, message));
  const applyEvent = (event: ChangeEvent): void => {
    routes.applyEvent(event);
    refresher.applyEvent(event);
  };
  const unsubscribe = [
    hub.subscribe(applyEvent, () => {
      routes.clear();
      refresher.clear();
    }),
    onCommitted(ctx.db, applyEvent),
  ];
  refresher.start();
  // Inbound calls' rows are group-committed: on close, every row already taken is written before the database closes.
  app.addHook('onClose', async () => {
    for (const stop of unsubscribe) stop();
    refresher.close();
    fallbackAnswers.flush();
    await calls.close();
  });
  const voice: VoiceDeps = { ctx, urls: new CallbackUrls(ctx.publicUrl), routes, callers, calls, lastKnown };
  const fallback = { urls: voice.urls, lastKnown, answered: (answer: FallbackAnswer) => fallbackAnswers.note(answer) };

  app.addHook('preHandler', async (request) => assertTwilioRequest(ctx, request));

  const xml = (reply: FastifyReply, body: string): FastifyReply => reply.type(twimlContentType).send(body);
  const callIdQuery = z.object({ callId: z.string().min(1).max(64) });

  app.post(webhookPaths.inbound, async (request, reply) => xml(reply, await inboundCall(voice, parseInput(inboundParamsSchema, request.body, 'body'))));
  app.post(webhookPaths.outbound, async (request, reply) => xml(reply, await outboundCall(voice, parseInput(outboundParamsSchema, request.body, 'body'))));
  app.post(webhookPaths.whisper, async (request, reply) => xml(reply, await whisper(voice, parseInput(callIdQuery, request.query, 'query').callId)));
  app.post(webhookPaths.whisperAccept, async (_request, reply) => xml(reply, '<?xml version="1.0" encoding="UTF-8"?><Response/>'));
  app.post(webhookPaths.dialComplete, async (request, reply) => {
    const { callId } = parseInput(callIdQuery, request.query, 'query');
    return xml(reply, await dialComplete(voice, callId, parseInput(dialCompleteParamsSchema, request.body, 'body')));
  });
  app.post(webhookPaths.fallback, async (request, reply) => xml(reply, fallbackCall(fallback, parseInput(fallbackParamsSchema, request.body, 'body'))));
  app.post(webhookPaths.fallbackDialDone, async (request, reply) => xml(reply, fallbackDialDone(voice.urls, parseInput(dialCompleteParamsSchema, request.body, 'body'))));
  app.post(webhookPaths.voicemailDone, async (_request, reply) => xml(reply, '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>'));
  app.post(webhookPaths.status, async (request, reply) => {
    await statusCallback(voice, parseInput(statusParamsSchema, request.body, 'body'), parseInput(unseenCallQuerySchema, request.query, 'query'));
    return reply.status(204).send();
  });
  app.post(webhookPaths.recording, async (request, reply) => {
    const query = parseInput(recordingQuerySchema, request.query, 'query');
    await recordingCallback(voice, parseInput(recordingParamsSchema, request.body, 'body'), query);
    return reply.status(204).send();
  });
}
