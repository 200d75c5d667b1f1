import Database from 'better-sqlite3';
import { CacheFromFutureError } from './errors';
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from './migrations';

export interface OpenConnectionOptions {
  file: string;
  /** The Electron build of better-sqlite3 (from electronBindingPath); undefined under Node. */
  nativeBinding?: string | undefined;
  /** Migrate only this far (tests of one migration); default: the latest. */
  migrateTo?: number | undefined;
}

/**
 * The one read-write connection: WAL so the query worker reads while we write, synchronous=FULL so
 * a transaction that returned is on disk (the outbox promise), pending migrations applied. The cache
 * then switches it to NORMAL and syncs the WAL itself after each write (cache-writes.ts `write`).
 */
export function openWriteConnection(options: OpenConnectionOptions): Database.Database {
  const db = new Database(options.file, { nativeBinding: options.nativeBinding, timeout: 5000 });
  try {
    // Refuse a newer file before anything (even the journal mode) touches it.
    const version = schemaVersion(db);
    if (version > LATEST_SCHEMA_VERSION) throw new CacheFromFutureError(options.file, version, LATEST_SCHEMA_VERSION);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`The local cache ${options.file} cannot use WAL (journal_mode is ${String(mode)})`);
    db.pragma('synchronous = FULL');
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -32000');
    migrate(db, options.migrateTo);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A read-only connection for the query worker. It never migrates; it refuses a schema it does not
 * know, so a worker from an older build cannot misread a newer file.
 */
export function openReadConnection(options: { file: string; nativeBinding?: string | undefined }): Database.Database {
  const db = new Database(options.file, { nativeBinding: options.nativeBinding, readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const version = schemaVersion(db);
    if (version > LATEST_SCHEMA_VERSION) throw new CacheFromFutureError(options.file, version, LATEST_SCHEMA_VERSION);
    if (version < LATEST_SCHEMA_VERSION) {
      throw new Error(`The local cache ${options.file} is at schema ${version}; open it for writing first (expected ${LATEST_SCHEMA_VERSION})`);
    }
    db.pragma('cache_size = -32000');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
