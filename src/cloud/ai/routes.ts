import { aiWriteRequestSchema, aiWriteResultSchema, aiWriteStatusSchema } from '../../shared/cloud/ai-write';
import type { FeatureRoutes } from '../http/router';
import { AI_NOT_CONFIGURED_MESSAGE, writeWithAi, writerClient } from './write';

/** Write with AI for the workflow builder's email and SMS actions: admins only. */
export const aiRoutes: FeatureRoutes = (router, ctx) => {
  const client = writerClient(ctx.config.ai);
  router.add({
    method: 'GET', url: '/v1/ai/write', tag: 'ai', access: 'admin', summary: 'Whether Write with AI is available on this server, and why not',
    response: aiWriteStatusSchema,
    handler: async () => (client ? { available: true, reason: null } : { available: false, reason: AI_NOT_CONFIGURED_MESSAGE }),
  });
  router.add({
    method: 'POST', url: '/v1/ai/write', tag: 'ai', access: 'admin',
    summary: 'Draft an email (subject + body) or a text with the configured AI service; 409 AI_NOT_CONFIGURED when there is none, 429 past 30 drafts per practice per 10 minutes',
    body: aiWriteRequestSchema, response: aiWriteResultSchema,
    handler: ({ principal, body }) => writeWithAi(ctx, client, principal.accountId, body),
  });
};
