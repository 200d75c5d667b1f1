import { agentRelayRoutes } from '../agents/relay-routes';
import { agentRoutes } from '../agents/routes';
import { aiRoutes } from '../ai/routes';
import { callPolicyRoutes } from '../call-policy/routes';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { accountRoutes } from '../accounts/routes';
import { appointmentRoutes } from '../appointments/routes';
import { automationRoutes } from '../automation/routes';
import { builderRoutes } from '../automation/builder-routes';
import { testSendRoutes } from '../automation/test-sends';
import { authRoutes } from '../auth/routes';
import { callRoutes } from '../calls/routes';
import { contactRoutes } from '../contacts/routes';
import type { CloudContext } from '../context';
import type { SecretPathParams } from '../logging';
import { schemaVersion } from '../db';
import { dispositionRoutes } from '../dispositions/routes';
import { mediaRoutes } from '../media/routes';
import { messagingRoutes } from '../messaging/routes';
import { inboundEmailRoutes } from '../messaging/inbound-email-routes';
import { whatsAppRoutes } from '../messaging/whatsapp-routes';
import { reputationRoutes } from '../reputation/routes';
import { notificationRoutes } from '../notifications/routes';
import { numberRoutes } from '../numbers/routes';
import type { RealtimeHub } from '../realtime/hub';
import { realtimeRoutes, realtimeTicketRoutes } from '../realtime/routes';
import { reportingRoutes } from '../reporting/routes';
import { sendingDomainRoutes } from '../sending-domains/routes';
import { slackRoutes } from '../slack/routes';
import { syncRoutes } from '../sync/routes';
import { teamRoutes } from '../teams/routes';
import { templateRoutes } from '../templates/routes';
import { triggerLinkRoutes } from '../trigger-links/routes';
import { taskRoutes } from '../tasks/routes';
import { telephonyRoutes } from '../telephony/api-routes';
import { CallerLoads } from '../telephony/caller-loads';
import { InboundCallWriter } from '../telephony/inbound-writer';
import { RoutingCache } from '../telephony/routing-cache';
import { twilioWebhookRoutes } from '../telephony/webhook-routes';
import { workflowCallWebhooks } from '../automation/call-webhooks';
import { admissionLimits, admissionStats, installAdmission, type Admission } from './admission';
import { openApiDocument } from './openapi';
import { errorHandler, problemFor, sendProblem } from './problem';
import { ApiRouter, type FeatureRoutes } from './router';
import { WITHOUT_JSON_SCHEMAS } from '../../shared/http/without-json-schemas';

/** Content types read as raw bytes (a Buffer) for `rawBody` routes: files and raw emails, never JSON. */
export const RAW_BODY_TYPES = /^(application\/octet-stream|application\/pdf|audio\/[\w.+-]+|image\/[\w.+-]+|text\/csv|message\/rfc822)(;.*)?$/;

export interface AppState {
  /** False once shutdown began: /readyz fails so load balancers stop sending traffic. */
  accepting: boolean;
}

/** Every feature's JSON routes. A new feature folder adds its `routes.ts` export here. */
const FEATURES: readonly FeatureRoutes[] = [
  authRoutes,
  accountRoutes,
  syncRoutes,
  realtimeTicketRoutes,
  dispositionRoutes,
  callRoutes,
  telephonyRoutes,
  callPolicyRoutes,
  contactRoutes,
  numberRoutes,
  notificationRoutes,
  automationRoutes,
  builderRoutes,
  testSendRoutes,
  templateRoutes,
  triggerLinkRoutes,
  mediaRoutes,
  slackRoutes,
  sendingDomainRoutes,
  messagingRoutes,
  inboundEmailRoutes,
  whatsAppRoutes,
  teamRoutes,
  reportingRoutes,
  reputationRoutes,
  appointmentRoutes,
  taskRoutes,
  agentRoutes,
  aiRoutes,
];

