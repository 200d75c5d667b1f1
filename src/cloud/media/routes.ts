import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MEDIA_MAX_FILE_BYTES, mediaFileSchema, mediaKindSchema, mediaUsageSchema } from '../../shared/cloud/media';
import { write } from '../db/unit-of-work';
import { notFound } from '../errors';
import { idParams } from '../http/params';
import type { FeatureRoutes } from '../http/router';
import { deleteMedia, getMedia, listMedia, mediaByToken, mediaContent, mediaUsage, uploadMedia, type MediaContent } from './service';

const uploadQuery = z.object({ name: z.string().trim().min(1).max(200) });
const listQuery = z.object({ kind: mediaKindSchema.optional() });
const publicParams = z.object({ token: z.string().min(16).max(64).regex(/^[A-Za-z0-9_-]+$/), name: z.string().max(400) });

/**
 * Sends a file so that it can never run as a page: its detected type, nosniff, a CSP that allows
 * nothing, inline only for audio and images (what a phone, a mail client or the builder plays).
 */
function sendFile(request: FastifyRequest, reply: FastifyReply, file: MediaContent): FastifyReply {
  const etag = `"${file.sha256}"`;
  reply
    .header('content-type', file.contentType)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-disposition', `${file.kind === 'document' ? 'attachment' : 'inline'}; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    .header('cache-control', 'private, max-age=300')
    .header('etag', etag);
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();
  return reply.send(file.bytes);
}

/** The media library (attachments, images, voicemail recordings) and the URLs its files are fetched at. */
export const mediaRoutes: FeatureRoutes = (router, ctx) => {
  router.add({
    method: 'POST', url: '/v1/media', tag: 'media', access: 'admin', status: 201,
    summary: `Upload a file (raw bytes; at most ${MEDIA_MAX_FILE_BYTES / 1024 / 1024} MB; MP3/WAV, PNG/JPEG/GIF/WebP, PDF, TXT/CSV — decided from the bytes)`,
    query: uploadQuery, body: z.instanceof(Buffer), rawBody: { bodyLimit: MEDIA_MAX_FILE_BYTES }, response: mediaFileSchema,
    handler: ({ principal, query, body }) => write(ctx.db, principal.accountId, (uow) => uploadMedia(ctx, uow, principal, query.name, body)),
  });
  router.add({
    method: 'GET', url: '/v1/media', tag: 'media', access: 'user', summary: 'The library, newest first, optionally of one kind',
    query: listQuery, response: z.array(mediaFileSchema),
    handler: ({ principal, query }) => listMedia(ctx, principal, query.kind),
  });
  router.add({
    method: 'GET', url: '/v1/media/usage', tag: 'media', access: 'user', summary: 'Bytes used, the account limit and the per-file limit',
    response: mediaUsageSchema,
    handler: ({ principal }) => mediaUsage(ctx, principal),
  });
  router.add({
    method: 'GET', url: '/v1/media/:id', tag: 'media', access: 'user', summary: 'One file\'s details',
    params: idParams, response: mediaFileSchema,
    handler: ({ principal, params }) => getMedia(ctx, principal, params.id),
  });
  router.add({
    method: 'GET', url: '/v1/media/:id/content', tag: 'media', access: 'user', summary: 'The file itself (play a recording back before using it)',
    params: idParams,
    handler: async ({ principal, params, request, reply }) => {
      const file = await mediaContent(ctx.db, principal.accountId, params.id);
      if (!file) throw notFound('Media file');
      return sendFile(request, reply, file);
    },
  });
  router.add({
    method: 'DELETE', url: '/v1/media/:id', tag: 'media', access: 'admin', summary: 'Delete a file (its public URL stops working)', status: 204,
    params: idParams,
    handler: ({ principal, params }) => write(ctx.db, principal.accountId, (uow) => deleteMedia(uow, principal, params.id)),
  });
  router.add({
    method: 'GET', url: '/media/:token/:name', tag: 'media', access: 'public',
    summary: 'A library file at its public URL (what Twilio <Play>, SMS links and emails fetch; the token is the secret)',
    params: publicParams, secretParams: ['token'],
    // Twilio and mail clients may check the file first; reading it changes nothing.
    head: 'reads-only',
    handler: async ({ params, request, reply }) => {
      const file = await mediaByToken(ctx.db, params.token);
      if (!file) throw notFound('Media file');
      return sendFile(request, reply, file);
    },
  });
};
