import { encodeCursor, setNextCursor } from '../http/cursor';
import { z } from 'zod';
import { listCallsQuerySchema, setCallDispositionSchema } from '../../shared/cloud/api';
import { callSchema } from '../../shared/cloud/entities';
import { write } from '../db/unit-of-work';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { getCall, listCalls, setCallDisposition } from './service';

/** Call history and each call's disposition. (In-call actions are telephony's: telephony/api-routes.ts.) */
export const callRoutes: FeatureRoutes = (router, ctx) => {
  router.add({
    method: 'GET', url: '/v1/calls', tag: 'calls', access: 'user', summary: 'Calls, newest first (next page: the X-Next-Cursor header as `before`)',
    query: listCallsQuerySchema, response: z.array(callSchema),
    handler: async ({ principal, query, reply }) =>
      setNextCursor(reply, await listCalls(ctx, principal, query), query.limit, (last) => encodeCursor(ctx.keys, principal.accountId, 'calls', last.id)),
  });
  router.add({
    method: 'GET', url: '/v1/calls/:id', tag: 'calls', access: 'user', summary: 'One call', params: idParams, response: callSchema,
    handler: ({ principal, params }) => getCall(ctx, principal, params.id),
  });
  router.add({
    method: 'PUT', url: '/v1/calls/:id/disposition', tag: 'calls', access: 'user', summary: "Set (or clear) the call's disposition and note",
    params: idParams, body: setCallDispositionSchema, response: callSchema,
    handler: ({ principal, params, body }) => write(ctx.db, principal.accountId, (uow) => setCallDisposition(uow, principal, params.id, body.dispositionId, body.note)),
  });
};
