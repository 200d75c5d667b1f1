// The browser fetches sounds and posts Insights cross-origin (a page's origin → the Twilio
// hostnames the sandbox stands in for), so those routes answer CORS as Twilio's hosts do.
import type { FastifyInstance, FastifyReply } from 'fastify';

export function allowCrossOrigin(reply: FastifyReply, origin: string | undefined): FastifyReply {
  return reply
    .header('access-control-allow-origin', origin ?? '*')
    .header('vary', 'Origin')
    .header('access-control-allow-methods', 'GET, POST, OPTIONS')
    .header('access-control-allow-headers', 'Content-Type, X-Twilio-Token')
    .header('access-control-max-age', '600');
}

/** Preflight answers for a path pattern. */
export function answerPreflight(app: FastifyInstance, path: string): void {
  app.options(path, async (req, reply) => allowCrossOrigin(reply, req.headers.origin).code(204).send());
}
