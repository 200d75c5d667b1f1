// Messaging control over HTTP (/sandbox/messages…, /sandbox/templates…), for other processes and
// the standalone sandbox. Same rules and validation as the in-process MessagingControl.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { contactScriptSchema, messageOutcomeSchema } from '../messaging/messaging-state';
import type { MessagingControl } from './messaging-control';

type Guard = (req: FastifyRequest, reply: FastifyReply) => boolean;
type Run = <T>(reply: FastifyReply, action: () => T) => T | FastifyReply;

export function registerMessagingControlRoutes(app: FastifyInstance, messaging: MessagingControl, guard: Guard, run: Run): void {
  const param = (req: FastifyRequest, name: string): string => (req.params as Record<string, string>)[name] ?? '';

  app.post('/sandbox/messages/inbound', async (req, reply) => {
    if (!guard(req, reply)) return;
    try {
      return await messaging.receive(req.body as never);
    } catch (error) {
      return reply.code(400).send({ error: error instanceof z.ZodError ? z.prettifyError(error) : String(error instanceof Error ? error.message : error) });
    }
  });
  app.get('/sandbox/messages', async (req, reply) => {
    if (!guard(req, reply)) return;
    const q = req.query as Record<string, string | undefined>;
    return messaging.list({ ...(q.to ? { to: q.to } : {}), ...(q.from ? { from: q.from } : {}) });
  });
  app.put('/sandbox/message-outcomes/:to', async (req, reply) =>
    guard(req, reply) && run(reply, () => (messaging.setOutcome(param(req, 'to'), messageOutcomeSchema.parse(req.body)), { ok: true })),
  );
  app.put('/sandbox/contacts/:number/script', async (req, reply) =>
    guard(req, reply) && run(reply, () => (messaging.scriptContact(param(req, 'number'), contactScriptSchema.parse(req.body)), { ok: true })),
  );
  app.post('/sandbox/whatsapp-senders', async (req, reply) =>
    guard(req, reply) && run(reply, () => (messaging.enableWhatsAppSender(z.object({ phoneNumber: z.string() }).parse(req.body).phoneNumber), { ok: true })),
  );
  app.post('/sandbox/templates', async (req, reply) => guard(req, reply) && run(reply, () => messaging.addTemplate(req.body as never)));
  app.post('/sandbox/templates/:sid/decision', async (req, reply) =>
    guard(req, reply) &&
    run(reply, () => {
      const d = z.object({ status: z.enum(['approved', 'rejected']), reason: z.string().max(500).optional() }).parse(req.body);
      return messaging.decideTemplate(param(req, 'sid'), d.status, d.reason);
    }),
  );
}
