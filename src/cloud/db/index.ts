import type { Logger } from 'pino';
import type { Database } from './database';
import { openPglite } from './pglite';
import type { PoolSizes } from './postgres';

export { currentLane, runInLane, type Lane } from './lanes';
export type { PoolSizes } from './postgres';
export type { Database, DatabaseHandle, Queryable, Row } from './database';
export { migrate, schemaVersion, FutureSchemaError } from './migrate';
export { deleteInBatches } from './delete-in-batches';
export { cachedPgliteTemplate, makePgliteTemplate, readPgliteTemplate } from './pglite-template';

/** PostgreSQL when a URL is given (its driver loaded only then), else embedded PGlite in `dataDir`. */
export async function openDatabase(options: { databaseUrl?: string; dataDir: string; log: Logger; pools?: PoolSizes; pgliteTemplate?: () => Promise<Blob | undefined> }): Promise<Database> {
  if (!options.databaseUrl) return openPglite(options.dataDir, { template: options.pgliteTemplate });
  const { openPostgres } = await import('./postgres');
  return openPostgres(options.databaseUrl, options.log, options.pools);
}
