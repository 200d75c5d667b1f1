import { z } from 'zod';
import {
  createWorkflowSchema,
  enrolContactSchema,
  runStepSchema,
  updateWorkflowSchema,
  workflowRunSchema,
  workflowSchema,
  metricRecipientsSchema,
  stepMetricNameSchema,
  workflowStatisticsSchema,
  workflowVersionSchema,
} from '../../shared/cloud/workflows';
import { write } from '../db/unit-of-work';
import { ApiError } from '../errors';
import { insertDomainEvent } from '../events/domain-events';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { getRun, listRuns, listRunsQuery, logQuery, metricRecipients, metricRecipientsQuery, searchLog, statistics, stopRun } from './runs';
import { automationSettingsViewSchema, getAutomationSettings, updateAutomationSettings, updateAutomationSettingsSchema } from './settings';
import {
  createWorkflow,
  deleteWorkflow,
  enrolContact,
  getVersion,
  getWorkflow,
  issueWebhookSecret,
  listVersions,
  listWorkflows,
  pauseWorkflow,
  publishWorkflow,
  updateWorkflow,
  workflowForWebhook,
} from './workflows';

const versionParams = idParams.extend({ version: z.coerce.number().int().min(1) });
const runParams = idParams.extend({ runId: z.string().min(1).max(64) });
const metricParams = idParams.extend({ stepId: z.string().min(1).max(64), metric: stepMetricNameSchema });
const webhookParams = z.object({ id: z.string().min(1).max(64), secret: z.string().min(16).max(128) });
/** Inbound webhook bodies: a JSON object, fields become custom values. */
const webhookBody = z.record(z.string().max(100), z.unknown()).refine((v) => Object.keys(v).length <= 200, 'at most 200 fields');
const accepted = z.object({ accepted: z.literal(true), eventId: z.number().int() });

