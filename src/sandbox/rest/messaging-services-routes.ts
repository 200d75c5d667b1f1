// Messaging v1 (messaging.twilio.com/v1): Services (create, fetch, list, update, delete) and their
// sender pools (PhoneNumbers: add, fetch, list, remove).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { serviceJson, servicePhoneNumberJson, v1Page } from '../messaging/messaging-json';
import type { MessagingService } from '../messaging/messaging-state';
import { addSender, createService, removeSender, updateService, type ServiceInput } from '../messaging/services';
import { notFound, TwilioRestError } from './errors';
import { bool, httpMethod, parseForm } from './form';
import { authenticate, type RestDeps } from './rest-deps';

const url = z.union([z.url(), z.literal('')]).optional();
const serviceFields = {
  FriendlyName: z.string().min(1).max(64).optional(),
  InboundRequestUrl: url,
  InboundMethod: httpMethod,
  StatusCallback: url,
  StickySender: bool,
  UseInboundWebhookOnNumber: bool,
  ValidityPeriod: z.coerce.number().int().min(1).max(36_000).optional(),
};

function toInput(f: z.infer<z.ZodObject<typeof serviceFields>>): Partial<ServiceInput> {
  return {
    ...(f.FriendlyName !== undefined ? { friendlyName: f.FriendlyName } : {}),
    ...(f.InboundRequestUrl !== undefined ? { inboundRequestUrl: f.InboundRequestUrl } : {}),
    ...(f.InboundMethod ? { inboundMethod: f.InboundMethod } : {}),
    ...(f.StatusCallback !== undefined ? { statusCallback: f.StatusCallback } : {}),
    ...(f.StickySender !== undefined ? { stickySender: f.StickySender } : {}),
    ...(f.UseInboundWebhookOnNumber !== undefined ? { useInboundWebhookOnNumber: f.UseInboundWebhookOnNumber } : {}),
    ...(f.ValidityPeriod !== undefined ? { validityPeriod: f.ValidityPeriod } : {}),
  };
}

export function registerMessagingServiceRoutes(app: FastifyInstance, deps: RestDeps): void {
  const { ctx, messaging } = deps;
  const base = '/v1/Services';
  const serviceOf = (req: FastifyRequest): MessagingService => {
    const s = messaging.state.services.get((req.params as { Sid: string }).Sid);
    if (!s) throw notFound(req.url);
    return s;
  };

  app.post(base, async (req, reply) => {
    authenticate(deps, req);
    const form = parseForm(z.object(serviceFields), req.body);
    if (!form.FriendlyName) throw new TwilioRestError(400, 20001, 'Missing required parameter FriendlyName in the post body');
    return reply.code(201).send(serviceJson(createService(ctx, messaging.state, { ...toInput(form), friendlyName: form.FriendlyName })));
  });
  app.get(base, async (req) => {
    authenticate(deps, req);
    const items = [...messaging.state.services.values()].map(serviceJson);
    return v1Page('services', 'https://messaging.twilio.com/v1/Services', items, req.query as Record<string, string | undefined>);
  });
  app.get(base + '/:Sid', async (req) => {
    authenticate(deps, req);
    return serviceJson(serviceOf(req));
  });
  app.post(base + '/:Sid', async (req) => {
    authenticate(deps, req);
    return serviceJson(updateService(serviceOf(req), toInput(parseForm(z.object(serviceFields), req.body))));
  });
  app.delete(base + '/:Sid', async (req, reply) => {
    authenticate(deps, req);
    messaging.state.services.delete(serviceOf(req).sid);
    return reply.code(204).send();
  });

  app.post(base + '/:Sid/PhoneNumbers', async (req, reply) => {
    authenticate(deps, req);
    const service = serviceOf(req);
    const { PhoneNumberSid } = parseForm(z.object({ PhoneNumberSid: z.string().min(1, 'Missing required parameter PhoneNumberSid') }), req.body);
    const number = addSender(ctx, messaging.state, service, PhoneNumberSid);
    return reply.code(201).send(servicePhoneNumberJson(service, number));
  });
  app.get(base + '/:Sid/PhoneNumbers', async (req) => {
    authenticate(deps, req);
    const service = serviceOf(req);
    const items = service.senders.flatMap((sid) => {
      const n = ctx.store.numbers.get(sid);
      return n ? [servicePhoneNumberJson(service, n)] : [];
    });
    return v1Page('phone_numbers', `https://messaging.twilio.com/v1/Services/${service.sid}/PhoneNumbers`, items, req.query as Record<string, string | undefined>);
  });
  app.get(base + '/:Sid/PhoneNumbers/:NumberSid', async (req) => {
    authenticate(deps, req);
    const service = serviceOf(req);
    const sid = (req.params as { NumberSid: string }).NumberSid;
    const n = service.senders.includes(sid) ? ctx.store.numbers.get(sid) : undefined;
    if (!n) throw notFound(req.url);
    return servicePhoneNumberJson(service, n);
  });
  app.delete(base + '/:Sid/PhoneNumbers/:NumberSid', async (req, reply) => {
    authenticate(deps, req);
    if (!removeSender(serviceOf(req), (req.params as { NumberSid: string }).NumberSid)) throw notFound(req.url);
    return reply.code(204).send();
  });
}
