import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { INT8_OID, TIMESTAMPTZ_OID, TIMESTAMP_OID, parseInt8, pgTimestampToIso, type Database, type Queryable, type Row } from './database';

/**
 * Embedded PostgreSQL (WASM) in this process, with its files in `dataDir` (`memory://` for none).
 * One connection: PGlite serialises queries and transactions itself. LISTEN/NOTIFY works within
 * the process, which is all an embedded single instance needs.
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
  return {
    kind: 'pglite',
    handle: { kind: 'pglite', pglite: db },
    query: run(db).query,
    exec: run(db).exec,
    transaction: (fn) => db.transaction((tx) => fn(run(tx))),
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
