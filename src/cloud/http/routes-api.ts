import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createDispositionSchema, listCallsQuerySchema, recordingActionSchema, renameDispositionSchema, reorderDispositionsSchema,
  setCallDispositionSchema, transferCallSchema, updateContactSchema, updatePhoneNumberSchema,
} from '../../shared/cloud/api';
import { loginRequestSchema, refreshRequestSchema } from '../../shared/cloud/auth';
import { pullQuerySchema, pushRequestSchema } from '../../shared/cloud/sync';
import type { CloudContext } from '../context';
import { login, logout, refresh } from '../services/auth';
import { getCall, listCalls, setCallDisposition } from '../services/calls';
import { createContact, getContact, listContacts, updateContact } from '../services/contacts';
import { createDisposition, deleteDisposition, listDispositions, renameDisposition, reorderDispositions } from '../services/dispositions';
import { listNotifications, markAllNotificationsRead, markNotificationRead } from '../services/notifications';
import { listNumbers, updateNumber } from '../services/numbers';
import { pull, push } from '../services/sync';
import { write } from '../services/unit-of-work';
import { getUser, listAudit, listUsers } from '../services/users';
import { createVoiceAccessToken } from '../twilio/access-token';
import { callActions } from '../twilio/call-actions';
import { principalOf, requireAuth } from './auth-hook';
import { parseInput } from './problem';

const idParams = z.object({ id: z.string().min(1).max(64) });
const contactCreateSchema = updateContactSchema.extend({ name: z.string().trim().min(1).max(200), locationId: z.string().min(1).nullable().optional() });

