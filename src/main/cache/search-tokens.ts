import type Database from 'better-sqlite3';
import { statement } from './statements';

/**
 * Splits what a receptionist typed into the tokens the search index holds, with the index's own
 * tokenizer. JavaScript's Unicode tables and SQLite's differ (U+19B0 "ᦰ" is a letter to JS and a
 * separator to unicode61), so a word split in JS can be two tokens to FTS5: quoted, that is a
 * phrase, which the detail=column tables refuse ("aᦰb" failed every search). Asking SQLite instead
 * makes every query token exactly one index token.
 *
 * The tokens come from a one-row FTS5 table in this connection's temp schema (writable even on the
 * worker's read-only connection) and its fts5vocab view; about 0.1 ms a query.
 */

/** Must match the tokenize option of contacts_fts and calls_fts (migrations/0040-search.ts). */
const SEARCH_TOKENIZER = 'unicode61 remove_diacritics 2';

const prepared = new WeakSet<Database.Database>();

function ensureTokenTables(db: Database.Database): void {
  if (prepared.has(db)) return;
  db.exec(`
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_query USING fts5 (text, tokenize = '${SEARCH_TOKENIZER}');
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_query_tokens USING fts5vocab (temp, search_query, instance);
  `);
  prepared.add(db);
}

/** The index tokens of `text`, in order (lower-cased and without diacritics, as indexed). */
export function indexTokens(db: Database.Database, text: string): string[] {
  ensureTokenTables(db);
  statement(db, 'INSERT INTO temp.search_query (rowid, text) VALUES (1, ?)').run(text);
  try {
    const rows = statement(db, 'SELECT term FROM temp.search_query_tokens ORDER BY offset').all() as { term: string }[];
    return rows.map((row) => row.term);
  } finally {
    statement(db, 'DELETE FROM temp.search_query').run();
  }
}
