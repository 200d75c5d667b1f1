import { z } from 'zod';
import { notificationSchema } from '../../shared/cloud/entities';
import { write } from '../db/unit-of-work';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { listNotifications, markAllNotificationsRead, markNotificationRead } from './service';

const listQuery = z.object({ unread: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });

/** The signed-in user's own internal notifications. */
export const notificationRoutes: FeatureRoutes = (router, ctx) => {
  router.add({
    method: 'GET', url: '/v1/notifications', tag: 'notifications', access: 'user', summary: 'Your notifications, newest first',
    query: listQuery, response: z.array(notificationSchema),
    handler: ({ principal, query }) => listNotifications(ctx, principal, query.unread === 'true', query.limit),
  });
  router.add({
    method: 'POST', url: '/v1/notifications/:id/read', tag: 'notifications', access: 'user', summary: 'Mark one read',
    params: idParams, response: notificationSchema,
    handler: ({ principal, params }) => write(ctx.db, principal.accountId, (uow) => markNotificationRead(uow, principal, params.id)),
  });
  router.add({
    method: 'POST', url: '/v1/notifications/read-all', tag: 'notifications', access: 'user', summary: 'Mark all read',
    response: z.object({ marked: z.number().int() }),
    handler: async ({ principal }) => ({ marked: await write(ctx.db, principal.accountId, (uow) => markAllNotificationsRead(uow, principal)) }),
  });
};
