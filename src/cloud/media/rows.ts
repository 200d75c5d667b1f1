import type { MediaFile, MediaKind } from '../../shared/cloud/media';
import { int, intOrNull, text, textOrNull, type Row } from '../db/columns';
import { audioWarning } from './audio-probe';

/** Every column but the bytes. */
export const MEDIA_COLUMNS = `m.id, m.account_id, m.name, m.content_type, m.kind, m.size_bytes, m.sha256, m.public_token, m.duration_ms, m.bitrate_kbps, m.created_at, m.created_by`;

/** The public URL of a file (no sign-in: the token is the secret). */
export const mediaUrl = (publicUrl: string, token: string, name: string): string => `${publicUrl}/media/${token}/${encodeURIComponent(name)}`;

export const toMediaFile = (r: Row, publicUrl: string): MediaFile => {
  const kind = text(r.kind) as MediaKind;
  const durationMs = intOrNull(r.duration_ms);
  const bitrateKbps = intOrNull(r.bitrate_kbps);
  const contentType = text(r.content_type);
  const format = contentType === 'audio/mpeg' ? 'mp3' : 'wav';
  return {
    id: text(r.id),
    accountId: text(r.account_id),
    name: text(r.name),
    contentType,
    kind,
    sizeBytes: int(r.size_bytes),
    sha256: text(r.sha256),
    url: mediaUrl(publicUrl, text(r.public_token), text(r.name)),
    durationMs,
    bitrateKbps,
    warning: kind === 'audio' && durationMs !== null && bitrateKbps !== null ? audioWarning({ format, durationMs, bitrateKbps, sampleRate: 0, channels: 0 }) : null,
    createdAt: text(r.created_at),
    createdBy: textOrNull(r.created_by),
  };
};
