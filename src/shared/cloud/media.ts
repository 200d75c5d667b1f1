import { z } from 'zod';

/**
 * The media library: files an admin uploads once and picks in workflow actions — email
 * attachments, images, and the recordings a Voicemail Drop plays. Upload the bytes to
 * `POST /v1/media?name=<file name>` (Content-Type `application/octet-stream`, or the file's own
 * audio/image/PDF/CSV type). The server decides the type from the bytes, never from the name.
 */
const id = z.string().min(1).max(64);

/** At most this many bytes per file (an email attachment or a voicemail recording). */
export const MEDIA_MAX_FILE_BYTES = 10 * 1024 * 1024;
/** At most this many bytes of live files per account. */
export const MEDIA_MAX_ACCOUNT_BYTES = 500 * 1024 * 1024;

/** What the library accepts, by detected type. HTML, SVG and executables never: they could run when opened. */
export const MEDIA_TYPES = {
  'audio/mpeg': { kind: 'audio', extensions: ['mp3'] },
  'audio/wav': { kind: 'audio', extensions: ['wav'] },
  'image/png': { kind: 'image', extensions: ['png'] },
  'image/jpeg': { kind: 'image', extensions: ['jpg', 'jpeg'] },
  'image/gif': { kind: 'image', extensions: ['gif'] },
  'image/webp': { kind: 'image', extensions: ['webp'] },
  'application/pdf': { kind: 'document', extensions: ['pdf'] },
  'text/plain': { kind: 'document', extensions: ['txt'] },
  'text/csv': { kind: 'document', extensions: ['csv'] },
} as const;
export type MediaContentType = keyof typeof MEDIA_TYPES;

export const mediaKindSchema = z.enum(['audio', 'image', 'document']);
export type MediaKind = z.infer<typeof mediaKindSchema>;

export const mediaFileSchema = z.object({
  id,
  accountId: id,
  name: z.string(),
  contentType: z.string(),
  kind: mediaKindSchema,
  sizeBytes: z.number().int(),
  sha256: z.string(),
  /** The public URL Twilio (<Play>), phones (SMS links) and mail clients fetch: unguessable, no sign-in. */
  url: z.string(),
  /** Audio: its length and average bitrate. */
  durationMs: z.number().int().nullable(),
  bitrateKbps: z.number().int().nullable(),
  /** Advice for audio that may not play on a phone line (the seed: convert to a 64 kbps MP3). */
  warning: z.string().nullable(),
  createdAt: z.string(),
  createdBy: id.nullable(),
});
export type MediaFile = z.infer<typeof mediaFileSchema>;

export const mediaUsageSchema = z.object({
  /** Bytes of live files and the account's limit. */
  usedBytes: z.number().int(),
  limitBytes: z.number().int(),
  maxFileBytes: z.number().int(),
});
export type MediaUsage = z.infer<typeof mediaUsageSchema>;
