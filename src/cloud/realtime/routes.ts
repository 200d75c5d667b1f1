import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientMessageSchema } from '../../shared/cloud/realtime';
import type { CloudContext } from '../context';
import type { RealtimeHub } from './hub';
import { z } from 'zod';
import { ApiError } from '../errors';
import { bearerToken, principalOf } from '../http/auth-hook';
import type { ApiRouter } from '../http/router';
import { authenticate } from '../auth/sessions';
import { issueTicket, redeemTicket } from './tickets';

const ticketQuery = z.object({ ticket: z.string().min(20).max(100).optional() }).loose();

/** POST /v1/realtime/tickets: a one-time ticket to open the socket without a header (browsers). */
export function realtimeTicketRoutes(router: ApiRouter, ctx: CloudContext): void {
  router.add({
    method: 'POST', url: '/v1/realtime/tickets', tag: 'realtime', access: 'user', summary: 'A one-time ticket (30 s) to open the realtime socket as `?ticket=`',
    response: z.object({ ticket: z.string(), expiresInSeconds: z.number().int() }), status: 201,
    handler: ({ principal }) => issueTicket(ctx, principal),
  });
}

/** GET /v1/realtime: the poke socket (Authorization header, or a one-time `?ticket=`; never a token in the URL). */
export async function realtimeRoutes(app: FastifyInstance, ctx: CloudContext, hub: RealtimeHub): Promise<void> {
  const authenticateSocket = async (request: FastifyRequest): Promise<void> => {
    const token = bearerToken(request);
    if (token) {
      request.principal = await authenticate(ctx, token);
      return;
    }
    const parsed = ticketQuery.safeParse(request.query ?? {});
    const ticket = parsed.success ? parsed.data.ticket : undefined;
    if (!ticket) throw new ApiError('UNAUTHENTICATED', 'Send an access token (Authorization: Bearer) or a ticket from POST /v1/realtime/tickets');
    request.principal = await redeemTicket(ctx, ticket);
  };
  app.get('/v1/realtime', { websocket: true, preHandler: authenticateSocket }, async (socket, request) => {
    const principal = principalOf(request);
    const remove = hub.add(socket, principal);
    socket.on('close', remove);
    socket.on('message', (data: Buffer) => {
      let parsed;
      try {
        parsed = clientMessageSchema.safeParse(JSON.parse(data.toString('utf8')));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) {
        socket.close(4400, 'bad message');
        return;
      }
      socket.send(JSON.stringify({ type: 'pong', at: new Date().toISOString() }));
    });
    const rows = await ctx.db.query<{ change_seq: number }>(`SELECT change_seq FROM accounts WHERE id = $1`, [principal.accountId]);
    socket.send(JSON.stringify({ type: 'hello', userId: principal.userId, cursor: Number(rows[0]?.change_seq ?? 0) }));
  });
}
