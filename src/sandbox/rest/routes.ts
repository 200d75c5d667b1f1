// The REST subset under /2010-04-01/Accounts/{AccountSid}, with Twilio's JSON errors.
import type { FastifyInstance } from 'fastify';
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
  // A dropped request gets no answer at all: the socket closes, nothing runs.
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/2010-04-01/') || !deps.faults.take(req.method, req.url)) return;
    ctx.events.emitEvent('rest.dropped', { method: req.method, url: req.url });
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
