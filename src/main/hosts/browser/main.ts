import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCore } from '../../core';
import { startupTrace } from '../../core/startup-trace';
import { discardEarlyDatabase, startEmbeddedStack } from '../../embedded';
import { createBrowserHostPorts } from './host-ports';
import { HOST_URL_FILE_LINE, publishHostUrl } from './host-url';
import { startBrowserHost } from './server';
import { browserUserDataDir } from './user-data-dir';
import { describeStartFailure, startFailureText, startWithRetry } from '../start-failure';
import { startFailureLogFile, writeStartFailureLog } from '../start-failure-log';

/**
 * `npm run start:browser`: the softphone's main-process services under plain Node, with the renderer
 * served on 127.0.0.1 for any Chromium. The URL to open carries the per-run secret: it is written to
 * a file only the user can read, and printed only to an interactive terminal (host-url.ts).
 */
function readAppVersion(packageJsonPath: string): string {
  try {
    return (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The page's bridge opens when the start ends: at most this long later for the first Twilio token (CoreOptions.firstTokenWaitMs). */
const FIRST_TOKEN_WAIT_MS = 1_500;

/** Runs the host; `here` is the entry's folder (out/main when built, this folder from source). */
export async function runBrowserHost(here: string): Promise<void> {
  startupTrace('host modules loaded');
  const rendererDir = resolve(process.env.AESTHETIX_RENDERER_DIR ?? resolve(here, '../renderer'));
  if (!existsSync(resolve(rendererDir, 'index.html'))) {
    console.error(`The renderer is not built (${rendererDir}). Run \`npm run build\` first.`);
    process.exit(1);
  }
  const port = Number(process.env.AESTHETIX_BROWSER_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`AESTHETIX_BROWSER_PORT must be a port number, not "${process.env.AESTHETIX_BROWSER_PORT}".`);
    process.exit(1);
  }
  const userDataDir = browserUserDataDir(process.env);
  // Private from creation: it holds the settings, the cache and the file with this run's URL.
  mkdirSync(userDataDir, { recursive: true, mode: 0o700 });
  const urlFile = resolve(process.env.AESTHETIX_BROWSER_URL_FILE ?? join(userDataDir, 'browser-host-url'));

  console.log('Starting Aesthetix Softphone (browser host)…');
  const { ports, notices } = await createBrowserHostPorts();
  let closeHost: () => Promise<void> = async () => undefined;
  const logFile = startFailureLogFile(userDataDir);
  // The URL is published as soon as the page can be served: the page loads while the services start.
  const publish = (url: string) => {
    startupTrace('page servable');
    publishHostUrl(url, { interactive: Boolean(process.stdout.isTTY), file: urlFile, print: (line) => console.log(line) });
  };
  // No window to show a Retry in: say what is wrong on the terminal and exit non-zero (npm start
  // and npm run start:browser pass both on); running it again is the retry.
  const host = await startWithRetry(() => startBrowserHost({
    rendererDir,
    port,
    onServable: publish,
    createCore: (isTrustedSender, onConnectOrigins) =>
      createCore({
        appVersion: readAppVersion(resolve(here, '../../package.json')),
        env: process.env,
        platform: process.platform,
        isTrustedSender,
        onConnectOrigins,
        userDataDir,
        ports,
        startupNotices: notices,
        startEmbedded: startEmbeddedStack,
        deviceName: 'Browser host',
        firstTokenWaitMs: FIRST_TOKEN_WAIT_MS,
        host: {
          kind: 'browser',
          showWindow: () => false,
          isWindowVisible: () => true,
          openExternal: async () => false,
          quit: () => void closeHost().then(() => process.exit(0)),
        },
      }),
  }), async (error) => {
    writeStartFailureLog(logFile, error);
    const failure = describeStartFailure(error, { logFile, host: 'terminal' });
    console.error(`Aesthetix Softphone could not start: ${failure.title}.\n${startFailureText(failure)}`);
    return 'quit';
  });
  if (!host) {
    await discardEarlyDatabase();
    rmSync(urlFile, { force: true });
    process.exit(1);
  }
  closeHost = async () => {
    rmSync(urlFile, { force: true });
    await host.close();
  };

  startupTrace('host serving');
  console.log(`Aesthetix Softphone (browser host) is running. User data: ${userDataDir}`);
  if (host.core.embedded) console.log(`Embedded demo practice: cloud API ${host.core.embedded.cloudUrl}, Twilio sandbox ${host.core.embedded.edgeHost}`);
  console.log(`${HOST_URL_FILE_LINE}${urlFile}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Stopping (${signal})…`);
    await closeHost();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
