// Content v1 (content.twilio.com/v1), the part a WhatsApp sender needs: create a text template,
// list / fetch / delete it, submit it for WhatsApp approval, and read templates with their
// approval status (ContentAndApprovals) — what an admin picks "an approved template" from.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { approvalsJson, contentAndApprovalsJson, contentJson, v1Page } from '../messaging/messaging-json';
import type { ContentTemplate } from '../messaging/messaging-state';
import { createTemplate, submitForApproval } from '../messaging/templates';
import { notFound, TwilioRestError } from './errors';
import { authenticate, type RestDeps } from './rest-deps';

const createSchema = z.object({
  friendly_name: z.string().min(1).max(256),
  language: z.string().min(2).max(16).default('en'),
  variables: z.record(z.string(), z.string()).default({}),
  types: z.object({ 'twilio/text': z.object({ body: z.string().min(1).max(1600) }) }),
});
const approvalSchema = z.object({ name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'name: lowercase letters, digits, underscores'), category: z.enum(['UTILITY', 'MARKETING', 'AUTHENTICATION']) });

export function registerContentRoutes(app: FastifyInstance, deps: RestDeps): void {
  const { ctx, messaging } = deps;
  const templateOf = (req: FastifyRequest): ContentTemplate => {
    const t = messaging.state.templates.get((req.params as { Sid: string }).Sid);
    if (!t) throw notFound(req.url);
    return t;
  };
  // The Content API takes JSON bodies, unlike the form-encoded 2010 API.
  const json = <T extends z.ZodType>(schema: T, body: unknown): z.infer<T> => {
    const r = schema.safeParse(body);
    if (r.success) return r.data;
    throw new TwilioRestError(400, 20001, `Invalid parameter: ${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''}`.trim());
  };

  app.post('/v1/Content', async (req, reply) => {
    authenticate(deps, req);
    const c = json(createSchema, req.body);
    const t = createTemplate(ctx, messaging.state, { friendlyName: c.friendly_name, language: c.language, variables: c.variables, body: c.types['twilio/text'].body });
    return reply.code(201).send(contentJson(t));
  });
  app.get('/v1/Content', async (req) => {
    authenticate(deps, req);
    return v1Page('contents', 'https://content.twilio.com/v1/Content', [...messaging.state.templates.values()].map(contentJson), req.query as Record<string, string | undefined>);
  });
  app.get('/v1/Content/:Sid', async (req) => {
    authenticate(deps, req);
    return contentJson(templateOf(req));
  });
  app.delete('/v1/Content/:Sid', async (req, reply) => {
    authenticate(deps, req);
    messaging.state.templates.delete(templateOf(req).sid);
    return reply.code(204).send();
  });
  app.post('/v1/Content/:Sid/ApprovalRequests/whatsapp', async (req, reply) => {
    authenticate(deps, req);
    const a = json(approvalSchema, req.body);
    const t = submitForApproval(messaging.state, templateOf(req), a.name, a.category);
    return reply.code(201).send({ ...(approvalsJson(t).whatsapp as Record<string, unknown>), account_sid: t.accountSid, sid: t.sid });
  });
  app.get('/v1/Content/:Sid/ApprovalRequests', async (req) => {
    authenticate(deps, req);
    return approvalsJson(templateOf(req));
  });
  app.get('/v1/ContentAndApprovals', async (req) => {
    authenticate(deps, req);
    return v1Page('contents', 'https://content.twilio.com/v1/ContentAndApprovals', [...messaging.state.templates.values()].map(contentAndApprovalsJson), req.query as Record<string, string | undefined>);
  });
}
