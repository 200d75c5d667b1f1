/**
 * The browser host's entry (out/main/browser-host.js), kept tiny on purpose: it starts opening the
 * embedded database first (PGlite boots on its own thread: most of a second of CPU) and only then
 * loads the host's own modules (most of another), so the two run side by side (issue #21). On a
 * Node with a compile cache (22.1+) those modules are compiled from it after the first start. V8's
 * optimising compiler waits until the phone is ready (start-tiering.ts).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deferOptimisingDuringStart } from '../../core/start-tiering';
import { startupTrace } from '../../core/startup-trace';
import { openEmbeddedDatabaseEarly } from '../../embedded/early-database';
import { enableCompileCache } from '../compile-cache';
import { browserUserDataDir } from './user-data-dir';

startupTrace(`optimising compiler ${deferOptimisingDuringStart().state}`);
const userDataDir = browserUserDataDir(process.env);
startupTrace(`compile cache ${enableCompileCache(join(userDataDir, 'compile-cache'))}`);
openEmbeddedDatabaseEarly(userDataDir, process.env);
const { runBrowserHost } = await import('./main');
runBrowserHost(dirname(fileURLToPath(import.meta.url))).catch((error: unknown) => {
  console.error('The browser host could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
