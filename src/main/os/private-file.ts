import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/**
 * Writes `content` to `file` readable by its owner only (0600). The text goes to a fresh temporary
 * file opened with O_EXCL (never through a link someone planted), which then replaces `file`, so
 * an older file with looser permissions is never written into.
 */
export function writePrivateFile(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}
