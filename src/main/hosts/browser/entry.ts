/**
 * The browser host's entry (out/main/browser-host.js), kept tiny on purpose: it starts opening the
 * embedded database first (PGlite boots on its own thread: most of a second of CPU) and only then
 * loads the host's own modules (most of another), so the two run side by side (issue #21). After the
 * first start those modules are compiled from V8's code cache (compile-cache.ts). V8's optimising
 * compiler waits until the phone is ready (start-tiering.ts).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deferOptimisingDuringStart } from '../../core/start-tiering';
import { startupTrace } from '../../core/startup-trace';
import { openEmbeddedDatabaseEarly } from '../../embedded/early-database';
import { installCodeCache, type CodeCache } from '../code-cache';
import { enableCompileCache } from '../compile-cache';
import { browserUserDataDir } from './user-data-dir';

startupTrace(`optimising compiler ${deferOptimisingDuringStart().state}`);
const userDataDir = browserUserDataDir(process.env);
const hostDir = dirname(fileURLToPath(import.meta.url));
const compileCacheDir = join(userDataDir, 'compile-cache');
// Node 20 has no compile cache: the host's own files are then compiled from V8's code cache
// (code-cache.ts), which honours Node's two variables as Node's own cache does.
let codeCache: CodeCache | undefined;
const ownCodeCache = () => {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return 'off (NODE_DISABLE_COMPILE_CACHE)';
  const folder = process.env.NODE_COMPILE_CACHE || compileCacheDir;
  codeCache = installCodeCache(folder, hostDir);
  return `V8 code cache for the host's own files, in ${folder}`;
};
startupTrace(`compile cache ${enableCompileCache(compileCacheDir, undefined, undefined, ownCodeCache)}`);
openEmbeddedDatabaseEarly(userDataDir, process.env);
// The build is CommonJS, so the host's modules load in one synchronous stretch: they wait for the
// next turn, and the database's worker, started by this turn's microtasks, boots beside them.
setImmediate(() => {
  import('./main')
    .then(({ runBrowserHost }) => runBrowserHost(hostDir))
    .then(() => {
      // Serving: the start's code has run, and the phone is not ready yet (V8's flags as at the start).
      if (!codeCache) return;
      codeCache.save();
      const { modules, fromCache, written } = codeCache.counts;
      startupTrace(`code cache: ${fromCache} of ${modules} files from it, ${written} written`);
    })
    .catch((error: unknown) => {
      console.error('The browser host could not start:', error instanceof Error ? error.message : error);
      process.exit(1);
    });
});
