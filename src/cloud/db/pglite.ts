import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { INT8_OID, TIMESTAMPTZ_OID, TIMESTAMP_OID, parseInt8, pgTimestampToIso, type Database, type Queryable, type Row } from './database';
import { PriorityLock } from './priority-lock';

export interface PgliteOptions {
  /** Loads an empty data folder as a tarball (pglite-template.ts): a new database starts from it instead of running initdb. Asked only for a new database. */
  template?: () => Promise<Blob | undefined>;
}

/**
 * Embedded PostgreSQL (WASM) in this process, with its files in `dataDir` (`memory://` for none).
 * One connection: PGlite serialises queries and transactions itself. LISTEN/NOTIFY works within
 * the process, which is all an embedded single instance needs. Our own statements and transactions
 * take turns through a PriorityLock, so webhook work waiting for the connection goes before
 * default work that is waiting (lanes.ts); a transaction in progress is never interrupted.
 */
export async function openPglite(dataDir: string, options: PgliteOptions = {}): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  const create = (loadDataDir?: Blob) =>
    PGlite.create({
      dataDir,
      loadDataDir,
      parsers: { [INT8_OID]: parseInt8, [TIMESTAMPTZ_OID]: pgTimestampToIso, [TIMESTAMP_OID]: pgTimestampToIso },
    });
  const isNew = inMemory || !existsSync(join(dataDir, 'PG_VERSION'));
  const template = isNew ? await options.template?.() : undefined;
  let db: PGlite;
  if (template) {
    try {
      db = await create(template);
    } catch {
      // A damaged template costs only the time it saves: the new, still empty folder is cleared and initdb runs.
      if (!inMemory) for (const entry of await readdir(dataDir)) await rm(join(dataDir, entry), { recursive: true, force: true });
      db = await create();
    }
  } else {
    db = await create();
  }
  await db.exec(`SET TimeZone = 'UTC'`);
  const run = (target: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<R>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  });
  const lock = new PriorityLock();
  const direct = run(db);
  return {
    kind: 'pglite',
    handle: { kind: 'pglite', pglite: db },
    query: <R extends Row = Row>(sql: string, params?: readonly unknown[]) => lock.run(() => direct.query<R>(sql, params)),
    exec: (sql) => lock.run(() => direct.exec(sql)),
    transaction: (fn) => lock.run(() => db.transaction((tx) => fn(run(tx)))),
    async listen(channel, onPayload) {
      const stop = await db.listen(channel, onPayload);
      return async () => {
        if (!db.closed) await stop();
      };
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}
