import { z } from 'zod';
import { auditEntrySchema, userSchema } from '../../shared/cloud/entities';
import { encodeCursor, setNextCursor } from '../http/cursor';
import type { FeatureRoutes } from '../http/router';
import { getUser, listAudit, listUsers } from './users';

const auditQuery = z.object({ before: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });

/** The signed-in user, the account's users and its audit log. */
export const accountRoutes: FeatureRoutes = (router, ctx) => {
  router.add({
    method: 'GET', url: '/v1/me', tag: 'accounts', access: 'user', summary: 'The signed-in user', response: userSchema,
    handler: ({ principal }) => getUser(ctx, principal, principal.userId),
  });
  router.add({
    method: 'GET', url: '/v1/users', tag: 'accounts', access: 'user', summary: "The account's live users", response: z.array(userSchema),
    handler: ({ principal }) => listUsers(ctx, principal),
  });
  router.add({
    method: 'GET', url: '/v1/audit', tag: 'accounts', access: 'admin', summary: 'Who changed what, newest first (next page: the X-Next-Cursor header as `before`)', query: auditQuery, response: z.array(auditEntrySchema),
    handler: async ({ principal, query, reply }) =>
      setNextCursor(reply, await listAudit(ctx, principal, query.before, query.limit), query.limit, (last) => encodeCursor(ctx.keys, principal.accountId, 'audit', Number(last.id))),
  });
};
