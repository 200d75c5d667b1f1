// The stand-in's control API over HTTP, for other processes and the standalone stand-in:
// /_standin/… with `Authorization: Bearer <controlToken>`, JSON bodies, zod-validated.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { SlackControl } from './slack-control';

export function registerSlackControlRoutes(app: FastifyInstance, control: SlackControl, controlToken: string): void {
  const expected = Buffer.from(`Bearer ${controlToken}`);
  const guard = (req: FastifyRequest, reply: FastifyReply): boolean => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
    void reply.code(401).send({ error: 'the control API needs Authorization: Bearer <controlToken>' });
    return false;
  };
  const run = async (req: FastifyRequest, reply: FastifyReply, action: () => unknown): Promise<unknown> => {
    if (!guard(req, reply)) return reply;
    try {
      return (await action()) ?? { ok: true };
    } catch (error) {
      return reply.code(400).send({ error: error instanceof z.ZodError ? z.prettifyError(error) : error instanceof Error ? error.message : String(error) });
    }
  };
  app.get('/_standin/messages', async (req, reply) => run(req, reply, () => control.messages({ ...((req.query as { channel?: string }).channel ? { channel: (req.query as { channel: string }).channel } : {}) })));
  app.post('/_standin/install', async (req, reply) => run(req, reply, () => control.install((req.body ?? {}) as never)));
  app.post('/_standin/rate-limit', async (req, reply) => run(req, reply, () => control.rateLimit((req.body ?? {}) as never)));
  app.post('/_standin/enforce-rate-limits', async (req, reply) => run(req, reply, () => control.enforceRateLimits(z.object({ on: z.boolean() }).parse(req.body).on)));
  app.post('/_standin/deny-next-authorization', async (req, reply) => run(req, reply, () => control.denyNextAuthorization()));
  app.post('/_standin/installer', async (req, reply) => run(req, reply, () => control.setInstaller(z.object({ member: z.string() }).parse(req.body).member)));
  app.post('/_standin/invite', async (req, reply) =>
    run(req, reply, () => {
      const b = z.object({ channel: z.string(), member: z.string().optional() }).parse(req.body);
      control.invite(b.channel, b.member);
    }),
  );
  app.post('/_standin/users', async (req, reply) =>
    run(req, reply, () => control.addUser(z.object({ realName: z.string().min(1), email: z.email(), title: z.string().optional(), isAdmin: z.boolean().optional() }).parse(req.body))),
  );
  app.post('/_standin/channels', async (req, reply) =>
    run(req, reply, () => {
      const c = control.addChannel(z.object({ name: z.string(), isPrivate: z.boolean().optional(), members: z.array(z.string()).optional() }).parse(req.body));
      return { id: c.id, name: c.name, isPrivate: c.isPrivate };
    }),
  );
}
