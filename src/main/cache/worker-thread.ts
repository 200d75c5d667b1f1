import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starting one of the cache's worker threads (the query worker, the pull writer): from its built
 * file beside the main bundle in the app, or from its TypeScript source through tsx's loader in
 * tests and benchmarks.
 */
export interface CacheWorkerEntry {
  /** The source file beside this module, e.g. 'query-worker.ts'. */
  source: string;
  /** The built file's name beside the main bundle (an input in electron.vite.config.ts). */
  built: string;
}

function defaultWorkerPath(entry: CacheWorkerEntry): string {
  const here = import.meta.url;
  // Built from variables so bundlers leave it alone (a literal `new URL('…', import.meta.url)` is an asset to them).
  if (here.endsWith('.ts')) return fileURLToPath(new URL(entry.source, here));
  // Bundled: this code sits in out/main/index.js or in a shared chunk one folder down.
  const candidates = [entry.built, `../${entry.built}`].map((name) => fileURLToPath(new URL(name, here)));
  return candidates.find((path) => existsSync(path)) ?? candidates[0]!;
}

/** An eval'd bootstrap that registers tsx's ESM loader in the worker, then imports the TypeScript entry. */
function tsBootstrap(entry: string): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('tsx/package.json');
  const exportsMap = (JSON.parse(readFileSync(packageJson, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  const api = pathToFileURL(join(dirname(packageJson), exportsMap['./esm/api']!.import.default)).href;
  const target = pathToFileURL(entry).href;
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(target)}); });`;
}

/** Starts the worker; `workerPath` overrides where its entry is (a `.ts` path runs through tsx). */
export function startCacheWorker(entry: CacheWorkerEntry, workerData: unknown, name: string, workerPath?: string | URL): Worker {
  const path = workerPath === undefined ? defaultWorkerPath(entry) : workerPath instanceof URL ? fileURLToPath(workerPath) : workerPath;
  return path.endsWith('.ts') ? new Worker(tsBootstrap(path), { eval: true, workerData, name }) : new Worker(path, { workerData, name });
}