/** The JSON API under /v1 (see README.md for the route list). */
export async function apiRoutes(app: FastifyInstance, ctx: CloudContext): Promise<void> {
  // --- auth (no access token needed) ---
  app.post('/v1/auth/login', async (request) => {
    const body = parseInput(loginRequestSchema, request.body, 'body');
    return login(ctx, body, request.ip);
  });
  app.post('/v1/auth/refresh', async (request) => {
    const body = parseInput(refreshRequestSchema, request.body, 'body');
    return refresh(ctx, body.refreshToken);
  });

  await app.register(async (authed) => {
    authed.addHook('preHandler', requireAuth(ctx));

    authed.post('/v1/auth/logout', async (request, reply) => {
      await logout(ctx, principalOf(request));
      return reply.status(204).send();
    });
    authed.get('/v1/me', async (request) => {
      const principal = principalOf(request);
      return getUser(ctx, principal, principal.userId);
    });
    authed.get('/v1/users', async (request) => listUsers(ctx, principalOf(request)));
    authed.get('/v1/audit', async (request) => {
      const q = parseInput(z.object({ before: z.coerce.number().int().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }), request.query, 'query');
      return listAudit(ctx, principalOf(request), q.before, q.limit);
    });

    // --- sync ---
    authed.get('/v1/sync/pull', async (request) => {
      const q = parseInput(pullQuerySchema, request.query, 'query');
      return pull(ctx, principalOf(request), q.cursor, q.limit);
    });
    authed.post('/v1/sync/push', async (request) => {
      const body = parseInput(pushRequestSchema, request.body, 'body');
      return push(ctx, principalOf(request), body.mutations);
    });

    // --- dispositions (writes are admin-only, checked in the service) ---
    authed.get('/v1/dispositions', async (request) => {
      const q = parseInput(z.object({ includeDeleted: z.enum(['true', 'false']).optional() }), request.query, 'query');
      return listDispositions(ctx, principalOf(request).accountId, q.includeDeleted === 'true');
    });
    authed.post('/v1/dispositions', async (request, reply) => {
      const principal = principalOf(request);
      const body = parseInput(createDispositionSchema, request.body, 'body');
      const created = await write(ctx.db, principal.accountId, (uow) => createDisposition(uow, principal, body.label));
      return reply.status(201).send(created);
    });
    authed.patch('/v1/dispositions/:id', async (request) => {
      const principal = principalOf(request);
      const { id } = parseInput(idParams, request.params, 'params');
      const body = parseInput(renameDispositionSchema, request.body, 'body');
      return write(ctx.db, principal.accountId, (uow) => renameDisposition(uow, principal, id, body.label));
    });
    authed.delete('/v1/dispositions/:id', async (request) => {
      const principal = principalOf(request);
      const { id } = parseInput(idParams, request.params, 'params');
      return write(ctx.db, principal.accountId, (uow) => deleteDisposition(uow, principal, id));
    });
    authed.put('/v1/dispositions/order', async (request) => {
      const principal = principalOf(request);
      const body = parseInput(reorderDispositionsSchema, request.body, 'body');
      return write(ctx.db, principal.accountId, (uow) => reorderDispositions(uow, principal, body.orderedIds));
    });

    // --- calls ---
    authed.get('/v1/calls', async (request) => listCalls(ctx, principalOf(request), parseInput(listCallsQuerySchema, request.query, 'query')));
    authed.get('/v1/calls/:id', async (request) => getCall(ctx, principalOf(request), parseInput(idParams, request.params, 'params').id));
    authed.put('/v1/calls/:id/disposition', async (request) => {
      const principal = principalOf(request);
      const { id } = parseInput(idParams, request.params, 'params');
      const body = parseInput(setCallDispositionSchema, request.body, 'body');
      return write(ctx.db, principal.accountId, (uow) => setCallDisposition(uow, principal, id, body.dispositionId, body.note));
    });
    const actions = callActions(ctx);
    authed.post('/v1/calls/:id/recording', async (request) => {
      const { id } = parseInput(idParams, request.params, 'params');
      const body = parseInput(recordingActionSchema, request.body, 'body');
      return actions.setRecording(principalOf(request), id, body.action);
    });
    authed.post('/v1/calls/:id/transfer', async (request) => {
      const { id } = parseInput(idParams, request.params, 'params');
      const body = parseInput(transferCallSchema, request.body, 'body');
      return actions.transfer(principalOf(request), id, body);
    });
    authed.post('/v1/calls/:id/voicemail', async (request) => {
      const { id } = parseInput(idParams, request.params, 'params');
      return actions.sendToVoicemail(principalOf(request), id);
    });
    authed.post('/v1/calls/:id/hangup', async (request) => {
      const { id } = parseInput(idParams, request.params, 'params');
      return actions.hangUp(principalOf(request), id);
    });

    // --- contacts ---
    authed.get('/v1/contacts', async (request) => {
      const q = parseInput(z.object({ search: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }), request.query, 'query');
      return listContacts(ctx, principalOf(request), q.search, q.limit);
    });
    authed.get('/v1/contacts/:id', async (request) => getContact(ctx, principalOf(request), parseInput(idParams, request.params, 'params').id));
    authed.post('/v1/contacts', async (request, reply) => {
      const principal = principalOf(request);
      const body = parseInput(contactCreateSchema, request.body, 'body');
      const created = await write(ctx.db, principal.accountId, (uow) => createContact(uow, principal, body));
      return reply.status(201).send(created);
    });
    authed.patch('/v1/contacts/:id', async (request) => {
      const principal = principalOf(request);
      const { id } = parseInput(idParams, request.params, 'params');
      const body = parseInput(updateContactSchema, request.body, 'body');
      return write(ctx.db, principal.accountId, (uow) => updateContact(uow, principal, id, body));
    });

    // --- phone numbers ---
    authed.get('/v1/numbers', async (request) => listNumbers(ctx, principalOf(request)));
    authed.patch('/v1/numbers/:id', async (request) => {
      const principal = principalOf(request);
      const { id } = parseInput(idParams, request.params, 'params');
      const body = parseInput(updatePhoneNumberSchema, request.body, 'body');
      return write(ctx.db, principal.accountId, (uow) => updateNumber(uow, principal, id, body));
    });

    // --- notifications ---
    authed.get('/v1/notifications', async (request) => {
      const q = parseInput(z.object({ unread: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }), request.query, 'query');
      return listNotifications(ctx, principalOf(request), q.unread === 'true', q.limit);
    });
    authed.post('/v1/notifications/:id/read', async (request) => {
      const principal = principalOf(request);
      const { id } = parseInput(idParams, request.params, 'params');
      return write(ctx.db, principal.accountId, (uow) => markNotificationRead(uow, principal, id));
    });
    authed.post('/v1/notifications/read-all', async (request) => {
      const principal = principalOf(request);
      const count = await write(ctx.db, principal.accountId, (uow) => markAllNotificationsRead(uow, principal));
      return { marked: count };
    });

    // --- Twilio Voice access token for the softphone ---
    authed.post('/v1/twilio/token', async (request) => {
      const principal = principalOf(request);
      return createVoiceAccessToken(ctx.config, principal.userId);
    });
  });
}
