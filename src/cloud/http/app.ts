import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { CloudContext } from '../context';
import { schemaVersion } from '../db';
import type { RealtimeHub } from '../realtime/hub';
import { errorHandler, problemFor, sendProblem } from './problem';
import { apiRoutes } from './routes-api';
import { realtimeRoutes } from './routes-realtime';
import { twilioWebhookRoutes } from './routes-twilio';

export interface AppState {
  /** False once shutdown began: /readyz fails so load balancers stop sending traffic. */
  accepting: boolean;
}

export async function buildApp(ctx: CloudContext, hub: RealtimeHub, log: Logger, state: AppState): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: log,
    trustProxy: true,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => sendProblem(reply, problemFor('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`)));

  // Twilio posts application/x-www-form-urlencoded; keep every value as a string, as Twilio sent it.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (!state.accepting) return sendProblem(reply, problemFor('SERVICE_UNAVAILABLE', 'Shutting down'));
    try {
      const version = await schemaVersion(ctx.db);
      return { status: 'ready', database: ctx.db.kind, schemaVersion: version, realtimeConnections: hub.connectionCount };
    } catch (error) {
      log.warn({ err: error }, 'readiness check failed');
      return sendProblem(reply, problemFor('SERVICE_UNAVAILABLE', 'Database not reachable'));
    }
  });

  await app.register(async (scope) => apiRoutes(scope, ctx));
  await app.register(async (scope) => realtimeRoutes(scope, ctx, hub));
  // Webhooks are the hot path: no per-request info lines (warnings and errors stay). Only ever
  // quieter than the configured level, never louder.
  const webhookLogging: { logLevel?: 'warn' } = log.levelVal < log.levels.values.warn! ? { logLevel: 'warn' } : {};
  await app.register(async (scope) => twilioWebhookRoutes(scope, ctx, hub), webhookLogging);
  return app as unknown as FastifyInstance;
}
