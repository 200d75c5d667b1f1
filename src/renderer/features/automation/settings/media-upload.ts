import { MEDIA_MAX_FILE_BYTES, MEDIA_TYPES, type MediaFile, type MediaKind } from '../../../../shared/cloud/media';
import { getBridge } from '../../../bridge';

export type UploadOutcome = { ok: true; file: MediaFile } | { ok: false; message: string };

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const MEDIA_TYPES_SAID = 'MP3 or WAV recordings, PNG, JPEG, GIF or WebP images, PDF, TXT or CSV documents';

/** The extensions a picker offers for a kind (the cloud still decides the type from the bytes). */
export function acceptFor(kind?: MediaKind): string {
  return Object.values(MEDIA_TYPES)
    .filter((t) => !kind || t.kind === kind)
    .flatMap((t) => t.extensions.map((e) => `.${e}`))
    .join(',');
}

/** What is wrong with a file before any byte leaves the window: empty, too big, or a type the library never takes. */
export function checkBeforeUpload(file: { name: string; size: number }, kind?: MediaKind): string | null {
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > MEDIA_MAX_FILE_BYTES) return `${file.name} is ${megabytes(file.size)}; a file may be at most ${megabytes(MEDIA_MAX_FILE_BYTES)}.`;
  const extension = file.name.includes('.') ? file.name.split('.').pop()!.toLowerCase() : '';
  const known = Object.values(MEDIA_TYPES).find((t) => (t.extensions as readonly string[]).includes(extension));
  if (!known) return `${file.name} is not a type the media library takes (${MEDIA_TYPES_SAID}).`;
  if (kind && known.kind !== kind) return `${file.name} is not ${kind === 'audio' ? 'a recording (MP3 or WAV)' : `an ${kind}`}.`;
  return null;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Sends a file to the media library through main, piece by piece (each well under the transport's
 * message limit). Any failure cancels the upload in main, so nothing half-sent is ever saved.
 */
export async function uploadToLibrary(file: File, onProgress: (fraction: number) => void, kind?: MediaKind): Promise<UploadOutcome> {
  const problem = checkBeforeUpload(file, kind);
  if (problem) return { ok: false, message: problem };
  const media = getBridge().media;
  const started = await media.uploadStart({ name: file.name, sizeBytes: file.size });
  if (!started.ok) return { ok: false, message: started.error.message };
  const { uploadId, chunkBytes } = started.value;
  for (let offset = 0; offset < file.size; offset += chunkBytes) {
    const piece = new Uint8Array(await file.slice(offset, offset + chunkBytes).arrayBuffer());
    const sent = await media.uploadChunk({ uploadId, offset, data: toBase64(piece) });
    if (!sent.ok) {
      await media.uploadCancel({ uploadId });
      return { ok: false, message: sent.error.message };
    }
    onProgress(sent.value.receivedBytes / file.size);
  }
  const finished = await media.uploadFinish({ uploadId });
  return finished.ok ? { ok: true, file: finished.value } : { ok: false, message: `${file.name} was not saved: ${finished.error.message}` };
}
