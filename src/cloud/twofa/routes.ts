import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { startChallengeRequestSchema, totpConfirmRequestSchema, verifyRequestSchema } from '../../shared/twofa';
import type { CloudContext } from '../context';
import { principalOf, requireAuth } from '../http/auth-hook';
import { parseInput } from '../http/problem';
import type { TwoFactorService } from './service';

const idParams = z.object({ id: z.string().min(1).max(64) });

/** /v1/2fa/*: every route signed in; domain refusals are 200 answers with `status: 'refused'`. */
export async function registerTwoFactorRoutes(app: FastifyInstance, ctx: CloudContext, service: TwoFactorService): Promise<void> {
  await app.register(async (authed) => {
    authed.addHook('preHandler', requireAuth(ctx));
    authed.get('/v1/2fa/status', async (request) => service.status(principalOf(request)));
    authed.get('/v1/2fa/users/:id/status', async (request) => {
      const { id } = parseInput(idParams, request.params, 'params');
      return service.status(principalOf(request), id);
    });
    authed.post('/v1/2fa/challenges', async (request) => service.start(principalOf(request), parseInput(startChallengeRequestSchema, request.body, 'body')));
    authed.post('/v1/2fa/challenges/:id/resend', async (request) => {
      const { id } = parseInput(idParams, request.params, 'params');
      return service.resend(principalOf(request), id);
    });
    authed.post('/v1/2fa/challenges/:id/verify', async (request) => {
      const { id } = parseInput(idParams, request.params, 'params');
      const { code } = parseInput(verifyRequestSchema, request.body, 'body');
      return service.verify(principalOf(request), id, code);
    });
    authed.post('/v1/2fa/challenges/:id/cancel', async (request) => {
      const { id } = parseInput(idParams, request.params, 'params');
      return service.cancel(principalOf(request), id);
    });
    authed.post('/v1/2fa/totp/begin', async (request) => service.totpBegin(principalOf(request)));
    authed.post('/v1/2fa/totp/confirm', async (request) => {
      const { code } = parseInput(totpConfirmRequestSchema, request.body, 'body');
      return service.totpConfirm(principalOf(request), code);
    });
  });
}
