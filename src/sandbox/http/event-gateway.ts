// Twilio's Insights event gateway (eventgw[.<region>].twilio.com/v4/EndpointEvents and
// /EndpointMetrics): the Voice SDK posts call-quality events there unless `publishEvents` is off.
// Accepted when signed by a valid access token (X-Twilio-Token), kept in the InsightsLog.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApiKey } from '../auth/access-token';
import { verifyAccessToken } from '../auth/access-token';
import type { EventLog } from '../events/event-log';
import type { InsightsLog } from '../state/insights';
import { allowCrossOrigin, answerPreflight } from './cors';

const postSchema = z.object({
  group: z.string().default(''),
  name: z.string().default(''),
  level: z.string().default('INFO'),
  payload: z.unknown(),
});

function callSidOf(payload: unknown): string | null {
  const first = Array.isArray(payload) ? payload[0] : payload;
  const sid = first && typeof first === 'object' ? ((first as Record<string, unknown>).call_sid ?? (first as Record<string, unknown>).callSid) : undefined;
  return typeof sid === 'string' && sid.startsWith('CA') ? sid : null;
}

export function registerEventGateway(app: FastifyInstance, insights: InsightsLog, events: EventLog, findApiKey: (sid: string) => ApiKey | undefined): void {
  for (const endpoint of ['EndpointEvents', 'EndpointMetrics'] as const) {
    const path = `/v4/${endpoint}`;
    answerPreflight(app, path);
    app.post(path, async (req, reply) => {
      allowCrossOrigin(reply, req.headers.origin);
      const header = req.headers['x-twilio-token'];
      const check = verifyAccessToken(typeof header === 'string' ? header : '', findApiKey);
      if (!check.ok) return reply.code(401).send({ code: 20101, message: `Invalid access token: ${check.message}` });
      const body = postSchema.safeParse(req.body);
      if (!body.success) return reply.code(400).send({ code: 20001, message: 'Malformed event' });
      const post = { endpoint, identity: check.token.identity, group: body.data.group, name: body.data.name, level: body.data.level, callSid: callSidOf(body.data.payload), payload: body.data.payload, receivedAt: new Date() };
      insights.add(post);
      events.emitEvent('insights.received', { endpoint, identity: post.identity, group: post.group, name: post.name, callSid: post.callSid });
      return reply.code(200).send({});
    });
  }
}

/** GET /sandbox/insights[?name=&identity=&callSid=&endpoint=]: what SDKs posted, for tests in other processes. */
export function registerInsightsControl(app: FastifyInstance, insights: InsightsLog, guard: (req: FastifyRequest, reply: FastifyReply) => boolean): void {
  app.get('/sandbox/insights', async (req, reply) => {
    if (!guard(req, reply)) return;
    const q = req.query as Record<string, string | undefined>;
    const endpoint = q.endpoint === 'EndpointEvents' || q.endpoint === 'EndpointMetrics' ? q.endpoint : undefined;
    return insights.all({ name: q.name, identity: q.identity, callSid: q.callSid, group: q.group, endpoint });
  });
}
