import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FeatureRoutes } from '../http/router';
import { assertTwilioRequest } from '../telephony/webhook-routes';
import { write } from '../db/unit-of-work';
import { touchTaskOfMessage } from '../tasks/text';
import { recordTriggerLinkClick, triggerLinkTarget } from '../trigger-links/tokens';
import { linkClickRefused } from './click-limit';
import { applyStatus, fromTwilioStatus, messageStatusPath, recordClick, recordOpen, trackedLinkTarget } from './outbound';

const statusBody = z
  .object({
    AccountSid: z.string(),
    MessageSid: z.string().min(1).max(64),
    MessageStatus: z.string().min(1).max(32),
    ErrorCode: z.string().max(16).optional(),
    ErrorMessage: z.string().max(500).optional(),
  })
  .passthrough();

/** The small page a phone shows instead of following a link: the same frame for every answer. */
const linkPage = (title: string, heading: string, text: string): string => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body style="font-family: system-ui, sans-serif; margin: 2rem; line-height: 1.5"><h1>${heading}</h1><p>${text}</p></body></html>`;

/** What a phone shows for a link that is not (or no longer) one of ours. */
const NOT_FOUND_PAGE = linkPage('Link not found', 'This link is not valid', 'Check that the whole link was opened, or ask the practice that sent it for a new one.');
/** What it shows past the per-address click limit. */
const TOO_MANY_PAGE = linkPage('Too many requests', 'Too many links opened', 'Too many links were opened from this network just now. Please wait a little, then open the link again.');

const sendPage = (reply: FastifyReply, status: number, page: string): FastifyReply =>
  reply.status(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').header('content-security-policy', "default-src 'none'").send(page);

/** A 1×1 transparent GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * What comes back from sent messages: Twilio's message status callbacks (Delivered / Failed
 * statistics), clicks on tracked links and email opens (the pixel). All public — Twilio, phones
 * and mail clients call them — and each names its message by an unguessable token or a signed
 * Twilio request.
 */
const linkParams = z.object({ token: z.string().min(8).max(64) });

export const messagingRoutes: FeatureRoutes = (router, ctx) => {
  const tag = 'messaging';
  router.add({
    method: 'POST', url: messageStatusPath, tag, access: 'public', status: 204,
    summary: "Twilio's message status callback (signed): moves the sent message's status on and counts Delivered / Failed on its workflow step",
    query: z.object({ m: z.string().min(1).max(64) }),
    handler: async ({ request, query }) => {
      assertTwilioRequest(ctx, request);
      const body = statusBody.parse(request.body);
      const status = fromTwilioStatus(body.MessageStatus);
      if (!status) return;
      const owner = await ctx.db.query<{ account_id: string }>(`SELECT account_id FROM outbound_messages WHERE id = $1`, [query.m]);
      if (!owner[0]) return;
      await write(ctx.db, owner[0].account_id, async (uow) => {
        const before = await uow.q.query<{ status: string }>(`SELECT status FROM outbound_messages WHERE id = $1`, [query.m]);
        const after = await applyStatus(uow.q, { messageId: query.m, providerId: body.MessageSid, status, errorCode: body.ErrorCode ?? null, errorMessage: body.ErrorMessage ?? null });
        // A text task's message: the task shows its delivery, so its new status reaches the desktops (sync seq).
        if (after && after.status !== before[0]?.status) await touchTaskOfMessage(uow, query.m);
      });
    },
  });
  // Per client address, before the token is looked at: every request counts the same, known token
  // or not, so the limit tells nothing about which tokens exist; a refused one counts no click. The
  // GET and the HEAD differ only in how they find where the link goes.
  const linkAnswer =
    (target: (token: string) => Promise<string | null>) =>
    async ({ params, request, reply }: { params: z.output<typeof linkParams>; request: FastifyRequest; reply: FastifyReply }) => {
      const refused = await linkClickRefused(ctx, request.ip);
      if (refused) return sendPage(reply.header('retry-after', String(refused.retryAfterSeconds)), 429, TOO_MANY_PAGE);
      const url = await target(params.token);
      // The same page for every unknown token: it says nothing about any practice.
      if (!url) return sendPage(reply, 404, NOT_FOUND_PAGE);
      return reply.status(302).header('location', url).header('referrer-policy', 'no-referrer').header('cache-control', 'no-store').send();
    };
  router.add({
    method: 'GET', url: '/l/:token', tag, access: 'public',
    summary: 'A tracked link in a sent message, or a contact’s trigger link: counts the click (Clicked; the trigger link’s clicks) and redirects to the link; 429 + Retry-After past the per-address limit (LINK_CLICK_LIMIT)',
    params: linkParams, secretParams: ['token'],
    // A link in the message's text, else a trigger link made for the contact (trigger-links/tokens.ts).
    handler: linkAnswer((token) => ctx.db.transaction(async (q) => (await recordClick(q, token)) ?? (await recordTriggerLinkClick(q, token)))),
    // A mail scanner or an unfurler checking the link is told where it goes, and counts no click.
    head: linkAnswer(async (token) => (await trackedLinkTarget(ctx.db, token)) ?? (await triggerLinkTarget(ctx.db, token))),
  });
  // The same answer whether or not the token is known: a pixel tells nobody anything.
  const sendPixel = (reply: FastifyReply) => reply.status(200).header('content-type', 'image/gif').header('cache-control', 'no-store, private').send(PIXEL);
  router.add({
    method: 'GET', url: '/o/:file', tag, access: 'public', summary: "An email's open pixel (<token>.gif): counts the open (Opened)",
    params: z.object({ file: z.string().min(8).max(80).regex(/^[A-Za-z0-9_-]+\.gif$/) }), secretParams: ['file'],
    handler: async ({ params, reply }) => {
      await ctx.db.transaction((q) => recordOpen(q, params.file.replace(/\.gif$/, '')));
      return sendPixel(reply);
    },
    // A scanner checking the image, not a person reading the email: no open.
    head: async ({ reply }) => sendPixel(reply),
  });
};
