import { createHash, randomBytes } from 'node:crypto';
import type { CloudContext, Principal } from '../context';
import { ApiError } from '../errors';
import { principalForSession } from '../auth/sessions';

/**
 * One-time tickets for the realtime socket, for clients that cannot send an Authorization header
 * on a WebSocket (browsers): `POST /v1/realtime/tickets` with the access token, then open
 * `/v1/realtime?ticket=…` within 30 seconds. Only the hash is stored; redeeming deletes it in the
 * same statement, so a ticket opens one socket at most, on any instance.
 */
export const TICKET_TTL_SECONDS = 30;
const hash = (ticket: string): string => createHash('sha256').update(ticket).digest('base64url');

export async function issueTicket(ctx: CloudContext, principal: Principal): Promise<{ ticket: string; expiresInSeconds: number }> {
  const ticket = randomBytes(32).toString('base64url');
  await ctx.db.query(`DELETE FROM realtime_tickets WHERE expires_at < now()`);
  await ctx.db.query(`INSERT INTO realtime_tickets (ticket_hash, session_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))`, [
    hash(ticket),
    principal.sessionId,
    TICKET_TTL_SECONDS,
  ]);
  return { ticket, expiresInSeconds: TICKET_TTL_SECONDS };
}

export async function redeemTicket(ctx: CloudContext, ticket: string): Promise<Principal> {
  const rows = await ctx.db.query<{ session_id: string }>(`DELETE FROM realtime_tickets WHERE ticket_hash = $1 AND expires_at > now() RETURNING session_id`, [hash(ticket)]);
  const sessionId = rows[0]?.session_id;
  if (!sessionId) throw new ApiError('UNAUTHENTICATED', 'This realtime ticket is not valid (used, expired or unknown): ask for a new one');
  return principalForSession(ctx, sessionId);
}
