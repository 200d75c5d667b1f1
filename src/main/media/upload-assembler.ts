import { randomBytes } from 'node:crypto';
import { IpcFailure } from '../../shared/ipc/result';
import { MEDIA_UPLOAD_CHUNK_BYTES } from '../../shared/ipc/contract-media';

/** One file arriving from a window piece by piece. */
interface PendingUpload {
  senderId: number;
  name: string;
  sizeBytes: number;
  pieces: Buffer[];
  receivedBytes: number;
  touchedAt: number;
}

export interface UploadAssemblerOptions {
  /** Open uploads one window may have (a second file while the first is still arriving is fine; a flood is not). */
  maxPerSender?: number;
  /** Open uploads in all (bounds main's memory: at most this many files' worth of bytes). */
  maxTotal?: number;
  /** An upload nobody added to for this long is dropped with its bytes. */
  idleMs?: number;
  now?: () => number;
}

/**
 * Puts a file back together from the pieces a window sends over IPC. Each upload belongs to the
 * window that started it, gets exactly the bytes it announced (never more, never out of order) and
 * is handed over only when complete; abandoned ones are dropped. Memory is bounded by
 * maxTotal × the per-file limit the start request was checked against.
 */
export class UploadAssembler {
  private readonly uploads = new Map<string, PendingUpload>();
  private readonly maxPerSender: number;
  private readonly maxTotal: number;
  private readonly idleMs: number;
  private readonly now: () => number;

  constructor(options: UploadAssemblerOptions = {}) {
    this.maxPerSender = options.maxPerSender ?? 3;
    this.maxTotal = options.maxTotal ?? 6;
    this.idleMs = options.idleMs ?? 120_000;
    this.now = options.now ?? Date.now;
  }

  get open(): number {
    return this.uploads.size;
  }

  start(senderId: number, name: string, sizeBytes: number): { uploadId: string; chunkBytes: number } {
    this.dropIdle();
    const mine = [...this.uploads.values()].filter((u) => u.senderId === senderId).length;
    if (mine >= this.maxPerSender || this.uploads.size >= this.maxTotal) {
      throw new IpcFailure('RATE_LIMITED', 'Too many files are uploading at once. Wait for one to finish, then try again.');
    }
    const uploadId = randomBytes(18).toString('base64url');
    this.uploads.set(uploadId, { senderId, name, sizeBytes, pieces: [], receivedBytes: 0, touchedAt: this.now() });
    return { uploadId, chunkBytes: MEDIA_UPLOAD_CHUNK_BYTES };
  }

  /** Adds the next piece; a piece out of order, too big or past the announced size ends the upload. */
  add(senderId: number, uploadId: string, offset: number, base64: string): { receivedBytes: number } {
    const upload = this.owned(senderId, uploadId);
    const piece = Buffer.from(base64, 'base64');
    const problem =
      offset !== upload.receivedBytes ? 'a piece of the file arrived out of order'
        : piece.length === 0 || piece.length > MEDIA_UPLOAD_CHUNK_BYTES ? 'a piece of the file had the wrong size'
          : upload.receivedBytes + piece.length > upload.sizeBytes ? 'the file is bigger than announced'
            : null;
    if (problem) {
      this.uploads.delete(uploadId);
      throw new IpcFailure('BAD_INPUT', `The upload of ${upload.name} was stopped: ${problem}. Nothing was saved; try again.`);
    }
    upload.pieces.push(piece);
    upload.receivedBytes += piece.length;
    upload.touchedAt = this.now();
    return { receivedBytes: upload.receivedBytes };
  }

  /** The whole file, once every announced byte is in; the upload is over either way. */
  finish(senderId: number, uploadId: string): { name: string; bytes: Buffer } {
    const upload = this.owned(senderId, uploadId);
    this.uploads.delete(uploadId);
    if (upload.receivedBytes !== upload.sizeBytes) {
      throw new IpcFailure('BAD_INPUT', `The upload of ${upload.name} is incomplete (${upload.receivedBytes} of ${upload.sizeBytes} bytes). Nothing was saved; try again.`);
    }
    return { name: upload.name, bytes: Buffer.concat(upload.pieces, upload.sizeBytes) };
  }

  cancel(senderId: number, uploadId: string): boolean {
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.senderId !== senderId) return false;
    return this.uploads.delete(uploadId);
  }

  private owned(senderId: number, uploadId: string): PendingUpload {
    this.dropIdle();
    const upload = this.uploads.get(uploadId);
    // Another window's upload is answered like an unknown one: its id says nothing to this window.
    if (!upload || upload.senderId !== senderId) {
      throw new IpcFailure('NOT_FOUND', 'This upload is no longer open (it was stopped or waited too long). Nothing was saved; try again.');
    }
    return upload;
  }

  private dropIdle(): void {
    const cutoff = this.now() - this.idleMs;
    for (const [id, upload] of this.uploads) if (upload.touchedAt < cutoff) this.uploads.delete(id);
  }
}