export interface BuiltApp {
  app: FastifyInstance;
  router: ApiRouter;
  admission: Admission;
  /** The inbound webhook's group-commit writer (its batch figures are in /readyz). */
  inboundCalls: InboundCallWriter;
}

/**
 * The HTTP server: plugins, error handling, health, every feature's routes, the realtime socket and
 * the webhooks. Building it reads neither the database nor the keys (startCloud builds it while the
 * database may still be opening); two-factor's routes are added by startCloud once the keys are loaded.
 */
export async function buildApp(
  ctx: CloudContext,
  hub: RealtimeHub,
  log: Logger,
  state: AppState,
  /** The logger's list of secret path parameters, which the route table fills. */
  secretPaths: SecretPathParams,
): Promise<BuiltApp> {
  const app = Fastify({
    loggerInstance: log,
    // X-Forwarded-For only from configured proxies (TRUST_PROXY); otherwise the TCP peer is the client.
    trustProxy: ctx.config.trustProxy.length > 0 ? ctx.config.trustProxy : false,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    schemaController: WITHOUT_JSON_SCHEMAS,
    // No HEAD twin for every GET: each route is three functions compiled by the router, and the API's
    // ~70 GETs are read by the desktop and the admin pages only (issue #21: route tables are on the
    // way to "Ready for calls"). Public links and the health checks keep theirs (ApiRouter, below).
    exposeHeadRoutes: false,
  }) as unknown as FastifyInstance;
  app.setErrorHandler(errorHandler);
  // Before anything else: a request over its class's limit is refused before its body is read.
  const admission = installAdmission(app, admissionLimits(ctx.db.kind, ctx.config.load));
  const inboundCalls = new InboundCallWriter(ctx.db);
  // The inbound webhook's numbers and callers, and its coalesced caller lookups.
  const callerLookups = new CallerLoads(new RoutingCache());
  app.setNotFoundHandler((request, reply) => sendProblem(reply, problemFor('NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0]}`)));

  // Twilio posts application/x-www-form-urlencoded; keep every value as a string, as Twilio sent it.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  // Uploads (the media library) arrive as raw bytes; only routes declared `rawBody` accept them.
  app.addContentTypeParser(RAW_BODY_TYPES, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  app.get('/healthz', { exposeHeadRoute: true }, async () => ({ status: 'ok' }));
  app.get('/readyz', { exposeHeadRoute: true }, async (_request, reply) => {
    if (!state.accepting) return sendProblem(reply, problemFor('SERVICE_UNAVAILABLE', 'Shutting down'));
    try {
      const version = await schemaVersion(ctx.db);
      return { status: 'ready', database: ctx.db.kind, schemaVersion: version, realtimeConnections: hub.connectionCount, admission: admissionStats(admission), inboundCalls: inboundCalls.stats, callerLookups: callerLookups.stats };
    } catch (error) {
      log.warn({ err: error }, 'readiness check failed');
      return sendProblem(reply, problemFor('SERVICE_UNAVAILABLE', 'Database not reachable'));
    }
  });

  const router = new ApiRouter(app, ctx, secretPaths);
  for (const routes of FEATURES) routes(router, ctx);
  let openApi: unknown;
  app.get('/v1/openapi.json', async () => (openApi ??= openApiDocument(router.routes, { version: String(await schemaVersion(ctx.db)) })));

  await app.register(async (scope) => realtimeRoutes(scope, ctx, hub));
  // Webhooks are the hot path: no per-request info lines (warnings and errors stay). Only ever
  // quieter than the configured level, never louder.
  const webhookLogging: { logLevel?: 'warn' } = log.levelVal < log.levels.values.warn! ? { logLevel: 'warn' } : {};
  await app.register(async (scope) => twilioWebhookRoutes(scope, ctx, hub, inboundCalls, callerLookups), webhookLogging);
  await app.register(async (scope) => workflowCallWebhooks(scope, ctx), webhookLogging);
  await app.register(async (scope) => agentRelayRoutes(scope, ctx), webhookLogging);
  return { app, router, admission, inboundCalls };
}
