import Database from 'better-sqlite3';
import { migrate } from './index';

/** A raw connection migrated exactly to `version` (for one migration's test). */
export function openAt(file: string, version: number): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrate(db, version);
  return db;
}

export function tableNames(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[]).filter(
    (name) => !name.startsWith('sqlite_') && !name.includes('_fts_'),
  );
}

export function isStrict(db: Database.Database, table: string): boolean {
  const row = db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get(table) as { strict: number } | undefined;
  return row?.strict === 1;
}
