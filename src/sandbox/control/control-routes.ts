// The control API over HTTP (same port, /sandbox/…), for the CLI, other processes and the
// desktop's "simulate a caller". Basic auth with the account's credentials; zod-validated bodies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { partyBehaviourSchema } from '../calls/behaviour';
import { registerInventoryRoutes } from './inventory-routes';
import { registerMessagingControlRoutes } from './messaging-routes';
import { inboundCallSchema, type SandboxControl } from './sandbox-control';

const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stop-heartbeats') }),
  z.object({ kind: z.literal('resume-heartbeats') }),
  z.object({ kind: z.literal('drop-signaling'), identity: z.string().optional() }),
  z.object({ kind: z.literal('expire-tokens'), identity: z.string().optional() }),
  z.object({ kind: z.literal('kill-media'), callSid: z.string() }),
  z.object({ kind: z.literal('delay-webhook'), urlIncludes: z.string(), delayMs: z.number().int().min(0).max(120_000) }),
  z.object({ kind: z.literal('fail-webhook'), urlIncludes: z.string(), times: z.number().int().min(1).max(100) }),
  z.object({
    kind: z.literal('drop-rest'), pathIncludes: z.string().min(1), method: z.enum(['GET', 'POST', 'DELETE']).optional(), times: z.number().int().min(1).max(100),
    carryOutLater: z.boolean().optional(),
  }),
  z.object({ kind: z.literal('carry-out-dropped') }),
  z.object({ kind: z.literal('clear') }),
]);

const numberSchema = z.object({
  phoneNumber: z.string().regex(/^\+[1-9]\d{6,14}$/),
  friendlyName: z.string().optional(),
  voiceUrl: z.url().optional(),
  voiceFallbackUrl: z.url().optional(),
  voiceFallbackMethod: z.enum(['GET', 'POST']).optional(),
  statusCallback: z.url().optional(),
  voiceApplicationSid: z.string().optional(),
  smsUrl: z.url().optional(),
  capabilities: z.object({ voice: z.boolean(), sms: z.boolean(), mms: z.boolean(), fax: z.boolean() }).optional(),
  whatsapp: z.boolean().optional(),
});
const applicationSchema = z.object({
  friendlyName: z.string().optional(),
  voiceUrl: z.url(),
  voiceFallbackUrl: z.url().optional(),
  voiceFallbackMethod: z.enum(['GET', 'POST']).optional(),
  statusCallback: z.url().optional(),
});
const tokenSchema = z.object({ identity: z.string().min(1), ttlSeconds: z.number().int().optional(), outgoingApplicationSid: z.string().optional(), incomingAllow: z.boolean().optional() });
const hangupSchema = z.object({ by: z.enum(['party', 'twilio']).default('party') });

export type TokenMinter = (identity: string, opts: { ttlSeconds?: number; outgoingApplicationSid?: string; incomingAllow?: boolean }) => string;

/** Control routes need basic auth with the sandbox's AccountSid:AuthToken. */
export function controlGuard(credentials: { accountSid: string; authToken: string }): (req: FastifyRequest, reply: FastifyReply) => boolean {
  const expected = `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}`;
  return (req, reply) => {
    if (req.headers.authorization === expected) return true;
    void reply.code(401).send({ error: 'control API needs basic auth with the sandbox AccountSid:AuthToken' });
    return false;
  };
}

