import { z } from 'zod';
import { MEDIA_MAX_FILE_BYTES, mediaFileSchema, mediaKindSchema, mediaUsageSchema } from '../cloud/media';

/**
 * IPC channels of the media library (issue [workflow-builder]): list, upload, delete. A file's bytes
 * cross to main in pieces of at most MEDIA_UPLOAD_CHUNK_BYTES (base64), each well under the browser
 * host's 1 MiB message limit, so no transport needs a bigger message. Main keeps the pieces of an
 * upload in memory (never more than the file size announced at the start, itself at most the cloud's
 * per-file limit) and sends the whole file to the cloud only at `uploadFinish`: a broken or abandoned
 * upload never reaches the library. Online and admin-only in main; merged by contract.ts.
 */
export const MEDIA_UPLOAD_CHUNK_BYTES = 512 * 1024;
/** base64 of one full piece: 4 characters per 3 bytes, padded. */
const CHUNK_BASE64_MAX = Math.ceil(MEDIA_UPLOAD_CHUNK_BYTES / 3) * 4;

const id = z.string().min(1).max(64);
const uploadRef = z.object({ uploadId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) });

export const mediaChannels = {
  'media.list': { input: z.object({ kind: mediaKindSchema.optional() }).strict(), output: z.array(mediaFileSchema) },
  'media.usage': { input: z.undefined(), output: mediaUsageSchema },
  /** Announces a file: its name and exact size (checked against the per-file limit before any byte crosses). */
  'media.uploadStart': {
    input: z.object({ name: z.string().trim().min(1).max(200), sizeBytes: z.number().int().min(1).max(MEDIA_MAX_FILE_BYTES) }).strict(),
    output: z.object({ uploadId: z.string(), chunkBytes: z.number().int() }),
  },
  /** The next piece, in order: `offset` is the number of bytes sent before it. */
  'media.uploadChunk': {
    input: uploadRef.extend({
      offset: z.number().int().min(0).max(MEDIA_MAX_FILE_BYTES),
      data: z.string().min(1).max(CHUNK_BASE64_MAX).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not base64'),
    }).strict(),
    output: z.object({ receivedBytes: z.number().int() }),
  },
  /** All pieces are in: the file goes to the cloud, which decides its type from the bytes. */
  'media.uploadFinish': { input: uploadRef.strict(), output: mediaFileSchema },
  'media.uploadCancel': { input: uploadRef.strict(), output: z.object({ cancelled: z.boolean() }) },
  'media.delete': { input: z.object({ mediaId: id }).strict(), output: z.object({ deleted: z.literal(true) }) },
} as const;
