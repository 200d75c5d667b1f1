import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Database, PGliteLike, Queryable, Row } from './database';
import { reviveDbError, type PgliteRequest, type PgliteResponse, type PgliteWorkerData } from './pglite-protocol';
import { PriorityLock } from './priority-lock';
import { deferWasmTierUp } from './wasm-tiering';

/** The built worker's file name next to the main bundle (electron.vite.config.ts). */
export const BUILT_PGLITE_WORKER = 'pglite-worker.js';

export interface PgliteOptions {
  /** Loads an empty data folder as a tarball (pglite-template.ts): a new database starts from it instead of running initdb. Asked only for a new database. */
  template?: () => Promise<Blob | undefined>;
  /** The worker entry; default: pglite-worker.ts beside this module from source, else BUILT_PGLITE_WORKER. */
  workerPath?: string;
}


type Request = PgliteRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * Embedded PostgreSQL (WASM) with its files in `dataDir` (`memory://` for none), run on its own
 * worker thread (pglite-worker.ts): PGlite's synchronous WASM work would otherwise stop this
 * thread — the HTTP server's — for seconds under load, and a webhook would wait unseen by the
 * admission gates. One connection: our statements and transactions take turns through a
 * PriorityLock, so webhook work waiting for the connection goes before default work that is
 * waiting (lanes.ts); a transaction in progress is never interrupted. LISTEN/NOTIFY works within
 * the instance, which is all an embedded single instance needs.
 */
export async function openPglite(dataDir: string, options: PgliteOptions = {}): Promise<Database> {
  const entry = options.workerPath ?? defaultWorkerPath();
  const isNew = dataDir.startsWith('memory://') || !existsSync(join(dataDir, 'PG_VERSION'));
  const blob = isNew ? await options.template?.() : undefined;
  const template = blob ? new Uint8Array(await blob.arrayBuffer()) : undefined;
  const workerData: PgliteWorkerData = { dataDir, template };
  deferWasmTierUp();
  const worker = entry.endsWith('.ts')
    ? new Worker(tsBootstrap(entry), { eval: true, workerData, name: 'pglite' })
    : new Worker(entry, { workerData, name: 'pglite' });

  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Map<number, (payload: string) => void>();
  let nextId = 1;
  let failure: Error | null = null;
  let markReady: () => void = () => undefined;
  let failReady: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  const failAll = (error: Error): void => {
    failure ??= error;
    failReady(error);
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on('message', (message: PgliteResponse) => {
    if (message.type === 'ready') return markReady();
    if (message.type === 'fatal') return failAll(reviveDbError(message.error));
    if (message.type === 'notify') return listeners.get(message.listener)?.(message.payload);
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(reviveDbError(message.error));
  });
  worker.on('error', (error) => failAll(error));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      failAll(new Error(`The embedded database's worker exited (code ${code})`));
      resolve();
    }),
  );
  try {
    await ready;
  } catch (error) {
    await worker.terminate();
    throw error;
  }

  const send = (request: Request): Promise<unknown> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  };
  const queryOn =
    (tx?: number) =>
    async <R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> =>
      (await send({ op: 'query', sql, params: [...params], tx })) as R[];
  const execOn = (tx?: number) => async (sql: string) => (await send({ op: 'exec', sql, tx })) as { rows: Row[] }[];
  const on = (tx?: number): Queryable => ({ query: queryOn(tx), exec: async (sql) => void (await execOn(tx)(sql)) });
  const direct = { query: queryOn(), exec: execOn() };
  const listen = async (channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> => {
    const listener = nextId++;
    listeners.set(listener, onPayload);
    await send({ op: 'listen', channel, listener });
    return async () => {
      listeners.delete(listener);
      if (!failure) await send({ op: 'unlisten', listener });
    };
  };
  // pg-boss's PGlite adapter talks to the worker directly (PGlite serialises it with our work there).
  const forPgBoss: PGliteLike = {
    query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await direct.query(sql, params ?? [])) as T[] }),
    exec: direct.exec,
    listen,
  };

  const lock = new PriorityLock();
  return {
    kind: 'pglite',
    handle: { kind: 'pglite', pglite: forPgBoss },
    query: <R extends Row = Row>(sql: string, params?: readonly unknown[]) => lock.run(() => direct.query<R>(sql, params)),
    exec: (sql) => lock.run(async () => void (await direct.exec(sql))),
    transaction: (fn) =>
      lock.run(async () => {
        const tx = (await send({ op: 'begin' })) as number;
        let result;
        try {
          result = await fn(on(tx));
        } catch (error) {
          await send({ op: 'end', tx, commit: false }).catch(() => undefined);
          throw error;
        }
        await send({ op: 'end', tx, commit: true });
        return result;
      }),
    listen,
    async close() {
      if (!failure) await send({ op: 'close' }).catch(() => undefined);
      await worker.terminate();
      await exited;
    },
  };
}

function defaultWorkerPath(): string {
  const here = import.meta.url;
  // Built from variables so bundlers leave it alone (a literal `new URL('…', import.meta.url)` is an asset to them).
  if (here.endsWith('.ts')) return fileURLToPath(new URL('pglite-worker.ts', here));
  // Bundled: this code sits in out/main/<entry>.js or in a shared chunk one folder down.
  const candidates = [BUILT_PGLITE_WORKER, `../${BUILT_PGLITE_WORKER}`].map((name) => fileURLToPath(new URL(name, here)));
  return candidates.find((path) => existsSync(path)) ?? candidates[0]!;
}

/** An eval'd bootstrap that registers tsx's ESM loader in the worker, then imports the TypeScript entry. */
function tsBootstrap(entry: string): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('tsx/package.json');
  const exportsMap = (JSON.parse(readFileSync(packageJson, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports;
  const api = pathToFileURL(join(dirname(packageJson), exportsMap['./esm/api']!.import.default)).href;
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); });`;
}
