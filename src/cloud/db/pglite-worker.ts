/**
 * The embedded database's own thread: PGlite's WASM PostgreSQL does its work (parsing, planning,
 * executing, writing pages) synchronously, in blocks of up to seconds under load. Here those blocks
 * stop only this thread, so the cloud's HTTP thread keeps reading requests and its admission gates
 * see the real queue (issue #13 item 9). Started by openPglite (pglite.ts); messages in
 * pglite-protocol.ts. Built to out/main/pglite-worker.js.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { openEmbeddedPglite } from './embedded-pglite';
import { pgliteOptions } from './pglite-settings';
import { serializeDbError, type PgliteRequest, type PgliteResponse, type PgliteWorkerData } from './pglite-protocol';

/** Thrown inside PGlite's transaction callback to make it roll back; never leaves this file. */
class RollBack extends Error {}

async function openInstance({ dataDir, template }: PgliteWorkerData): Promise<PGlite> {
  const inMemory = dataDir.startsWith('memory://');
  // Readable by its owner only, as PostgreSQL asks of a data folder (and as the sandbox's key cache beside it is).
  if (!inMemory) await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const create = (loadDataDir?: Blob) =>
    openEmbeddedPglite({
      dataDir,
      loadDataDir,
      ...pgliteOptions(),
    });
  // openPglite sends a template only for a new database (it checks the folder before it loads one).
  if (!template) return create();
  try {
    return await create(new Blob([template]));
  } catch {
    // A damaged template costs only the time it saves: the new, still empty folder is cleared and initdb runs.
    if (!inMemory) for (const entry of await readdir(dataDir)) await rm(join(dataDir, entry), { recursive: true, force: true });
    return create();
  }
}

async function start(port: NonNullable<typeof parentPort>, data: PgliteWorkerData): Promise<void> {
  const post = (message: PgliteResponse): void => port.postMessage(message);
  let db: PGlite;
  try {
    db = await openInstance(data);
    await db.exec(`SET TimeZone = 'UTC'`);
  } catch (error) {
    post({ type: 'fatal', error: serializeDbError(error) });
    return;
  }

  const open = new Map<number, { tx: Transaction; finish: (commit: boolean) => void; done: Promise<void> }>();
  const listeners = new Map<number, () => Promise<void>>();
  const target = (tx: number | undefined): Pick<PGlite, 'query' | 'exec'> => {
    if (tx === undefined) return db;
    const entry = open.get(tx);
    if (!entry) throw new Error(`Transaction ${tx} is not open`);
    return entry.tx;
  };

  const begin = (id: number): Promise<void> =>
    new Promise<void>((begun, failed) => {
      let started = false;
      let finish: (commit: boolean) => void = () => undefined;
      const done = db
        .transaction(async (tx) => {
          const commit = new Promise<boolean>((resolve) => (finish = resolve));
          open.set(id, { tx, finish, done });
          started = true;
          begun();
          if (!(await commit)) throw new RollBack();
        })
        .then(
          () => undefined,
          (error: unknown) => {
            if (!(error instanceof RollBack)) throw error;
          },
        )
        .finally(() => open.delete(id));
      done.catch((error: unknown) => {
        if (!started) failed(error);
      });
    });

  const handle = async (request: PgliteRequest): Promise<unknown> => {
    switch (request.op) {
      case 'query':
        return (await target(request.tx).query(request.sql, request.params)).rows;
      case 'exec':
        // One result per statement, rows kept: pg-boss reads RETURNING rows from multi-statement blocks.
        return (await target(request.tx).exec(request.sql)).map((result) => ({ rows: result.rows }));
      case 'begin':
        await begin(request.id);
        return request.id;
      case 'end': {
        const entry = open.get(request.tx);
        if (!entry) throw new Error(`Transaction ${request.tx} is not open`);
        entry.finish(request.commit);
        await entry.done;
        return null;
      }
      case 'listen':
        listeners.set(request.listener, await db.listen(request.channel, (payload) => post({ type: 'notify', listener: request.listener, payload })));
        return null;
      case 'unlisten': {
        const stop = listeners.get(request.listener);
        listeners.delete(request.listener);
        if (stop && !db.closed) await stop();
        return null;
      }
      case 'close':
        for (const entry of open.values()) entry.finish(false);
        if (!db.closed) await db.close();
        return null;
    }
  };

  port.on('message', (request: PgliteRequest) => {
    handle(request).then(
      (value) => post({ type: 'result', id: request.id, ok: true, value }),
      (error: unknown) => post({ type: 'result', id: request.id, ok: false, error: serializeDbError(error) }),
    );
  });
  post({ type: 'ready' });
}

if (parentPort) void start(parentPort, workerData as PgliteWorkerData);
