import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The host's lines that name its URL file and the embedded stack (src/main/hosts/browser/main.ts, host-url.ts). */
const URL_FILE_LINE = /BROWSER_HOST_URL_FILE=(\S+)/;
const PAGE_URL_FILE_LINE = /BROWSER_HOST_PAGE_URL_FILE=(\S+)/;
const EMBEDDED_LINE = /cloud API (\S+), Twilio sandbox (\S+)/;

export interface BrowserHostProcess {
  child: ChildProcess;
  /** The URL to open (it carries the bridge secret), read from the 0600 file the host wrote. */
  url: string;
  urlFile: string;
  embedded?: { cloudUrl: string; sandboxHost: string };
  /** Everything the host printed so far (stdout and stderr). */
  output(): string;
}

/**
 * Starts a browser host (`node <args>`, e.g. out/main/browser-host.js) and waits until it names the
 * file holding its URL: by default once its services are up (the embedded cloud and sandbox can be
 * reached); with `until: 'page'` as soon as the page can be opened (what a person at the terminal
 * sees; `embedded` is then not known). Its output is piped, not a terminal, so the URL is never printed.
 */
export function spawnBrowserHost(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 180_000,
  until: 'serving' | 'page' = 'serving',
): Promise<BrowserHostProcess> {
  const line = until === 'page' ? PAGE_URL_FILE_LINE : URL_FILE_LINE;
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser host did not start:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = line.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.on('data', (more: Buffer) => (output += more.toString()));
      child.off('exit', onExit);
      const urlFile = match[1]!;
      const embedded = EMBEDDED_LINE.exec(output);
      resolve({
        child,
        url: readFileSync(urlFile, 'utf8').trim(),
        urlFile,
        ...(embedded ? { embedded: { cloudUrl: embedded[1]!, sandboxHost: embedded[2]! } } : {}),
        output: () => output,
      });
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`browser host exited (${code}):\n${output}`));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', onExit);
  });
}
