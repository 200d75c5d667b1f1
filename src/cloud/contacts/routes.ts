import { z } from 'zod';
import { updateContactSchema } from '../../shared/cloud/api';
import { contactSchema } from '../../shared/cloud/entities';
import { write } from '../db/unit-of-work';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { createContact, getContact, listContacts, updateContact } from './service';

const listQuery = z.object({ search: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) });
const createBody = updateContactSchema.extend({ name: z.string().trim().min(1).max(200), locationId: z.string().min(1).nullable().optional() });

/** The practice's contacts (E.164 phones; DND per channel and direction). */
export const contactRoutes: FeatureRoutes = (router, ctx) => {
  router.add({
    method: 'GET', url: '/v1/contacts', tag: 'contacts', access: 'user', summary: 'Contacts by name, optionally matching a search',
    query: listQuery, response: z.array(contactSchema),
    handler: ({ principal, query }) => listContacts(ctx, principal, query.search, query.limit),
  });
  router.add({
    method: 'GET', url: '/v1/contacts/:id', tag: 'contacts', access: 'user', summary: 'One contact', params: idParams, response: contactSchema,
    handler: ({ principal, params }) => getContact(ctx, principal, params.id),
  });
  router.add({
    method: 'POST', url: '/v1/contacts', tag: 'contacts', access: 'user', summary: 'Create a contact', status: 201,
    body: createBody, response: contactSchema,
    handler: ({ principal, body }) => write(ctx.db, principal.accountId, (uow) => createContact(uow, principal, body)),
  });
  router.add({
    method: 'PATCH', url: '/v1/contacts/:id', tag: 'contacts', access: 'user', summary: 'Change some fields of a contact',
    params: idParams, body: updateContactSchema, response: contactSchema,
    handler: ({ principal, params, body }) => write(ctx.db, principal.accountId, (uow) => updateContact(uow, principal, params.id, body)),
  });
};
