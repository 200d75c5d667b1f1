import type { FastifyInstance } from 'fastify';
import { clientMessageSchema } from '../../shared/cloud/realtime';
import type { CloudContext } from '../context';
import type { RealtimeHub } from './hub';
import { principalOf, requireAuth } from '../http/auth-hook';

/** GET /v1/realtime: the poke socket (Authorization header, or ?access_token= for browsers). */
export async function realtimeRoutes(app: FastifyInstance, ctx: CloudContext, hub: RealtimeHub): Promise<void> {
  app.get('/v1/realtime', { websocket: true, preHandler: requireAuth(ctx, true) }, async (socket, request) => {
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
