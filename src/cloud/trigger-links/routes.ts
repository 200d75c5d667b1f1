import { z } from 'zod';
import { createTriggerLinkSchema, triggerLinkClicksSchema, triggerLinkSchema, triggerLinkUsageSchema, updateTriggerLinkSchema } from '../../shared/cloud/trigger-links';
import { write } from '../db/unit-of-work';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { createTriggerLink, deleteTriggerLink, getTriggerLink, listTriggerLinks, triggerLinkClicks, updateTriggerLink } from './service';
import { triggerLinkUsage } from './usage';

/**
 * Automation → Trigger links (admins). The public side — a contact's click on `/l/<token>` — is
 * messaging/routes.ts's tracked-link route.
 */
export const triggerLinkRoutes: FeatureRoutes = (router, ctx) => {
  const tag = 'trigger-links';
  router.add({
    method: 'GET', url: '/v1/trigger-links', tag, access: 'admin', summary: 'The practice’s trigger links by name, with how often they were sent and clicked',
    response: z.array(triggerLinkSchema),
    handler: ({ principal }) => listTriggerLinks(ctx, principal),
  });
  router.add({
    method: 'GET', url: '/v1/trigger-links/:id', tag, access: 'admin', summary: 'One trigger link',
    params: idParams, response: triggerLinkSchema,
    handler: ({ principal, params }) => getTriggerLink(ctx, principal, params.id),
  });
  router.add({
    method: 'GET', url: '/v1/trigger-links/:id/clicks', tag, access: 'admin', summary: 'Who clicked a trigger link: per contact, clicks and first / last click (newest 200)',
    params: idParams, response: triggerLinkClicksSchema,
    handler: ({ principal, params }) => triggerLinkClicks(ctx, principal, params.id),
  });
  router.add({
    method: 'GET', url: '/v1/trigger-links/:id/usage', tag, access: 'admin', summary: 'The workflow steps whose message names a trigger link (drafts and published versions)',
    params: idParams, response: triggerLinkUsageSchema,
    handler: ({ principal, params }) => triggerLinkUsage(ctx, principal, params.id),
  });
  router.add({
    method: 'POST', url: '/v1/trigger-links', tag, access: 'admin', status: 201,
    summary: 'Create a trigger link {name, url}: an https destination; its key (for {{trigger_link.<key>}}) is made from the name and never changes',
    body: createTriggerLinkSchema, response: triggerLinkSchema,
    handler: ({ principal, body }) => write(ctx.db, principal.accountId, (uow) => createTriggerLink(uow, principal, body)),
  });
  router.add({
    method: 'PATCH', url: '/v1/trigger-links/:id', tag, access: 'admin',
    summary: 'Rename a trigger link or change its destination (links already sent lead to the new one)',
    params: idParams, body: updateTriggerLinkSchema, response: triggerLinkSchema,
    handler: ({ principal, params, body }) => write(ctx.db, principal.accountId, (uow) => updateTriggerLink(uow, principal, params.id, body)),
  });
  router.add({
    method: 'DELETE', url: '/v1/trigger-links/:id', tag, access: 'admin', status: 204,
    summary: 'Delete a trigger link: texts already sent keep redirecting; messages may no longer name it',
    params: idParams,
    handler: ({ principal, params }) => write(ctx.db, principal.accountId, (uow) => deleteTriggerLink(uow, principal, params.id)),
  });
};
