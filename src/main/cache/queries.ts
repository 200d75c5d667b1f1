import type Database from 'better-sqlite3';
import { e164Schema, toE164 } from '../../shared/cloud';
import type { Contact } from '../../shared/cloud';
import { CacheInputError, validate } from './errors';
import type { CallRow, ContactRow } from './rows';
import { toCall, toContact } from './rows';
import { buildMatchQuery, sortKeyFloor } from './search-text';
import { asideBuildPending } from './search-aside';
import { indexTokens } from './search-tokens';
import { statement } from './statements';
import type {
  CallListItem,
  HistoryFilters,
  HistoryPage,
  HistoryTotals,
  ScreenPop,
  SearchInput,
  SearchResult,
} from './types';
import { historyFiltersSchema, searchInputSchema } from './types';

/**
 * Read queries shared by the main-thread cache (quick ones) and the query worker (the ones that can
 * take long). Plain functions of a connection, so both run the same SQL.
 */

type ListRow = CallRow & {
  contact_name: string | null;
  user_name: string | null;
  disposition_label: string | null;
  disposition_deleted_at: string | null;
  pending_sync: number;
};

const LIST_COLUMNS = `c.*, ct.name AS contact_name, u.name AS user_name, d.label AS disposition_label,
  d.deleted_at AS disposition_deleted_at,
  EXISTS (SELECT 1 FROM outbox o WHERE o.target_id = 'call:' || c.id AND o.state = 'pending') AS pending_sync`;
const LIST_JOINS = `LEFT JOIN contacts ct ON ct.id = c.contact_id
  LEFT JOIN users u ON u.id = c.user_id
  LEFT JOIN dispositions d ON d.id = c.disposition_id`;

function toListItem(row: ListRow): CallListItem {
  return {
    call: toCall(row),
    contactName: row.contact_name,
    userName: row.user_name,
    disposition:
      row.disposition_id === null
        ? null
        : {
            id: row.disposition_id,
            // Not pulled yet (or unknown): show the id rather than nothing.
            label: row.disposition_label ?? row.disposition_id,
            deleted: row.disposition_deleted_at !== null,
          },
    pendingSync: row.pending_sync === 1,
  };
}


const NO_CALLS: HistoryTotals = { calls: 0, answered: 0, missed: 0, talkSeconds: 0 };

/**
 * Call history, newest first, filtered, one page at a time (keyset on the sort key, so page 500 is
 * as fast as page 1). With a `query`, FTS5 walks its index newest first and stops after the page.
 */
export function history(db: Database.Database, input: HistoryFilters = {}): HistoryPage {
  return historyPage(db, input, true);
}

/** The page itself; `withTotals` is off for search-as-you-type, which shows no totals. */
function historyPage(db: Database.Database, input: HistoryFilters, withTotals: boolean): HistoryPage {
  const filters = validate(historyFiltersSchema, 'history filters', input);
  const match = filters.query === undefined ? null : buildMatchQuery(filters.query, (text) => indexTokens(db, text));
  if (filters.query !== undefined && match === null) return { items: [], nextCursor: null, totals: filters.cursor || !withTotals ? null : NO_CALLS };
  const key = match === null ? 'c.sort_key' : 'f.rowid';
  const where: string[] = [];
  const params: Record<string, string | number> = { limit: filters.limit + 1 };
  if (match !== null) {
    where.push('calls_fts MATCH @match');
    params.match = match;
  }
  if (filters.dispositionId === null) where.push('c.disposition_id IS NULL');
  else if (filters.dispositionId !== undefined) {
    where.push('c.disposition_id = @dispositionId');
    params.dispositionId = filters.dispositionId;
  }
  if (filters.direction !== undefined) {
    where.push('c.direction = @direction');
    params.direction = filters.direction;
  }
  if (filters.userId !== undefined) {
    where.push('c.user_id = @userId');
    params.userId = filters.userId;
  }
  if (filters.contactId !== undefined) {
    where.push('c.contact_id = @contactId');
    params.contactId = filters.contactId;
  }
  if (filters.locationId !== undefined) {
    where.push('c.location_id = @locationId');
    params.locationId = filters.locationId;
  }
  if (filters.from !== undefined) {
    const ms = Date.parse(filters.from);
    where.push(`${key} >= @fromKey AND c.started_ms >= @fromMs`);
    params.fromKey = sortKeyFloor(ms);
    params.fromMs = ms;
  }
  if (filters.to !== undefined) {
    const ms = Date.parse(filters.to);
    where.push(`${key} < @toKey AND c.started_ms < @toMs`);
    params.toKey = sortKeyFloor(ms + 999);
    params.toMs = ms;
  }
  const from = match === null ? 'calls c' : 'calls_fts f JOIN calls c ON c.sort_key = f.rowid';
  const totals = filters.cursor || !withTotals ? null : historyTotals(db, from, where, params);
  if (filters.cursor) {
    where.push(`${key} < @cursor`);
    params.cursor = Number(filters.cursor);
  }
  const sql = `SELECT ${LIST_COLUMNS} FROM ${from} ${LIST_JOINS}
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${key} DESC LIMIT @limit`;
  const rows = statement(db, sql).all(params) as ListRow[];
  const more = rows.length > filters.limit;
  const page = more ? rows.slice(0, filters.limit) : rows;
  const last = page[page.length - 1];
  const result: HistoryPage = { items: page.map(toListItem), nextCursor: more && last ? String(last.sort_key) : null, totals };
  if (match !== null && asideBuildPending(db)) result.searchIndexing = true;
  return result;
}

/**
 * History's totals for the filtered range, in one aggregate over the same WHERE as the list. The
 * CASEs are src/shared/reporting/status.ts's rules (reportStatusOf, talkSecondsOf) in SQL, so a
 * receptionist's History and Call Reporting count a call the same way.
 */
