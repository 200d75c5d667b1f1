import type { Logger } from 'pino';
import type { Database } from './database';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';

export type { Database, DatabaseHandle, Queryable, Row } from './database';
export { migrate, schemaVersion, FutureSchemaError } from './migrate';

/** PostgreSQL when a URL is given, else embedded PGlite in `dataDir`. */
export async function openDatabase(options: { databaseUrl?: string; dataDir: string; log: Logger }): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.log) : openPglite(options.dataDir);
}
