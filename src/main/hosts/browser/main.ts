import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startupTrace } from '../../core/startup-trace';
import { openEmbeddedDatabaseEarly, type EarlyEmbeddedDatabase } from '../../embedded';
import { likelyEmbedded } from './likely-embedded';

/**
 * The browser host's entry, kept small: when this run will most likely use the embedded default
 * (likely-embedded.ts), its database starts opening (PGlite boots on its worker thread) before the
 * host's own modules load (~1 s of CPU, run.ts). The core still decides (settings recovery, the
 * cache's last cloud); run.ts closes the database if it chose another cloud.
 */
async function main(): Promise<void> {
  startupTrace('host entry loaded');
  const userDataDir = resolve(process.env.AESTHETIX_USER_DATA_DIR ?? join(homedir(), '.config', 'aesthetix-softphone-browser'));
  // Private from creation: it holds the settings, the cache and the file with this run's URL.
  mkdirSync(userDataDir, { recursive: true, mode: 0o700 });
  const earlyDatabase: EarlyEmbeddedDatabase | undefined = likelyEmbedded(process.env, userDataDir) ? openEmbeddedDatabaseEarly(join(userDataDir, 'embedded')) : undefined;
  const { runBrowserHost } = await import('./run');
  await runBrowserHost({ here: dirname(fileURLToPath(import.meta.url)), userDataDir, earlyDatabase });
}

main().catch((error: unknown) => {
  console.error('The browser host could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
