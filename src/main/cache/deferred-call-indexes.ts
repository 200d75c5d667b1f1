import type Database from 'better-sqlite3';
import { statement } from './statements';
import { deleteSyncMeta, getSyncMeta, setSyncMeta } from './sync-meta';

/**
 * The first pull into an empty cache (a new install, a rebuilt cache) writes every call once: keeping
 * the calls table's secondary indexes (contact, remote number, disposition, user, Twilio SID) up to
 * date row by row is most of the cost of each insert. Such a pull drops them at its start and builds
 * each once at its end (CREATE INDEX sorts the finished table), as a bulk load into any database is
 * done. Lookups stay correct in between, only slower (a scan instead of an index).
 *
 * Crash-safe: the indexes' own CREATE statements are saved in sync_state in the same transaction that
 * drops them, and built again and forgotten in one transaction; a pull cut short (crash, quit, full
 * disk) leaves the saved statements, and the next open (or the next bulk pull's end) builds them.
 * The table's own keys (id, sort_key: automatic indexes) stay, so upserts still find their rows.
 */
const SAVED_KEY = 'deferredCallIndexes';

interface SavedIndex {
  name: string;
  sql: string;
}

/** Drops the calls table's secondary indexes if it has no rows yet; must run inside a transaction. */
export function deferCallIndexes(db: Database.Database): void {
  if (statement(db, 'SELECT 1 FROM calls LIMIT 1').pluck().get() !== undefined) return;
  if (savedIndexes(db).length > 0) return;
  const indexes = statement(db, "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'calls' AND sql IS NOT NULL ORDER BY name").all() as SavedIndex[];
  if (indexes.length === 0) return;
  setSyncMeta(db, SAVED_KEY, JSON.stringify(indexes));
  // Names come from sqlite_schema, quoted as identifiers.
  for (const index of indexes) db.exec(`DROP INDEX "${index.name.replaceAll('"', '""')}"`);
}

/** Builds the indexes deferCallIndexes dropped (those not there yet) and forgets them; must run inside a transaction. */
export function restoreCallIndexes(db: Database.Database): void {
  const saved = savedIndexes(db);
  if (saved.length === 0) return;
  const present = new Set(statement(db, "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'calls'").pluck().all() as string[]);
  for (const index of saved) {
    // Only an index definition is ever run from the saved text.
    if (!present.has(index.name) && /^CREATE (UNIQUE )?INDEX /i.test(index.sql)) db.exec(index.sql);
  }
  deleteSyncMeta(db, SAVED_KEY);
}

export function callIndexesDeferred(db: Database.Database): boolean {
  return savedIndexes(db).length > 0;
}

function savedIndexes(db: Database.Database): SavedIndex[] {
  const value = getSyncMeta(db, SAVED_KEY);
  if (typeof value !== 'string') return [];
  return JSON.parse(value) as SavedIndex[];
}
