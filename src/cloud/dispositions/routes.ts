import { z } from 'zod';
import { createDispositionSchema, renameDispositionSchema, reorderDispositionsSchema } from '../../shared/cloud/api';
import { dispositionSchema } from '../../shared/cloud/entities';
import { write } from '../db/unit-of-work';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { createDisposition, deleteDisposition, listDispositions, renameDisposition, reorderDispositions } from './service';

const listQuery = z.object({ includeDeleted: z.enum(['true', 'false']).optional() });

/** The account's call outcomes: everyone reads them, admins edit them (checked in the service too). */
export const dispositionRoutes: FeatureRoutes = (router, ctx) => {
  router.add({
    method: 'GET', url: '/v1/dispositions', tag: 'dispositions', access: 'user', summary: 'Picker order; deleted ones (for labelling history) last',
    query: listQuery, response: z.array(dispositionSchema),
    handler: ({ principal, query }) => listDispositions(ctx, principal.accountId, query.includeDeleted === 'true'),
  });
  router.add({
    method: 'POST', url: '/v1/dispositions', tag: 'dispositions', access: 'admin', summary: 'Create a disposition (at most 10)', status: 201,
    body: createDispositionSchema, response: dispositionSchema,
    handler: ({ principal, body }) => write(ctx.db, principal.accountId, (uow) => createDisposition(uow, principal, body.label)),
  });
  router.add({
    method: 'PATCH', url: '/v1/dispositions/:id', tag: 'dispositions', access: 'admin', summary: 'Rename (the id stays)',
    params: idParams, body: renameDispositionSchema, response: dispositionSchema,
    handler: ({ principal, params, body }) => write(ctx.db, principal.accountId, (uow) => renameDisposition(uow, principal, params.id, body.label)),
  });
  router.add({
    method: 'DELETE', url: '/v1/dispositions/:id', tag: 'dispositions', access: 'admin', summary: 'Soft-delete (calls keep their label)',
    params: idParams, response: dispositionSchema,
    handler: ({ principal, params }) => write(ctx.db, principal.accountId, (uow) => deleteDisposition(uow, principal, params.id)),
  });
  router.add({
    method: 'PUT', url: '/v1/dispositions/order', tag: 'dispositions', access: 'admin', summary: 'Reorder (must list every live id once)',
    body: reorderDispositionsSchema, response: z.array(dispositionSchema),
    handler: ({ principal, body }) => write(ctx.db, principal.accountId, (uow) => reorderDispositions(uow, principal, body.orderedIds)),
  });
};
