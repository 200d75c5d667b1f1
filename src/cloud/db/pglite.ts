import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { INT8_OID, TIMESTAMPTZ_OID, TIMESTAMP_OID, parseInt8, pgTimestampToIso, type Database, type Queryable, type Row } from './database';
import { PriorityLock } from './priority-lock';

/**
 * Embedded PostgreSQL (WASM) in this process, with its files in `dataDir` (`memory://` for none).
 * One connection: PGlite serialises queries and transactions itself. LISTEN/NOTIFY works within
 * the process, which is all an embedded single instance needs. Our own statements and transactions
 * take turns through a PriorityLock, so webhook work waiting for the connection goes before
 * default work that is waiting (lanes.ts); a transaction in progress is never interrupted.
 */
export async function openPglite(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create({
    dataDir,
    parsers: { [INT8_OID]: parseInt8, [TIMESTAMPTZ_OID]: pgTimestampToIso, [TIMESTAMP_OID]: pgTimestampToIso },
  });
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
