import type Database from 'better-sqlite3';

type Statement = Database.Statement<unknown[], unknown>;
const byConnection = new WeakMap<Database.Database, Map<string, Statement>>();

/** A prepared statement for this connection, prepared once and reused (preparing is the slow part). */
export function statement(db: Database.Database, source: string): Statement {
  let cache = byConnection.get(db);
  if (!cache) {
    cache = new Map();
    byConnection.set(db, cache);
  }
  let prepared = cache.get(source);
  if (!prepared) {
    prepared = db.prepare(source);
    cache.set(source, prepared);
  }
  return prepared;
}