export function registerControlRoutes(app: FastifyInstance, control: SandboxControl, credentials: { accountSid: string; authToken: string }, mintToken: TokenMinter): void {
  const guard = controlGuard(credentials);
  const run = <T>(reply: FastifyReply, action: () => T): T | FastifyReply => {
    try {
      return action();
    } catch (error) {
      const message = error instanceof z.ZodError ? z.prettifyError(error) : error instanceof Error ? error.message : String(error);
      return reply.code(400).send({ error: message });
    }
  };
  const sid = (req: FastifyRequest): string => (req.params as { sid: string }).sid;
  registerInventoryRoutes(app, control.inventory, guard);

  app.post('/sandbox/calls', async (req, reply) => guard(req, reply) && run(reply, () => ({ callSid: control.placeInboundCall(inboundCallSchema.parse(req.body)) })));
  app.get('/sandbox/calls', async (req, reply) => guard(req, reply) && control.calls());
  app.get('/sandbox/calls/:sid', async (req, reply) => guard(req, reply) && run(reply, () => ({ ...control.report(sid(req)), children: control.childrenOf(sid(req)) })));
  app.get('/sandbox/calls/:sid/relay', async (req, reply) => guard(req, reply) && run(reply, () => control.relay(sid(req))));
  app.post('/sandbox/calls/:sid/digits', async (req, reply) =>
    guard(req, reply) && run(reply, () => (control.pressDigits(sid(req), z.object({ digits: z.string() }).parse(req.body).digits), { ok: true })),
  );
  app.post('/sandbox/calls/:sid/hangup', async (req, reply) =>
    guard(req, reply) &&
    run(reply, () => {
      const { by } = hangupSchema.parse(req.body ?? {});
      if (by === 'party') control.partyHangsUp(sid(req));
      else control.hangup(sid(req));
      return { ok: true };
    }),
  );
  app.post('/sandbox/calls/:sid/echo', async (req, reply) => guard(req, reply) && run(reply, () => (control.echo(sid(req)), { ok: true })));
  app.put('/sandbox/behaviours/:number', async (req, reply) =>
    guard(req, reply) && run(reply, () => (control.setPartyBehaviour((req.params as { number: string }).number, partyBehaviourSchema.parse(req.body ?? {})), { ok: true })),
  );
  app.put('/sandbox/default-behaviour', async (req, reply) =>
    guard(req, reply) && run(reply, () => (control.setDefaultPartyBehaviour(partyBehaviourSchema.parse(req.body ?? {})), { ok: true })),
  );
  app.delete('/sandbox/behaviours', async (req, reply) => guard(req, reply) && (control.clearPartyBehaviours(), { ok: true }));
  app.post('/sandbox/numbers', async (req, reply) => guard(req, reply) && run(reply, () => control.addNumber(numberSchema.parse(req.body))));
  app.post('/sandbox/applications', async (req, reply) => guard(req, reply) && run(reply, () => control.createApplication(applicationSchema.parse(req.body))));
  app.post('/sandbox/tokens', async (req, reply) =>
    guard(req, reply) &&
    run(reply, () => {
      const { identity, ...opts } = tokenSchema.parse(req.body);
      return { token: mintToken(identity, opts) };
    }),
  );
  app.post('/sandbox/faults', async (req, reply) =>
    guard(req, reply) &&
    run(reply, () => {
      const f = faultSchema.parse(req.body);
      switch (f.kind) {
        case 'stop-heartbeats':
          return (control.stopHeartbeats(true), { ok: true });
        case 'resume-heartbeats':
          return (control.stopHeartbeats(false), { ok: true });
        case 'drop-signaling':
          return { dropped: control.dropSignaling(f.identity) };
        case 'expire-tokens':
          return { expired: control.expireTokens(f.identity) };
        case 'kill-media':
          return (control.killMedia(f.callSid), { ok: true });
        case 'delay-webhook':
          return (control.delayWebhooks(f.urlIncludes, f.delayMs), { ok: true });
        case 'fail-webhook':
          return (control.failWebhooks(f.urlIncludes, f.times), { ok: true });
        case 'drop-rest':
          return (control.dropRestRequests(f.pathIncludes, f.times, f.method, { carryOutLater: f.carryOutLater ?? false }), { ok: true });
        case 'carry-out-dropped':
          return control.carryOutDroppedRequests().then((carriedOut) => ({ carriedOut }));
        case 'clear':
          return (control.clearFaults(), { ok: true });
      }
    }),
  );
  registerMessagingControlRoutes(app, control.messaging, guard, run);
  app.get('/sandbox/events', async (req, reply) => {
    if (!guard(req, reply)) return;
    const since = Number((req.query as { since?: string }).since ?? 0);
    return control.events.all((e) => e.seq > since);
  });
  // Server-sent events: every sandbox event as it happens.
  app.get('/sandbox/events/stream', (req, reply) => {
    if (!guard(req, reply)) return;
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const listener = (e: unknown): void => void reply.raw.write(`data: ${JSON.stringify(e)}\n\n`);
    control.events.on('event', listener);
    req.raw.on('close', () => control.events.off('event', listener));
  });
}
