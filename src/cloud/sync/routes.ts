import { pullQuerySchema, pullResponseSchema, pushRequestSchema, pushResponseSchema } from '../../shared/cloud/sync';
import type { FeatureRoutes } from '../http/router';
import { pull, push } from './service';

/** The desktop's pull (changes after a cursor) and push (idempotent mutations). */
export const syncRoutes: FeatureRoutes = (router, ctx) => {
  router.add({
    method: 'GET', url: '/v1/sync/pull', tag: 'sync', access: 'user', summary: 'Rows changed after the cursor, oldest first',
    query: pullQuerySchema, response: pullResponseSchema,
    handler: ({ principal, query }) => pull(ctx, principal, query.cursor, query.limit),
  });
  router.add({
    method: 'POST', url: '/v1/sync/push', tag: 'sync', access: 'user', summary: 'Apply mutations, each at most once per idempotency key',
    body: pushRequestSchema, response: pushResponseSchema,
    handler: ({ principal, body }) => push(ctx, principal, body.mutations),
  });
};
