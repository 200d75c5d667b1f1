import { indexAllCalls, indexContact } from '../search-index';
import type { Migration } from './types';

/**
 * Full-text search over contacts (name, phone digits, email, tags) and call history (contact name,
 * from/to digits, note). Contentless with contentless_delete so rows can be replaced without keeping
 * a second copy of the text; detail=column because queries are token prefixes, never phrases.
 * Existing rows are indexed here.
 */
export const migration0040: Migration = {
  version: 40,
  name: 'search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE contacts_fts USING fts5 (
        name, digits, email, tags,
        content = '', contentless_delete = 1, detail = column,
        tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE VIRTUAL TABLE calls_fts USING fts5 (
        name, digits, note,
        content = '', contentless_delete = 1, detail = column,
        tokenize = 'unicode61 remove_diacritics 2'
      );
    `);
    const contacts = db.prepare('SELECT rowid, name, phone, email, tags FROM contacts').all() as {
      rowid: number;
      name: string;
      phone: string | null;
      email: string | null;
      tags: string;
    }[];
    for (const contact of contacts) indexContact(db, contact.rowid, { ...contact, tags: JSON.parse(contact.tags) as string[] });
    indexAllCalls(db);
  },
};
