import { z } from 'zod';
import {
  slackChannelPageSchema,
  slackChannelQuerySchema,
  slackConnectionSchema,
  slackConnectStartSchema,
  slackMemberPageSchema,
  slackPageQuerySchema,
  slackTestMessageSchema,
} from '../../shared/cloud/slack';
import { write } from '../db/unit-of-work';
import { ApiError } from '../errors';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { slackClient, slackProblem } from './client';
import { disconnectSlack, finishSlackConnect, listSlackConnections, noteSlackFailure, requireConnection, slackCallbackPath, startSlackConnect } from './connections';
import { listSlackChannels, listSlackMembers } from './directory';
import { postToSlack } from './post';

const callbackQuery = z.object({ code: z.string().max(500).optional(), state: z.string().max(200).optional(), error: z.string().max(200).optional() });
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page the admin's browser lands on after Slack: plain, readable in light and dark, nothing to run. */
function resultPage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}h1{font-size:1.4rem}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main></body></html>`;
}

/** Settings → Integrations → Slack. */
export const slackRoutes: FeatureRoutes = (router, ctx) => {
  const tag = 'slack';
  router.add({
    method: 'GET', url: '/v1/integrations/slack', tag, access: 'admin', summary: 'Connected Slack workspaces',
    response: z.array(slackConnectionSchema),
    handler: ({ principal }) => listSlackConnections(ctx, principal),
  });
  router.add({
    method: 'POST', url: '/v1/integrations/slack/connect', tag, access: 'admin', status: 201,
    summary: 'Start connecting a workspace: open the returned Slack link in a browser; Slack comes back to the cloud, which finishes it',
    response: slackConnectStartSchema,
    handler: ({ principal }) => write(ctx.db, principal.accountId, (uow) => startSlackConnect(ctx, uow, principal)),
  });
  router.add({
    method: 'GET', url: slackCallbackPath, tag, access: 'public', summary: "Slack's OAuth redirect (the admin's browser): finishes the connection and says so",
    query: callbackQuery,
    handler: async ({ query, reply }) => {
      const outcome = await finishSlackConnect(ctx, query);
      const html = outcome.ok
        ? resultPage('Slack connected', `The Slack workspace "${outcome.connection.teamName}" is connected to Aesthetix. You can close this window and go back to the app.`)
        : resultPage('Slack was not connected', outcome.message);
      return reply
        .status(outcome.ok ? 200 : 400)
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .send(html);
    },
    // A link checker's HEAD finishes nothing: the one-time state is kept for the admin's own visit.
    head: async ({ reply }) => reply.status(200).header('content-type', 'text/html; charset=utf-8').send(),
  });
  router.add({
    method: 'DELETE', url: '/v1/integrations/slack/:id', tag, access: 'admin', status: 204, params: idParams,
    summary: 'Disconnect a workspace (its tokens are revoked at Slack; Slack steps using it are skipped with the reason)',
    handler: ({ principal, params }) => disconnectSlack(ctx, principal, params.id),
  });
  router.add({
    method: 'GET', url: '/v1/integrations/slack/:id/members', tag, access: 'admin', params: idParams, query: slackPageQuerySchema,
    summary: 'Workspace members, one page at a time (Load More: pass nextCursor as cursor); search reads pages until enough match',
    response: slackMemberPageSchema,
    handler: ({ principal, params, query }) => listSlackMembers(ctx, principal, params.id, query),
  });
  router.add({
    method: 'GET', url: '/v1/integrations/slack/:id/channels', tag, access: 'admin', params: idParams, query: slackChannelQuerySchema,
    summary: 'Public channels, or the private channels of the person who connected Slack, one page at a time',
    response: slackChannelPageSchema,
    handler: ({ principal, params, query }) => listSlackChannels(ctx, principal, params.id, query),
  });
  router.add({
    method: 'POST', url: '/v1/integrations/slack/:id/test-message', tag, access: 'admin', params: idParams, body: slackTestMessageSchema,
    summary: "Send a test message from the Slack action's panel", response: z.object({ channel: z.string(), ts: z.string(), postedAs: z.enum(['bot', 'installer']) }),
    handler: async ({ principal, params, body }) => {
      const open = await requireConnection(ctx, principal, params.id);
      if (body.kind === 'private_channel' && !open.userToken) {
        throw new ApiError('SLACK_REQUEST_FAILED', 'This workspace was connected without a user token, so its private channels cannot be used: connect it again');
      }
      const clients = { bot: slackClient(ctx.config, open.botToken), user: open.userToken ? slackClient(ctx.config, open.userToken) : null };
      const destination = body.kind === 'direct_message' ? { kind: body.kind, memberId: body.target } : { kind: body.kind, channelId: body.target };
      try {
        return await postToSlack(clients, destination, `[Test] ${body.text}`);
      } catch (error) {
        await noteSlackFailure(ctx.db, principal.accountId, params.id, error);
        throw slackProblem(error, 'sending the test message');
      }
    },
  });
};
