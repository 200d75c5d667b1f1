import { z } from 'zod';
import { agentOptionsSchema, agentSchema, createActionSchema, createAgentSchema, updateActionSchema, updateAgentSchema } from '../../shared/cloud/agents';
import { write } from '../db/unit-of-work';
import { cloudIdSchema } from '../../shared/cloud/ids';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { practiceContactFields } from './contact-fields';
import { checkWebhookUrl } from './webhook-url';
import { addAction, createAgent, deleteAction, deleteAgent, listAgents, readAgent, updateAction, updateAgent } from './service';

const actionParams = idParams.extend({ actionId: cloudIdSchema });

/** AI agents and their action cards: admins only (the service checks the role too). */
export const agentRoutes: FeatureRoutes = (router, ctx) => {
  const brain = ctx.config.ai.brain;
  router.add({
    method: 'GET', url: '/v1/agents', tag: 'agents', access: 'admin', summary: "The practice's AI agents with their action cards and whether a brain is configured",
    response: z.array(agentSchema),
    handler: ({ principal }) => listAgents(ctx, principal),
  });
  router.add({
    method: 'GET', url: '/v1/agents/options', tag: 'agents', access: 'admin',
    summary: "Whether the cloud has an AI brain (agents answer calls only with one) and the contact fields an Update Contact Fields card can set (name, email, the practice's custom fields)",
    response: agentOptionsSchema,
    handler: async ({ principal }) => ({ brain, contactFields: await practiceContactFields(ctx.db, principal.accountId) }),
  });
  router.add({
    method: 'GET', url: '/v1/agents/:id', tag: 'agents', access: 'admin', summary: 'One AI agent with its action cards',
    params: idParams, response: agentSchema,
    handler: ({ principal, params }) => readAgent(ctx.db, principal.accountId, params.id, brain),
  });
  router.add({
    method: 'POST', url: '/v1/agents', tag: 'agents', access: 'admin', summary: 'Create an AI agent (name, lines and when it answers, greeting, goals)', status: 201,
    body: createAgentSchema, response: agentSchema,
    handler: ({ principal, body }) => write(ctx.db, principal.accountId, (uow) => createAgent(uow, principal, brain, body)),
  });
  router.add({
    method: 'PATCH', url: '/v1/agents/:id', tag: 'agents', access: 'admin', summary: "Change an AI agent's settings",
    params: idParams, body: updateAgentSchema, response: agentSchema,
    handler: ({ principal, params, body }) => write(ctx.db, principal.accountId, (uow) => updateAgent(uow, principal, brain, params.id, body)),
  });
  router.add({
    method: 'DELETE', url: '/v1/agents/:id', tag: 'agents', access: 'admin', summary: 'Delete an AI agent (its lines ring as usual again)',
    params: idParams, response: z.object({ id: z.string(), deleted: z.literal(true) }),
    handler: ({ principal, params }) => write(ctx.db, principal.accountId, (uow) => deleteAgent(uow, principal, params.id)),
  });
  router.add({
    method: 'POST', url: '/v1/agents/:id/actions', tag: 'agents', access: 'admin',
    summary: 'Add an action card (409 AGENT_ACTION_LIMIT_REACHED past 15 during the call, 1 booking, 25 field updates)', status: 201,
    params: idParams, body: createActionSchema, response: agentSchema,
    handler: async ({ principal, params, body }) => {
      await checkWebhookUrl(ctx.outbound, body.config);
      return write(ctx.db, principal.accountId, (uow) => addAction(uow, principal, brain, params.id, body));
    },
  });
  router.add({
    method: 'PATCH', url: '/v1/agents/:id/actions/:actionId', tag: 'agents', access: 'admin', summary: 'Edit an action card (limits apply to a changed type)',
    params: actionParams, body: updateActionSchema, response: agentSchema,
    handler: async ({ principal, params, body }) => {
      await checkWebhookUrl(ctx.outbound, body.config);
      return write(ctx.db, principal.accountId, (uow) => updateAction(uow, principal, brain, params.id, params.actionId, body));
    },
  });
  router.add({
    method: 'DELETE', url: '/v1/agents/:id/actions/:actionId', tag: 'agents', access: 'admin', summary: 'Delete an action card',
    params: actionParams, response: agentSchema,
    handler: ({ principal, params }) => write(ctx.db, principal.accountId, (uow) => deleteAction(uow, principal, brain, params.id, params.actionId)),
  });
};
