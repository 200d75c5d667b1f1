import { writePrivateFile } from '../../os/private-file';

/**
 * The machine-readable lines that name the URL file, for scripts and test harnesses: the first as
 * soon as the page can be opened (the host's services may still be starting: the page waits for
 * them), the second once they are up too (what a script that talks to the embedded cloud waits for).
 */
export const HOST_PAGE_URL_FILE_LINE = 'BROWSER_HOST_PAGE_URL_FILE=';
export const HOST_URL_FILE_LINE = 'BROWSER_HOST_URL_FILE=';

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
  options.print(`${HOST_PAGE_URL_FILE_LINE}${options.file}`);
}
