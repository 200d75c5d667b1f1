import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `content` to `file` readable by its owner only (0600). The text goes to a fresh temporary
 * file opened with O_EXCL (never through a link someone planted), which then replaces `file`, so
 * an older file with looser permissions is never written into. `durable`: the new file is synced
 * before it replaces the old one, and the folder after, so the file survives a power cut.
 */
export function writePrivateFile(file: string, content: string | Uint8Array, options: { durable?: boolean } = {}): void {
  const temporary = `${file}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeAll(fd, typeof content === 'string' ? Buffer.from(content) : content);
    if (options.durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  if (options.durable) syncFolder(dirname(file));
}

function syncFolder(folder: string): void {
  let fd: number;
  try {
    fd = openSync(folder, 'r');
  } catch {
    return; // Windows cannot open a folder to sync it; its rename is durable by itself.
  }
  try {
    fsyncSync(fd);
  } catch {
    // The same on file systems that refuse a folder's sync.
  } finally {
    closeSync(fd);
  }
}

/** Writes all of `bytes` (one writeSync may write fewer), at `position` in the file or, without one, where the file stands. */
export function writeAll(fd: number, bytes: Uint8Array, position?: number): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position === undefined ? null : position + done);
}
