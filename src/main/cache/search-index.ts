import type Database from 'better-sqlite3';
import { domainToUnicode } from 'node:url';
import { canonicalEmail } from '../../shared/cloud/email-address';
import { phoneSearchText } from './search-text';
import { statement } from './statements';

/**
 * Keeps the contentless FTS5 tables in step with contacts and calls. Written from TypeScript (not
 * triggers) because phone numbers are indexed as digit suffixes, which SQL cannot compute.
 * contacts_fts rowid = contacts.rowid; calls_fts rowid = calls.sort_key.
 */
export interface ContactSearchFields {
  name: string;
  phone: string | null;
  email: string | null;
  tags: readonly string[];
}

export function indexContact(db: Database.Database, rowid: number, contact: ContactSearchFields): void {
  statement(db, 'DELETE FROM contacts_fts WHERE rowid = ?').run(rowid);
  statement(db, 'INSERT INTO contacts_fts (rowid, name, digits, email, tags) VALUES (?, ?, ?, ?, ?)').run(
    rowid,
    contact.name,
    phoneSearchText([contact.phone]),
    emailSearchText(contact.email),
    contact.tags.join(' '),
  );
}

/**
 * A contact's email as searched: as saved, and with an international domain in its other form too —
 * what a receptionist types (bücher) finds a contact saved as anna@xn--bcher-kva.de, and the other way round.
 */
export function emailSearchText(email: string | null): string {
  const canonical = email ? canonicalEmail(email) : null;
  if (!email || !canonical) return email ?? '';
  const at = canonical.lastIndexOf('@');
  const unicode = `${canonical.slice(0, at)}@${domainToUnicode(canonical.slice(at + 1)) || canonical.slice(at + 1)}`;
  return [...new Set([email, canonical, unicode])].join(' ');
}

export function unindexContact(db: Database.Database, rowid: number): void {
  statement(db, 'DELETE FROM contacts_fts WHERE rowid = ?').run(rowid);
}

export interface CallSearchFields {
  contactName: string | null;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  note: string | null;
}

/** The other party's number is searchable by any part; the practice's own line only whole. */
export function callDigitsText(call: Pick<CallSearchFields, 'direction' | 'from' | 'to'>): string {
  return call.direction === 'inbound' ? phoneSearchText([call.from], [call.to]) : phoneSearchText([call.to], [call.from]);
}

export function indexCall(db: Database.Database, sortKey: number, call: CallSearchFields, replacing: boolean): void {
  if (replacing) statement(db, 'DELETE FROM calls_fts WHERE rowid = ?').run(sortKey);
  statement(db, 'INSERT INTO calls_fts (rowid, name, digits, note) VALUES (?, ?, ?, ?)').run(
    sortKey,
    call.contactName ?? '',
    callDigitsText(call),
    call.note ?? '',
  );
}

export function unindexCall(db: Database.Database, sortKey: number): void {
  statement(db, 'DELETE FROM calls_fts WHERE rowid = ?').run(sortKey);
}

/**
 * Where a pull's changes to the calls' search index go: straight into this database's calls_fts, or
 * (a first pull on the pull writer thread) to the thread building that index beside it (search-aside.ts).
 */
export interface CallIndexTarget {
  index(sortKey: number, call: CallSearchFields, replacing: boolean): void;
  unindex(sortKey: number): void;
}

export function directCallIndex(db: Database.Database): CallIndexTarget {
  return { index: (sortKey, call, replacing) => indexCall(db, sortKey, call, replacing), unindex: (sortKey) => unindexCall(db, sortKey) };
}

interface CallIndexRow {
  sort_key: number;
  direction: 'inbound' | 'outbound';
  from_number: string;
  to_number: string;
  note: string | null;
  contact_name: string | null;
}

const CALL_INDEX_SELECT = `
  SELECT c.sort_key, c.direction, c.from_number, c.to_number, c.note, ct.name AS contact_name
  FROM calls c LEFT JOIN contacts ct ON ct.id = c.contact_id`;

