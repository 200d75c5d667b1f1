import type { Logger } from 'pino';
import type { Database } from './database';
import { openPglite } from './pglite';
import { openPostgres, type PoolSizes } from './postgres';

export { currentLane, runInLane, type Lane } from './lanes';
export type { PoolSizes } from './postgres';
export type { Database, DatabaseHandle, Queryable, Row } from './database';
export { migrate, schemaVersion, FutureSchemaError } from './migrate';
export { cachedPgliteTemplate, makePgliteTemplate, readPgliteTemplate } from './pglite-template';

/** PostgreSQL when a URL is given, else embedded PGlite in `dataDir`. */
export async function openDatabase(options: { databaseUrl?: string; dataDir: string; log: Logger; pools?: PoolSizes; pgliteTemplate?: () => Promise<Blob | undefined> }): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.log, options.pools) : openPglite(options.dataDir, { template: options.pgliteTemplate });
}
