import type { FastifyRequest } from 'fastify';
import type { CloudContext, Principal } from '../context';
import { ApiError } from '../errors';
import { authenticate } from '../auth/sessions';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return undefined;
}

/** preHandler for every /v1 route except sign-in: sets request.principal or refuses. */
export function requireAuth(ctx: CloudContext) {
  return async (request: FastifyRequest): Promise<void> => {
    // Only the header: a token in a URL ends up in logs, proxies and browser history.
    const token = bearerToken(request);
    if (!token) throw new ApiError('UNAUTHENTICATED', 'Send an access token: Authorization: Bearer <token>');
    request.principal = await authenticate(ctx, token);
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiError('UNAUTHENTICATED', 'Sign-in required');
  return request.principal;
}
