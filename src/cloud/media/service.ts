import { createHash, randomBytes } from 'node:crypto';
import { MEDIA_MAX_ACCOUNT_BYTES, MEDIA_MAX_FILE_BYTES, MEDIA_TYPES, type MediaFile, type MediaKind, type MediaUsage } from '../../shared/cloud/media';
import { requireAdmin } from '../auth/roles';
import type { CloudContext, Principal } from '../context';
import type { Queryable } from '../db';
import type { UnitOfWork } from '../db/unit-of-work';
import { ApiError, notFound } from '../errors';
import { newId } from '../ids';
import { MEDIA_COLUMNS, toMediaFile } from './rows';
import { cleanFileName, sniffMedia } from './sniff';

/**
 * The media library: uploads (type decided from the bytes, per-file and per-account limits that
 * hold under concurrent uploads), listing, deletion, and the bytes for the public and signed-in
 * download routes. Files are rows (bytea): every API instance serves them.
 */
export async function uploadMedia(ctx: CloudContext, uow: UnitOfWork, principal: Principal, fileName: string, bytes: Buffer): Promise<MediaFile> {
  requireAdmin(principal);
  if (bytes.length === 0) throw new ApiError('VALIDATION_FAILED', 'body: the file is empty', { errors: [{ path: 'body', message: 'The file is empty' }] });
  if (bytes.length > MEDIA_MAX_FILE_BYTES) throw new ApiError('PAYLOAD_TOO_LARGE', `A file may be at most ${MEDIA_MAX_FILE_BYTES / 1024 / 1024} MB`);
  const sniffed = sniffMedia(bytes, fileName);
  if (!sniffed) {
    throw new ApiError(
      'UNSUPPORTED_MEDIA_TYPE',
      'The media library takes MP3 and WAV audio, PNG, JPEG, GIF and WebP images, PDF, and plain-text or CSV files; this file is none of them',
    );
  }
  const name = cleanFileName(fileName, sniffed.contentType);
  // The account row lock serialises uploads of one account, so the account limit holds under concurrency.
  await uow.q.query(`SELECT id FROM accounts WHERE id = $1 FOR NO KEY UPDATE`, [uow.accountId]);
  const used = await usedBytes(uow.q, uow.accountId);
  if (used + bytes.length > MEDIA_MAX_ACCOUNT_BYTES) {
    throw new ApiError('PAYLOAD_TOO_LARGE', `The media library is full (${mb(used)} of ${mb(MEDIA_MAX_ACCOUNT_BYTES)} used); delete files you no longer need first`);
  }
  const id = newId('med');
  const kind: MediaKind = MEDIA_TYPES[sniffed.contentType].kind;
  await uow.q.query(
    `INSERT INTO media_files (id, account_id, name, content_type, kind, size_bytes, sha256, data, public_token, duration_ms, bitrate_kbps, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      id, uow.accountId, name, sniffed.contentType, kind, bytes.length, createHash('sha256').update(bytes).digest('hex'), bytes,
      randomBytes(24).toString('base64url'), sniffed.audio?.durationMs ?? null, sniffed.audio?.bitrateKbps ?? null, principal.userId,
    ],
  );
  await uow.audit(principal.userId, 'media.upload', 'media_file', id, { name, contentType: sniffed.contentType, sizeBytes: bytes.length });
  const rows = await uow.q.query(`SELECT ${MEDIA_COLUMNS} FROM media_files m WHERE m.id = $1`, [id]);
  return toMediaFile(rows[0]!, ctx.publicUrl());
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function usedBytes(q: Queryable, accountId: string): Promise<number> {
  const rows = await q.query<{ used: number }>(`SELECT coalesce(sum(size_bytes), 0)::int8 AS used FROM media_files WHERE account_id = $1 AND deleted_at IS NULL`, [accountId]);
  return Number(rows[0]?.used ?? 0);
}

export async function mediaUsage(ctx: CloudContext, principal: Principal): Promise<MediaUsage> {
  return { usedBytes: await usedBytes(ctx.db, principal.accountId), limitBytes: MEDIA_MAX_ACCOUNT_BYTES, maxFileBytes: MEDIA_MAX_FILE_BYTES };
}

export async function listMedia(ctx: CloudContext, principal: Principal, kind?: MediaKind): Promise<MediaFile[]> {
  const rows = await ctx.db.query(
    `SELECT ${MEDIA_COLUMNS} FROM media_files m WHERE m.account_id = $1 AND m.deleted_at IS NULL AND ($2::text IS NULL OR m.kind = $2)
      ORDER BY m.created_at DESC, m.id DESC`,
    [principal.accountId, kind ?? null],
  );
  return rows.map((r) => toMediaFile(r, ctx.publicUrl()));
}

export async function getMedia(ctx: CloudContext, principal: Principal, id: string): Promise<MediaFile> {
  const found = await findMedia(ctx.db, principal.accountId, id, ctx.publicUrl());
  if (!found) throw notFound('Media file');
  return found;
}

/** A live file of the account, or null (actions resolve attachments and recordings with it). */
export async function findMedia(q: Queryable, accountId: string, id: string, publicUrl: string): Promise<MediaFile | null> {
  const rows = await q.query(`SELECT ${MEDIA_COLUMNS} FROM media_files m WHERE m.id = $1 AND m.account_id = $2 AND m.deleted_at IS NULL`, [id, accountId]);
  return rows[0] ? toMediaFile(rows[0], publicUrl) : null;
}

export interface MediaContent {
  id: string;
  accountId: string;
  name: string;
  contentType: string;
  kind: MediaKind;
  sha256: string;
  bytes: Buffer;
}

type ContentRow = { id: string; account_id: string; name: string; content_type: string; kind: MediaKind; sha256: string; data: Uint8Array };
const toContent = (r: ContentRow): MediaContent => ({
  id: r.id, accountId: r.account_id, name: r.name, contentType: r.content_type, kind: r.kind, sha256: r.sha256, bytes: Buffer.from(r.data),
});

/** The bytes behind a public URL's token (null: no such live file). */
export async function mediaByToken(q: Queryable, token: string): Promise<MediaContent | null> {
  const rows = await q.query<ContentRow>(`SELECT id, account_id, name, content_type, kind, sha256, data FROM media_files WHERE public_token = $1 AND deleted_at IS NULL`, [token]);
  return rows[0] ? toContent(rows[0]) : null;
}

/** The bytes of one of the account's files (signed-in playback, email attachments). */
export async function mediaContent(q: Queryable, accountId: string, id: string): Promise<MediaContent | null> {
  const rows = await q.query<ContentRow>(
    `SELECT id, account_id, name, content_type, kind, sha256, data FROM media_files WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL`,
    [id, accountId],
  );
  return rows[0] ? toContent(rows[0]) : null;
}

/**
 * The library file a URL points at, when it is one of ours (`<publicUrl>/media/<token>/<name>`) and
 * belongs to the account — how actions turn an attachment URL into bytes without fetching anything.
 */
export async function mediaForUrl(q: Queryable, accountId: string, url: string, publicUrl: string): Promise<MediaContent | null> {
  const prefix = `${publicUrl}/media/`;
  if (!url.startsWith(prefix)) return null;
  const token = url.slice(prefix.length).split('/')[0];
  if (!token) return null;
  const found = await mediaByToken(q, token);
  return found && found.accountId === accountId ? found : null;
}

/**
 * Deletes a file: its public URL stops working at once (a step that still names it says so in the
 * log) and its bytes are dropped; the row stays for the audit trail.
 */
export async function deleteMedia(uow: UnitOfWork, principal: Principal, id: string): Promise<void> {
  requireAdmin(principal);
  const rows = await uow.q.query<{ name: string }>(
    `UPDATE media_files SET deleted_at = now(), data = ''::bytea WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL RETURNING name`,
    [id, uow.accountId],
  );
  if (!rows[0]) throw notFound('Media file');
  await uow.audit(principal.userId, 'media.delete', 'media_file', id, { name: rows[0].name });
}
