import { z } from 'zod';
import { reputationSettingsSchema, reviewRequestSchema, updateReputationSettingsSchema } from '../../shared/cloud/reputation';
import { write } from '../db/unit-of-work';
import type { FeatureRoutes } from '../http/router';
import { listReviewRequests, reputationSettings, updateReputationSettings } from './service';

/** Settings → Reputation, and the review requests sent. */
export const reputationRoutes: FeatureRoutes = (router, ctx) => {
  const tag = 'reputation';
  router.add({
    method: 'GET', url: '/v1/reputation/settings', tag, access: 'user', summary: 'The review link, whether review requests are on, and their email and SMS wording',
    response: reputationSettingsSchema,
    handler: ({ principal }) => reputationSettings(ctx.db, principal.accountId),
  });
  router.add({
    method: 'PATCH', url: '/v1/reputation/settings', tag, access: 'admin', summary: 'Change the Reputation settings (requests need a review link; wording merge fields must parse)',
    body: updateReputationSettingsSchema, response: reputationSettingsSchema,
    handler: ({ principal, body }) => write(ctx.db, principal.accountId, (uow) => updateReputationSettings(uow, principal, body)),
  });
  router.add({
    method: 'GET', url: '/v1/reputation/requests', tag, access: 'user', summary: 'Review requests sent, newest first (Queued / Sent / Delivered for SMS only / Failed)',
    query: z.object({ contactId: z.string().min(1).max(64).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
    response: z.array(reviewRequestSchema),
    handler: ({ principal, query }) => listReviewRequests(ctx, principal, query.contactId, query.limit),
  });
};