/** Workflows: CRUD (admin), versions, publish, pause, enrolment, runs, the execution log, statistics, settings, inbound webhooks. */
export const automationRoutes: FeatureRoutes = (router, ctx) => {
  const tag = 'automation';
  router.add({
    method: 'GET', url: '/v1/workflows', tag, access: 'user', summary: "The account's workflows", response: z.array(workflowSchema),
    handler: ({ principal }) => listWorkflows(ctx, principal),
  });
  router.add({
    method: 'POST', url: '/v1/workflows', tag, access: 'admin', summary: 'Create a workflow (a draft)', status: 201,
    body: createWorkflowSchema, response: workflowSchema,
    handler: ({ principal, body }) => write(ctx.db, principal.accountId, (uow) => createWorkflow(uow, principal, body)),
  });
  router.add({
    method: 'GET', url: '/v1/workflows/:id', tag, access: 'user', summary: 'One workflow with its draft', params: idParams, response: workflowSchema,
    handler: ({ principal, params }) => getWorkflow(ctx.db, principal.accountId, params.id),
  });
  router.add({
    method: 'PATCH', url: '/v1/workflows/:id', tag, access: 'admin', summary: "Rename or edit the draft (published versions don't change)",
    params: idParams, body: updateWorkflowSchema, response: workflowSchema,
    handler: ({ principal, params, body }) => write(ctx.db, principal.accountId, (uow) => updateWorkflow(uow, principal, params.id, body)),
  });
  router.add({
    method: 'DELETE', url: '/v1/workflows/:id', tag, access: 'admin', summary: 'Delete a workflow (its active runs stop)', params: idParams, status: 204,
    handler: ({ principal, params }) => write(ctx.db, principal.accountId, (uow) => deleteWorkflow(uow, principal, params.id)),
  });
  router.add({
    method: 'POST', url: '/v1/workflows/:id/publish', tag, access: 'admin', summary: 'Publish the draft as the next version (needs a trigger and an action)',
    params: idParams, response: workflowSchema,
    handler: ({ principal, params }) => write(ctx.db, principal.accountId, (uow) => publishWorkflow(uow, principal, params.id)),
  });
  router.add({
    method: 'POST', url: '/v1/workflows/:id/pause', tag, access: 'admin', summary: 'Stop starting new runs (running ones continue)', params: idParams, response: workflowSchema,
    handler: ({ principal, params }) => write(ctx.db, principal.accountId, (uow) => pauseWorkflow(uow, principal, params.id)),
  });
  router.add({
    method: 'GET', url: '/v1/workflows/:id/versions', tag, access: 'user', summary: 'Published versions, newest first', params: idParams,
    response: z.array(workflowVersionSchema),
    handler: ({ principal, params }) => listVersions(ctx, principal, params.id),
  });
  router.add({
    method: 'GET', url: '/v1/workflows/:id/versions/:version', tag, access: 'user', summary: 'One published version', params: versionParams,
    response: workflowVersionSchema,
    handler: ({ principal, params }) => getVersion(ctx, principal, params.id, params.version),
  });
  router.add({
    method: 'POST', url: '/v1/workflows/:id/enrol', tag, access: 'user', summary: 'Put a contact into the workflow (the run starts within moments)',
    params: idParams, body: enrolContactSchema, response: accepted, status: 201,
    handler: async ({ principal, params, body }) => {
      const { eventId } = await write(ctx.db, principal.accountId, (uow) =>
        enrolContact(uow, { accountId: principal.accountId, workflowId: params.id, contactId: body.contactId, customValues: body.customValues, actorUserId: principal.userId }),
      );
      return { accepted: true as const, eventId };
    },
  });
  router.add({
    method: 'GET', url: '/v1/workflows/:id/runs', tag, access: 'user', summary: 'Runs, newest first', params: idParams, query: listRunsQuery,
    response: z.array(workflowRunSchema),
    handler: ({ principal, params, query }) => listRuns(ctx, principal, params.id, query),
  });
  router.add({
    method: 'GET', url: '/v1/workflows/:id/runs/:runId', tag, access: 'user', summary: 'One run with its execution log', params: runParams,
    response: workflowRunSchema.extend({ steps: z.array(runStepSchema) }),
    handler: ({ principal, params }) => getRun(ctx, principal, params.id, params.runId),
  });
  router.add({
    method: 'POST', url: '/v1/workflows/:id/runs/:runId/stop', tag, access: 'admin', summary: 'Take the contact out of the workflow', params: runParams, status: 204,
    handler: ({ principal, params }) => write(ctx.db, principal.accountId, (uow) => stopRun(uow, principal, params.id, params.runId)),
  });
  router.add({
    method: 'GET', url: '/v1/workflows/:id/statistics', tag, access: 'user', summary: 'Runs by status; per step, log entries by status and action statistics',
    params: idParams, response: workflowStatisticsSchema,
    handler: ({ principal, params }) => statistics(ctx, principal, params.id),
  });
  router.add({
    method: 'GET', url: '/v1/workflows/:id/statistics/:stepId/:metric', tag, access: 'admin',
    summary: "One statistic's recipient details (who was Delivered, Opened…), newest first, paged",
    params: metricParams, query: metricRecipientsQuery, response: metricRecipientsSchema,
    handler: ({ principal, params, query }) => metricRecipients(ctx, principal, params.id, params.stepId, params.metric, query),
  });
  router.add({
    method: 'GET', url: '/v1/workflow-logs', tag, access: 'user', summary: 'The execution log, newest first, searchable by workflow, contact, status, step, action type and time (since/before)',
    query: logQuery, response: z.array(runStepSchema),
    handler: ({ principal, query }) => searchLog(ctx, principal, query),
  });
  router.add({
    method: 'POST', url: '/v1/workflows/:id/webhook-secret', tag, access: 'admin', summary: 'Issue the inbound webhook URL (its secret is shown only now)',
    params: idParams, response: z.object({ url: z.string(), secret: z.string() }), status: 201,
    handler: async ({ principal, params }) => {
      const secret = await write(ctx.db, principal.accountId, (uow) => issueWebhookSecret(uow, principal, params.id));
      return { url: `${ctx.publicUrl()}/hooks/workflows/${params.id}/${secret}`, secret };
    },
  });
  router.add({
    method: 'GET', url: '/v1/automation/settings', tag, access: 'admin', summary: 'Company phone, premium actions (and premium executions used), log retention', response: automationSettingsViewSchema,
    handler: ({ principal }) => getAutomationSettings(ctx, principal),
  });
  router.add({
    method: 'PATCH', url: '/v1/automation/settings', tag, access: 'admin', summary: 'Change automation settings',
    body: updateAutomationSettingsSchema, response: automationSettingsViewSchema,
    handler: ({ principal, body }) => write(ctx.db, principal.accountId, (uow) => updateAutomationSettings(ctx, uow, principal, body)),
  });
  router.add({
    method: 'POST', url: '/hooks/workflows/:id/:secret', tag, access: 'public',
    summary: "A workflow's inbound webhook: the JSON body's fields become custom values of a new run",
    params: webhookParams, secretParams: ['secret'], body: webhookBody, response: accepted, status: 202,
    handler: async ({ params, body }) => {
      const target = await workflowForWebhook(ctx.db, params.id, params.secret);
      if (!target) throw new ApiError('NOT_FOUND', 'No such webhook');
      // Told plainly, so the sending system can alert someone, rather than accepted and dropped.
      if (target.status !== 'published') throw new ApiError('CONFLICT', `The workflow is ${target.status === 'paused' ? 'paused' : 'not published yet'}`);
      const eventId = await write(ctx.db, target.accountId, (uow) =>
        insertDomainEvent(uow, { accountId: target.accountId, type: 'workflow.inbound_webhook', payload: { workflowId: params.id, fields: body } }),
      );
      return { accepted: true as const, eventId };
    },
  });
};
