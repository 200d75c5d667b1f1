import { z } from 'zod';
import { cloudIdSchema } from '../../shared/cloud/ids';
import { inboundEmailPaths, inboundEmailResultSchema, inboundEmailSettingsSchema, type InboundEmailResult, type InboundEmailSettings } from '../../shared/cloud/inbound-email';
import { write } from '../db/unit-of-work';
import { ApiError } from '../errors';
import type { FeatureRoutes } from '../http/router';
import { readInboundHeaders, recordInboundEmail, UnreadableEmailError } from './inbound-email';
import { INBOUND_EMAIL_MAX_BYTES, inboundEmailSettings, noteMatched, noteReceived, rotateInboundEmailSecret, secretGeneration } from './inbound-email-settings';
import { INBOUND_EMAIL_SIGNATURE_HEADER, verifyInboundEmail } from './inbound-email-signature';

/**
 * Inbound email: the practice's mail provider posts each message it receives, raw (RFC 822,
 * `Content-Type: message/rfc822`), to the practice's URL, signed with the practice's secret
 * (inbound-email-signature.ts). Public like Twilio's webhooks, in the same admission class
 * (`/hooks/…`: bounded, fast 503 + Retry-After under load). The message's body is never logged or kept.
 * Its admins read the URL and secret, and rotate the secret, in Settings → Email replies.
 */
export const inboundEmailRoutes: FeatureRoutes = (router, ctx) => {
  const tag = 'messaging';
  router.add({
    method: 'GET', url: inboundEmailPaths.settings, tag, access: 'admin', response: inboundEmailSettingsSchema,
    summary: "The inbound email webhook to give the practice's mail provider: its URL, signing secret and signature scheme, and when a message last arrived (replies count Replied and Stop on Response)",
    handler: ({ principal }): Promise<InboundEmailSettings> => inboundEmailSettings(ctx, principal.accountId),
  });
  router.add({
    method: 'POST', url: inboundEmailPaths.rotate, tag, access: 'admin', response: inboundEmailSettingsSchema,
    summary: "Rotate the practice's inbound email secret: the old one stops verifying at once; the answer carries the new one (rate-limited, audited)",
    handler: ({ principal }): Promise<InboundEmailSettings> => write(ctx.db, principal.accountId, (uow) => rotateInboundEmailSecret(ctx, uow, principal)),
  });
  router.add({
    method: 'POST', url: '/hooks/email/inbound/:accountId', tag, access: 'public', secretParams: [],
    summary: 'An inbound email (raw RFC 822, signed): a reply to a sent email counts Replied on its step and ends Stop on Response runs; other mail is recorded and ignored',
    params: z.object({ accountId: cloudIdSchema }), rawBody: { bodyLimit: INBOUND_EMAIL_MAX_BYTES }, response: inboundEmailResultSchema,
    handler: async ({ params, request }): Promise<InboundEmailResult> => {
      // Only message/rfc822 is read as bytes here (app.ts); anything else arrived parsed, or not at all.
      if (!Buffer.isBuffer(request.body)) throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Post the raw message with Content-Type: message/rfc822');
      const raw = request.body;
      const header = request.headers[INBOUND_EMAIL_SIGNATURE_HEADER];
      const generation = await secretGeneration(ctx.db, params.accountId);
      const check = verifyInboundEmail(ctx.keys, params.accountId, generation, Array.isArray(header) ? header[0] : header, raw);
      if (!check.ok) {
        request.log.warn({ accountId: params.accountId, reason: check.reason }, 'rejected an inbound email with a missing, forged or stale signature');
        throw new ApiError('FORBIDDEN', `Inbound email refused: ${check.reason}`);
      }
      const account = await ctx.db.query(`SELECT 1 FROM accounts WHERE id = $1`, [params.accountId]);
      if (!account[0]) throw new ApiError('NOT_FOUND', 'No such practice');
      const headers = await readInboundHeaders(raw).catch((error: unknown) => {
        if (!(error instanceof UnreadableEmailError)) throw error;
        throw new ApiError('BAD_REQUEST', 'The message could not be read as an RFC 822 email');
      });
      const outcome = await write(ctx.db, params.accountId, async (uow) => {
        await noteReceived(uow, generation);
        const recorded = await recordInboundEmail(uow, headers);
        if (recorded.matched && !recorded.duplicate) await noteMatched(uow);
        return recorded;
      });
      // Ids and counts only: never the body, the subject or the secret.
      request.log.info({ accountId: params.accountId, matched: outcome.matched, duplicate: outcome.duplicate }, 'inbound email');
      return { received: true, matched: outcome.matched, duplicate: outcome.duplicate };
    },
  });
};