/** Re-indexes one call from its stored row (after its note or its contact's name changed). */
export function reindexCallById(db: Database.Database, callId: string): void {
  const row = statement(db, `${CALL_INDEX_SELECT} WHERE c.id = ?`).get(callId) as CallIndexRow | undefined;
  if (row) indexCallRow(directCallIndex(db), row, true);
}

/**
 * Re-indexes every call an outbox row changes. An outbox write re-indexes a changed note just after
 * it is durable, not inside it (CacheWrites.durable, cache-writes.ts); a process that died in between left that
 * call's old note in the index, and its outbox row is still there: at open these are re-indexed.
 */
export function callsWithLocalChanges(db: Database.Database): string[] {
  return statement(db, "SELECT DISTINCT substr(target_id, 6) FROM outbox WHERE target_id GLOB 'call:*'").pluck().all() as string[];
}

/** Re-indexes the call with this sort key from its stored row; unindexes it when there is none. */
export function reindexCallBySortKey(db: Database.Database, sortKey: number): void {
  const row = statement(db, `${CALL_INDEX_SELECT} WHERE c.sort_key = ?`).get(sortKey) as CallIndexRow | undefined;
  if (row) indexCallRow(directCallIndex(db), row, true);
  else unindexCall(db, sortKey);
}

/** Re-indexes every call of a contact (the contact's name is part of each call's search text). */
export function reindexCallsOfContact(db: Database.Database, contactId: string, target: CallIndexTarget = directCallIndex(db)): void {
  const rows = statement(db, `${CALL_INDEX_SELECT} WHERE c.contact_id = ?`).all(contactId) as CallIndexRow[];
  for (const row of rows) indexCallRow(target, row, true);
}

/** Indexes every call (used when the search tables are created over existing data). */
export function indexAllCalls(db: Database.Database): void {
  const target = directCallIndex(db);
  for (const row of db.prepare(CALL_INDEX_SELECT).all() as CallIndexRow[]) indexCallRow(target, row, false);
}

/** Empties the calls' search index and indexes every stored call again. */
export function rebuildCallIndex(db: Database.Database): void {
  statement(db, `INSERT INTO calls_fts (calls_fts) VALUES ('delete-all')`).run();
  indexAllCalls(db);
}

function indexCallRow(target: CallIndexTarget, row: CallIndexRow, replacing: boolean): void {
  target.index(row.sort_key, { contactName: row.contact_name, direction: row.direction, from: row.from_number, to: row.to_number, note: row.note }, replacing);
}

/**
 * FTS5 merges its index segments as it goes (automerge, default 4): during a pull of many pages
 * that merging is redone page after page. A bulk pull pauses it and merges once at the end; the
 * setting is stored in the database, so a pull cut short (crash, quit) is put right at the next open.
 */
const DEFAULT_AUTOMERGE = 4;
/** Pages of merged index written per merge step; steps repeat until nothing is left to merge. */
const MERGE_STEP_PAGES = 1_000;

export function pauseCallIndexMerging(db: Database.Database): void {
  statement(db, `INSERT INTO calls_fts (calls_fts, rank) VALUES ('automerge', 0)`).run();
}

/** Restores automerge and merges what the paused pages left, as automerge would have (FTS5's 'merge' command). */
export function resumeCallIndexMerging(db: Database.Database): void {
  statement(db, `INSERT INTO calls_fts (calls_fts, rank) VALUES ('automerge', ${DEFAULT_AUTOMERGE})`).run();
  const merge = statement(db, `INSERT INTO calls_fts (calls_fts, rank) VALUES ('merge', ${MERGE_STEP_PAGES})`);
  const totalChanges = statement(db, 'SELECT total_changes()').pluck();
  // FTS5's documented loop: a step that changed fewer than 2 rows found nothing left to merge.
  for (;;) {
    const before = totalChanges.get() as number;
    merge.run();
    if ((totalChanges.get() as number) - before < 2) return;
  }
}

export function callIndexMergingPaused(db: Database.Database): boolean {
  return statement(db, `SELECT v FROM calls_fts_config WHERE k = 'automerge'`).pluck().get() === 0;
}
