import { loginRequestSchema, loginResponseSchema, refreshRequestSchema, tokenPairSchema } from '../../shared/cloud/auth';
import type { FeatureRoutes } from '../http/router';
import { login, logout, refresh } from './sessions';

/** Sign-in, token refresh and sign-out. */
export const authRoutes: FeatureRoutes = (router, ctx) => {
  router.add({
    method: 'POST', url: '/v1/auth/login', tag: 'auth', access: 'public', summary: 'Sign in with email and password',
    body: loginRequestSchema, response: loginResponseSchema,
    handler: ({ body, request }) => login(ctx, body, request.ip),
  });
  router.add({
    method: 'POST', url: '/v1/auth/refresh', tag: 'auth', access: 'public', summary: 'Trade a refresh token for a new pair (rotates; reuse revokes the session)',
    body: refreshRequestSchema, response: tokenPairSchema,
    handler: ({ body }) => refresh(ctx, body.refreshToken),
  });
  router.add({
    method: 'POST', url: '/v1/auth/logout', tag: 'auth', access: 'user', summary: 'Sign this session out', status: 204,
    handler: ({ principal }) => logout(ctx, principal),
  });
};
