// Messages (2010-04-01): create (SMS, MMS, WhatsApp, Messaging Service, Content templates), list,
// fetch. The rules live in messaging/; this file is the HTTP shape.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { messageJson } from '../messaging/messaging-json';
import { notFound } from './errors';
import { httpMethod, list, parseForm, type RawForm } from './form';
import { authenticate, sidOf, type RestDeps } from './rest-deps';
import { page } from './serialize';

const createSchema = z.object({
  To: z.string().min(1, "A 'To' phone number is required."),
  From: z.string().optional(),
  MessagingServiceSid: z.string().optional(),
  Body: z.string().optional(),
  ContentSid: z.string().optional(),
  ContentVariables: z.string().optional(),
  StatusCallback: z.url().optional(),
  StatusCallbackMethod: httpMethod,
});

export function registerMessageRoutes(app: FastifyInstance, deps: RestDeps): void {
  const base = '/2010-04-01/Accounts/:AccountSid';
  const { messaging } = deps;

  app.post(base + '/Messages.json', async (req, reply) => {
    authenticate(deps, req);
    const form = parseForm(createSchema, req.body);
    const message = messaging.send({
      to: form.To,
      from: form.From || undefined,
      messagingServiceSid: form.MessagingServiceSid || undefined,
      body: form.Body,
      mediaUrls: list(req.body as RawForm, 'MediaUrl'),
      contentSid: form.ContentSid || undefined,
      contentVariables: form.ContentVariables,
      ...(form.StatusCallback ? { statusCallback: { url: form.StatusCallback, method: form.StatusCallbackMethod ?? 'POST' } } : {}),
    });
    return reply.code(201).send(messageJson(message));
  });

  app.get(base + '/Messages.json', async (req) => {
    authenticate(deps, req);
    const q = req.query as Record<string, string | undefined>;
    const found = messaging.list({ ...(q.To ? { to: q.To } : {}), ...(q.From ? { from: q.From } : {}) }).reverse();
    return page('messages', req.url, found.map(messageJson), Number(q.PageSize ?? 50));
  });

  app.get(base + '/Messages/:Sid', async (req) => {
    authenticate(deps, req);
    const m = messaging.state.messages.get(sidOf((req.params as { Sid: string }).Sid));
    if (!m) throw notFound(req.url);
    return messageJson(m);
  });
}
