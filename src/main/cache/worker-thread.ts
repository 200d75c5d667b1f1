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

/** What a cache worker sends back: `ready` once its connection is open, a fatal error, or one result per request. */
export type CacheWorkerReply<E> =
  | { type: 'ready' }
  | { type: 'fatal'; error: E }
  | { type: 'result'; id: number; ok: true }
  | { type: 'result'; id: number; ok: false; error: E };

/** The client side of a cache worker's request/result protocol, shared by the query worker and the pull writer. */
export interface CacheWorkerCalls<Req, V> {
  /** Resolves when the worker is ready; rejects with its fatal error (awaiting it is optional). */
  readonly ready: Promise<void>;
  /** Resolves once the thread has exited (every pending request rejected by then). */
  readonly exit: Promise<void>;
  /** The first failure (fatal, thread error or exit), after which every request is refused. */
  failure(): Error | null;
  exited(): boolean;
  nextId(): number;
  send(request: Req): Promise<V>;
}

/**
 * Pairs each request with its result by id; a fatal error, a thread error or the thread's exit fails
 * every pending request and every later one. `valueOf` reads a successful result's payload.
 */
export function cacheWorkerCalls<Req, E, R extends CacheWorkerReply<E>, V>(
  worker: Worker,
  options: { revive: (error: E) => Error; valueOf: (result: Extract<R, { ok: true }>) => V; exitError: (code: number) => Error },
): CacheWorkerCalls<Req, V> {
  const pending = new Map<number, { resolve: (value: V) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let failure: Error | null = null;
  let exited = false;
  let markReady: () => void = () => undefined;
  let failReady: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  ready.catch(() => undefined); // a caller that never awaits `ready` still sees the error on its requests

  const failAll = (error: Error): void => {
    failure ??= error;
    failReady(error);
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on('message', (message: R) => {
    if (message.type === 'ready') return markReady();
    if (message.type === 'fatal') return failAll(options.revive(message.error));
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(options.valueOf(message as Extract<R, { ok: true }>));
    else waiter.reject(options.revive(message.error));
  });
  worker.on('error', (error) => failAll(error));
  const exit = new Promise<void>((resolve) =>
    worker.once('exit', (code: number) => {
      exited = true;
      failAll(options.exitError(code));
      resolve();
    }),
  );

  return {
    ready,
    exit,
    failure: () => failure,
    exited: () => exited,
    nextId: () => nextId++,
    send(request) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        pending.set((request as { id: number }).id, { resolve, reject });
        worker.postMessage(request);
      });
    },
  };
}
