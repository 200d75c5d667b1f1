import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/** The machine-readable line that names the URL file, for scripts and test harnesses. */
export const HOST_URL_FILE_LINE = 'BROWSER_HOST_URL_FILE=';

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

export interface PublishOptions {
  /** stdout is a terminal: only the person at it sees what is printed. */
  interactive: boolean;
  file: string;
  print(line: string): void;
}

/**
 * Tells the user where to open the softphone without putting the bridge secret where other users
 * could read it: the URL (which carries the secret) goes to a 0600 file, and is printed only to an
 * interactive terminal. Redirected output (CI logs, a service's journal) gets the file's path.
 */
export function publishHostUrl(url: string, options: PublishOptions): void {
  writePrivateFile(options.file, `${url}\n`);
  if (options.interactive) options.print(`Open this URL in Chromium: ${url}`);
  else options.print(`The URL to open in Chromium (it carries this run's secret) is in ${options.file} (readable by you only).`);
  options.print(`${HOST_URL_FILE_LINE}${options.file}`);
}
