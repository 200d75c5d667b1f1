// The REST subset under /2010-04-01/Accounts/{AccountSid}, with Twilio's JSON errors.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { stringify } from 'node:querystring';
import type { CallEngine } from '../calls/call-engine';
import { LiveRecordings } from '../calls/live-recordings';
import type { SandboxContext } from '../context';
import { Messaging } from '../messaging/messaging';
import { registerAccountRoutes } from './account-routes';
import { registerAccountKeyRoutes } from './accounts-routes';
import { registerAvailableNumberRoutes } from './available-numbers-routes';
import { registerCallRoutes } from './calls-routes';
import { sendTwilioError, TwilioRestError } from './errors';
import { registerContentRoutes } from './content-routes';
import { registerMessageRoutes } from './messages-routes';
import { registerMessagingServiceRoutes } from './messaging-services-routes';
import { registerNumberRoutes } from './numbers-routes';
import type { RestDeps } from './rest-deps';
import { RestFaults } from './rest-faults';

export function registerRestRoutes(app: FastifyInstance, ctx: SandboxContext, engine: CallEngine): RestDeps {
  const deps: RestDeps = {
    ctx,
    engine,
    liveRecordings: new LiveRecordings(ctx),
    messaging: new Messaging(ctx),
    faults: new RestFaults(),
  };
  // A dropped request gets no answer at all: the socket closes, nothing runs (yet: one carried out
  // later is dropped once its body is read, and kept).
  const carriedOutLater = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/2010-04-01/')) return;
    const dropped = deps.faults.take(req.method, req.url);
    if (!dropped) return;
    if (dropped.carryOutLater) {
      carriedOutLater.add(req);
      return;
    }
    ctx.events.emitEvent('rest.dropped', { method: req.method, url: req.url });
    reply.hijack();
    req.raw.socket.destroy();
  });
  app.addHook('preHandler', async (req, reply) => {
    if (!carriedOutLater.has(req)) return;
    deps.faults.hold({ method: req.method, url: req.url, headers: replayHeaders(req), payload: formBody(req.body) });
    ctx.events.emitEvent('rest.dropped', { method: req.method, url: req.url, carryOutLater: true });
    reply.hijack();
    req.raw.socket.destroy();
  });
  app.setErrorHandler((error, req, reply) => {
    if (error instanceof TwilioRestError) return sendTwilioError(reply, error);
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    ctx.events.emitEvent('rest.error', { url: req.url, error: String(error) });
    return sendTwilioError(reply, new TwilioRestError(status, status === 500 ? 20500 : 20001, error instanceof Error ? error.message : String(error)));
  });
  app.setNotFoundHandler((req, reply) => sendTwilioError(reply, new TwilioRestError(404, 20404, `The requested resource ${req.url} was not found`)));
  registerCallRoutes(app, deps);
  registerNumberRoutes(app, deps);
  registerAvailableNumberRoutes(app, deps);
  registerAccountKeyRoutes(app, deps);
  registerAccountRoutes(app, deps);
  registerMessageRoutes(app, deps);
  registerMessagingServiceRoutes(app, deps);
  registerContentRoutes(app, deps);
  return deps;
}

/** What a held request needs to be sent again: who asked (auth) and how its body is encoded. */
function replayHeaders(req: FastifyRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'content-type', 'user-agent']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** The parsed form body, urlencoded again (repeated fields kept). */
function formBody(body: unknown): string {
  return body && typeof body === 'object' ? stringify(body as Record<string, string | string[]>) : '';
}

/**
 * Runs the requests held by `carryOutLater` drops now, oldest first, as Twilio would finish them
 * (a purchase lands): their answers go nowhere, as the client gave up long ago. How many ran.
 */
export async function carryOutHeldRequests(app: FastifyInstance, deps: RestDeps): Promise<number> {
  const held = deps.faults.takeHeld();
  for (const request of held) {
    const res = await app.inject({ method: request.method as 'POST', url: request.url, headers: request.headers, payload: request.payload });
    deps.ctx.events.emitEvent('rest.carried-out', { method: request.method, url: request.url, status: res.statusCode });
  }
  return held.length;
}
