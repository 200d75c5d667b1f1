import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../core';
import { startBrowserHost } from './server';

/**
 * `npm run start:browser`: the softphone's main-process services under plain Node, with the renderer
 * served on 127.0.0.1 for any Chromium. Prints the URL to open (it carries the per-run secret).
 */
function readAppVersion(packageJsonPath: string): string {
  try {
    return (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
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

  const appVersion = readAppVersion(resolve(here, '../../package.json'));
  const host = await startBrowserHost({
    rendererDir,
    port,
    createCore: (isTrustedSender) =>
      createCore({
        appVersion,
        env: process.env,
        platform: process.platform,
        isTrustedSender,
        host: { kind: 'browser', showWindow: () => false, openExternal: async () => false },
      }),
  });

  console.log(`Aesthetix Softphone (browser host) is running.`);
  console.log(`Open this URL in Chromium: ${host.url}`);
  // A machine-readable line for test harnesses and scripts.
  console.log(`BROWSER_HOST_URL=${host.url}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Stopping (${signal})…`);
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('The browser host could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
