import { z } from 'zod';
import { createTemplateSchema, messageTemplateSchema, templateChannelSchema, templateUsageSchema, updateTemplateSchema } from '../../shared/cloud/templates';
import { write } from '../db/unit-of-work';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { createTemplate, deleteTemplate, getTemplate, listTemplates, updateTemplate } from './service';
import { lockTemplateSync, rewriteSyncedSteps } from './sync';
import { templateUsage } from './usage';

const listQuery = z.object({ channel: templateChannelSchema.optional() });

/** Saved email and SMS templates (Settings → Templates). */
export const templateRoutes: FeatureRoutes = (router, ctx) => {
  router.add({
    method: 'GET', url: '/v1/templates', tag: 'templates', access: 'user', summary: 'Saved templates by name, optionally of one channel',
    query: listQuery, response: z.array(messageTemplateSchema),
    handler: ({ principal, query }) => listTemplates(ctx, principal, query.channel),
  });
  router.add({
    method: 'GET', url: '/v1/templates/:id', tag: 'templates', access: 'user', summary: 'One template',
    params: idParams, response: messageTemplateSchema,
    handler: ({ principal, params }) => getTemplate(ctx, principal, params.id),
  });
  router.add({
    method: 'GET', url: '/v1/templates/:id/usage', tag: 'templates', access: 'admin',
    summary: 'The workflow steps that use a template, in drafts and published versions (warned before an edit or a delete)',
    params: idParams, response: templateUsageSchema,
    handler: ({ principal, params }) => templateUsage(ctx, principal, params.id),
  });
  router.add({
    method: 'POST', url: '/v1/templates', tag: 'templates', access: 'admin', summary: 'Save a new email or SMS template', status: 201,
    body: createTemplateSchema, response: messageTemplateSchema,
    handler: ({ principal, body }) => write(ctx.db, principal.accountId, (uow) => createTemplate(uow, principal, body)),
  });
  router.add({
    method: 'PATCH', url: '/v1/templates/:id', tag: 'templates', access: 'admin',
    summary: 'Edit a template (expectedVersion refuses to overwrite an edit made meanwhile); the workflow drafts’ steps synced with it take the edit',
    params: idParams, body: updateTemplateSchema, response: messageTemplateSchema,
    handler: ({ principal, params, body }) =>
      write(ctx.db, principal.accountId, async (uow) => {
        await lockTemplateSync(uow);
        return updateTemplate(uow, principal, params.id, body, (tx, saved) => rewriteSyncedSteps(tx, principal, saved));
      }),
  });
  router.add({
    method: 'DELETE', url: '/v1/templates/:id', tag: 'templates', access: 'admin', summary: 'Delete a template (steps keep their own copy)', status: 204,
    params: idParams,
    handler: ({ principal, params }) => write(ctx.db, principal.accountId, (uow) => deleteTemplate(uow, principal, params.id)),
  });
};