function historyTotals(db: Database.Database, from: string, where: string[], params: Record<string, string | number>): HistoryTotals {
  const { limit: _limit, ...bound } = params;
  const counted = `c.status <> 'rejected' AND c.source <> 'external'`;
  const answered = `${counted} AND c.answered_at IS NOT NULL`;
  const live = `c.ended_at IS NULL AND c.status IN ('queued', 'ringing', 'in-progress')`;
  const row = statement(
    db,
    `SELECT count(*) AS calls,
       coalesce(sum(CASE WHEN ${answered} THEN 1 ELSE 0 END), 0) AS answered,
       coalesce(sum(CASE WHEN ${counted} AND c.answered_at IS NULL AND NOT (${live}) AND c.direction = 'inbound' THEN 1 ELSE 0 END), 0) AS missed,
       coalesce(sum(CASE WHEN ${answered} AND c.ended_at IS NOT NULL
         THEN max(0, CAST(round((julianday(c.ended_at) - julianday(c.answered_at)) * 86400) AS INTEGER)) ELSE 0 END), 0) AS talk_seconds
     FROM ${from} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`,
  ).get(bound) as { calls: number; answered: number; missed: number; talk_seconds: number };
  return { calls: row.calls, answered: row.answered, missed: row.missed, talkSeconds: row.talk_seconds };
}

/**
 * Contacts (best match first) and calls (newest first) matching what the user typed. Nothing typed:
 * the first `limit` contacts A–Z and no calls (the Contacts page before a search).
 */
export function search(db: Database.Database, input: SearchInput): SearchResult {
  const { query, limit } = validate(searchInputSchema, 'search', input);
  if (query.trim() === '') {
    const contacts = statement(db, 'SELECT * FROM contacts ORDER BY name COLLATE NOCASE, id LIMIT ?').all(limit) as ContactRow[];
    return { contacts: contacts.map(toContact), calls: [] };
  }
  const match = buildMatchQuery(query, (text) => indexTokens(db, text));
  if (match === null) return { contacts: [], calls: [] };
  const contacts = statement(
    db,
    `SELECT ct.* FROM contacts_fts f JOIN contacts ct ON ct.rowid = f.rowid
     WHERE contacts_fts MATCH ? ORDER BY f.rank, ct.name LIMIT ?`,
  ).all(match, limit) as ContactRow[];
  const calls = historyPage(db, { query, limit }, false).items;
  return { contacts: contacts.map(toContact), calls };
}

export function getContact(db: Database.Database, id: string): Contact | null {
  const row = statement(db, 'SELECT * FROM contacts WHERE id = ?').get(id) as ContactRow | undefined;
  return row ? toContact(row) : null;
}

/**
 * The newest call matching one `c.<column> = ?` condition (`where` is a constant of this module's
 * callers): the latest to start, to the millisecond. The sort key alone would not do: within one
 * second it orders calls by a hash of their id, so of a missed call and the same caller's answered
 * call 0.7 s later it could name the missed one. So the index finds the newest second, and only that
 * second's calls are compared by their start.
 */
export function callWhere(db: Database.Database, where: string, value: string): CallListItem | null {
  const newestSecond = `(SELECT c.sort_key FROM calls c WHERE ${where} ORDER BY c.sort_key DESC LIMIT 1) >> 21 << 21`;
  const row = statement(
    db,
    `SELECT ${LIST_COLUMNS} FROM calls c ${LIST_JOINS} WHERE ${where} AND c.sort_key >= ${newestSecond} ORDER BY c.started_ms DESC, c.sort_key DESC LIMIT 1`,
  ).get(value, value) as ListRow | undefined;
  return row ? toListItem(row) : null;
}

/** A caller's number as E.164, or null for withheld or unparseable numbers. */
export function normalisePhone(input: string): string | null {
  if (e164Schema.safeParse(input).success) return input;
  return toE164(input, 'US');
}

/**
 * A call that is over: an end time or a final status from the cloud, or an outcome already logged
 * on this device (the cloud's "completed" may not have been pulled yet). Never the call ringing now.
 */
const FINISHED_CALL = `(c.ended_at IS NOT NULL OR c.disposition_id IS NOT NULL
  OR c.status IN ('completed', 'busy', 'no-answer', 'canceled', 'failed', 'rejected', 'missed'))`;

/**
 * What the incoming-call screen shows at once: the contact with this number (the most recently
 * updated if several share it), their assigned user, and the last FINISHED call with this contact
 * (or, for an unknown caller, with this number): its date, disposition (the local choice as soon as
 * it is logged) and who took it. Null when the number is unknown.
 */
export function findByPhone(db: Database.Database, number: string): ScreenPop | null {
  if (typeof number !== 'string' || number.length > 40) throw new CacheInputError('A phone number must be a string');
  const e164 = normalisePhone(number);
  if (e164 === null) return null;
  const row = statement(db, 'SELECT * FROM contacts WHERE phone = ? ORDER BY updated_at DESC, id LIMIT 1').get(e164) as
    | ContactRow
    | undefined;
  const contact = row ? toContact(row) : null;
  const last =
    (contact ? callWhere(db, `c.contact_id = ? AND ${FINISHED_CALL}`, contact.id) : null) ?? callWhere(db, `c.remote_number = ? AND ${FINISHED_CALL}`, e164);
  if (!contact && !last) return null;
  const assignedUser = contact?.assignedUserId
    ? ((statement(db, 'SELECT id, name FROM users WHERE id = ?').get(contact.assignedUserId) as { id: string; name: string } | undefined) ??
      null)
    : null;
  return { contact, assignedUser, lastCall: last };
}
