import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import {
  NO_DISPOSITION,
  reportFiltersSchema,
  reportRowsQuerySchema,
  type ReportFilters,
  type ReportOptions,
  type ReportPage,
  type ReportRow,
  type ReportSort,
  type ReportSummary,
} from '../../shared/cloud/reports';
import type { Recording } from '../../shared/cloud/entities';
import { addDays, bucketFor, bucketKey, localDateOf, localParts, offsetLookup, resolveRange, startOfLocalDate } from '../../shared/reporting/dates';
import { csvHeader, csvLine } from '../../shared/reporting/csv';
import { ReportAccumulator } from '../../shared/reporting/figures';
import { reportStatusOf, ringSecondsOf, talkSecondsOf, type CallSource, type ReportStatus } from '../../shared/reporting/status';
import { validate } from './errors';
import { sortKeyFloor } from './search-text';
import { statement } from './statements';

/**
 * Call Reporting offline, from this computer's copy: a receptionist's own calls (handled by them,
 * or unanswered calls that rang them), with the filters, figures and table the cloud gives. The
 * rules are the shared ones (status, ring and talk time, local dates, the accumulator), so the
 * answer matches the cloud's for the same calls. Runs in the query worker.
 */

const id = z.string().min(1).max(64);
export const cacheReportRequestSchema = z.object({ filters: reportFiltersSchema, ownUserId: id, nowMs: z.number().optional() });
export type CacheReportRequest = z.input<typeof cacheReportRequestSchema>;
export const cacheReportRowsRequestSchema = cacheReportRequestSchema.extend(reportRowsQuerySchema.shape);
export type CacheReportRowsRequest = z.input<typeof cacheReportRowsRequestSchema>;

interface Resolved {
  filters: ReportFilters;
  ownUserId: string;
  timezone: string;
  range: ReportSummary['range'];
  startMs: number;
  endMs: number;
  teamsOfUser: Map<string, string[]>;
  teamMembers: Set<string> | null;
}

/**
 * Each user's live teams, from the teams' member lists (the cloud sends a team again whenever its
 * membership changes, so this is as fresh as the users' own team lists).
 */
function teamsByUser(db: Database.Database): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of statement(db, 'SELECT id, member_ids FROM teams ORDER BY id').all() as { id: string; member_ids: string }[]) {
    for (const u of JSON.parse(t.member_ids) as string[]) out.set(u, [...(out.get(u) ?? []), t.id]);
  }
  return out;
}

function resolve(db: Database.Database, input: z.output<typeof cacheReportRequestSchema>): Resolved {
  const timezone = (statement(db, 'SELECT timezone FROM accounts LIMIT 1').pluck().get() as string | undefined) ?? 'America/Los_Angeles';
  const teamsOfUser = teamsByUser(db);
  const f = input.filters;
  const teamMembers = f.teamIds.length === 0 ? null : new Set([...teamsOfUser].filter(([, teams]) => teams.some((t) => f.teamIds.includes(t))).map(([u]) => u));
  const { from, to } = resolveRange(f.preset, localDateOf(input.nowMs ?? Date.now(), timezone), f);
  const startMs = startOfLocalDate(from, timezone);
  const endMs = startOfLocalDate(addDays(to, 1), timezone);
  return {
    filters: f, ownUserId: input.ownUserId, timezone, startMs, endMs, teamsOfUser, teamMembers,
    range: { from, to, startUtc: new Date(startMs).toISOString(), endUtc: new Date(endMs).toISOString() },
  };
}

type CallRow = {
  id: string; direction: 'inbound' | 'outbound'; source: CallSource; status: string; started_at: string; started_ms: number;
  answered_at: string | null; ended_at: string | null; user_id: string | null; rang_user_ids: string; disposition_id: string | null;
  note: string | null; recordings: string; has_voicemail: number; contact_id: string | null; contact_name: string | null; remote_number: string;
  phone_number_id: string | null; line_name: string | null; location_id: string | null; user_name: string | null;
  disposition_label: string | null; disposition_deleted_at: string | null;
};

export interface SelectedCall {
  row: CallRow;
  status: ReportStatus;
  ringSeconds: number | null;
  talkSeconds: number | null;
  local: { date: string; weekday: number; hour: number };
  /** The start as practice-local wall-clock milliseconds. */
  localMs: number;
}

/** The selected calls: plain-column filters in SQL, computed ones (status, talk time, local hour…) here. */
function* selectCalls(db: Database.Database, r: Resolved): Generator<SelectedCall> {
  const f = r.filters;
  const where = [
    'c.sort_key >= @fromKey', 'c.sort_key < @toKey', 'c.started_ms >= @fromMs', 'c.started_ms < @toMs',
    '(c.user_id = @me OR (c.user_id IS NULL AND EXISTS (SELECT 1 FROM json_each(c.rang_user_ids) r WHERE r.value = @me)))',
  ];
  const bind: Record<string, string | number> = { fromKey: sortKeyFloor(r.startMs), toKey: sortKeyFloor(r.endMs + 999), fromMs: r.startMs, toMs: r.endMs, me: r.ownUserId };
  const inList = (column: string, name: string, values: readonly string[]): void => {
    if (values.length === 0) return;
    where.push(`${column} IN (SELECT value FROM json_each(@${name}))`);
    bind[name] = JSON.stringify(values);
  };
  if (f.dispositionIds.length > 0) {
    const ids = f.dispositionIds.filter((d) => d !== NO_DISPOSITION);
    const none = ids.length < f.dispositionIds.length;
    bind.dispositionIds = JSON.stringify(ids);
    where.push(`(c.disposition_id IN (SELECT value FROM json_each(@dispositionIds))${none ? ' OR c.disposition_id IS NULL' : ''})`);
  }
  inList('c.location_id', 'locationIds', f.locationIds);
  inList('c.phone_number_id', 'lineIds', f.lineIds);
  inList('c.direction', 'directions', f.directions);
  inList('c.source', 'sources', f.sources);
  const rows = statement(
    db,
    `SELECT c.id, c.direction, c.source, c.status, c.started_at, c.started_ms, c.answered_at, c.ended_at, c.user_id, c.rang_user_ids,
            c.disposition_id, c.note, c.recordings, c.contact_id, ct.name AS contact_name, c.remote_number, c.phone_number_id, pn.name AS line_name,
            c.location_id, u.name AS user_name, d.label AS disposition_label, d.deleted_at AS disposition_deleted_at,
            EXISTS (SELECT 1 FROM json_each(c.recordings) x WHERE json_extract(x.value, '$.kind') = 'voicemail') AS has_voicemail
       FROM calls c
       LEFT JOIN contacts ct ON ct.id = c.contact_id LEFT JOIN phone_numbers pn ON pn.id = c.phone_number_id
       LEFT JOIN users u ON u.id = c.user_id LEFT JOIN dispositions d ON d.id = c.disposition_id
      WHERE ${where.join(' AND ')}`,
  ).iterate(bind) as IterableIterator<CallRow>;
  const offset = offsetLookup(r.timezone);
  const usersCalls = (ids: { has(id: string): boolean }, row: CallRow): boolean =>
    row.user_id !== null ? ids.has(row.user_id) : (JSON.parse(row.rang_user_ids) as string[]).some((u) => ids.has(u));
  const userIds = f.userIds.length > 0 ? new Set(f.userIds) : null;
  for (const row of rows) {
    if (userIds && !usersCalls(userIds, row)) continue;
    if (r.teamMembers && !usersCalls(r.teamMembers, row)) continue;
    const call = { direction: row.direction, status: row.status, source: row.source, startedAt: row.started_at, answeredAt: row.answered_at, endedAt: row.ended_at };
    const status = reportStatusOf({ ...call, recordings: row.has_voicemail ? [{ kind: 'voicemail' }] : [] });
    if (f.statuses.length > 0 && !f.statuses.includes(status)) continue;
    const talkSeconds = talkSecondsOf(call);
    if (f.minTalkSeconds !== undefined && (talkSeconds ?? 0) < f.minTalkSeconds) continue;
    if (f.maxTalkSeconds !== undefined && (talkSeconds ?? 0) > f.maxTalkSeconds) continue;
    const localMs = row.started_ms + offset(row.started_ms);
    const local = localParts(localMs, 0);
    if (f.weekdays.length > 0 && !f.weekdays.includes(local.weekday)) continue;
    if (f.hours.length > 0 && !f.hours.includes(local.hour)) continue;
    yield { row, status, ringSeconds: ringSecondsOf(call), talkSeconds, local, localMs };
  }
}

export function cacheReportSummary(db: Database.Database, input: CacheReportRequest, now = new Date()): ReportSummary {
  const r = resolve(db, validate(cacheReportRequestSchema, 'report', input));
  const bucket = bucketFor(r.range);
  const acc = new ReportAccumulator();
  for (const c of selectCalls(db, r)) {
    const { row, status } = c;
    const answered = status === 'answered';
    acc.addTotals({
      calls: 1,
      inbound: row.direction === 'inbound' ? 1 : 0,
      answered: answered ? 1 : 0,
      missed: status === 'missed' ? 1 : 0,
      voicemail: status === 'voicemail' ? 1 : 0,
      blocked: status === 'blocked' ? 1 : 0,
      external: status === 'external' ? 1 : 0,
      noAnswer: status === 'no_answer' ? 1 : 0,
      live: status === 'live' ? 1 : 0,
      withDisposition: row.disposition_id !== null ? 1 : 0,
      answeredInbound: answered && row.direction === 'inbound' && c.ringSeconds !== null ? 1 : 0,
      speedToAnswerSeconds: answered && row.direction === 'inbound' ? (c.ringSeconds ?? 0) : 0,
      talkedCalls: answered && c.talkSeconds !== null ? 1 : 0,
      talkSeconds: answered ? (c.talkSeconds ?? 0) : 0,
    });
    if (row.user_id !== null) acc.addUser(row.user_id, row.disposition_id, 1);
    acc.addBucket(bucketKey(bucket, c.local), row.disposition_id, 1);
    acc.addHeat(c.local.weekday, c.local.hour, 1, status === 'missed' || status === 'voicemail' ? 1 : 0);
  }
  return acc.summary({ timezone: r.timezone, scope: 'own', range: r.range, bucket, teamsOfUser: r.teamsOfUser, generatedAt: now.toISOString(), origin: 'cache' });
}

export type OfflineRow = ReportRow & { note: string | null; localDate: string; localTime: string };

function toRow(c: SelectedCall, teamNames: ReadonlyMap<string, string>, teamsOfUser: ReadonlyMap<string, string[]>): OfflineRow {
  const { row } = c;
  const recordings = JSON.parse(row.recordings) as Recording[];
  const withUrl = recordings.filter((x) => x.url);
  return {
    id: row.id, startedAt: row.started_at, direction: row.direction, status: c.status, source: row.source,
    contactId: row.contact_id, contactName: row.contact_name, remoteNumber: row.remote_number, lineId: row.phone_number_id, lineName: row.line_name,
    userId: row.user_id, userName: row.user_name,
    teamNames: (row.user_id ? (teamsOfUser.get(row.user_id) ?? []) : []).flatMap((t) => (teamNames.has(t) ? [teamNames.get(t)!] : [])).sort(),
    ringSeconds: c.ringSeconds, talkSeconds: c.talkSeconds, dispositionId: row.disposition_id, dispositionLabel: row.disposition_label,
    dispositionDeleted: row.disposition_deleted_at !== null, hasNote: row.note !== null && row.note.trim() !== '',
    recordingUrl: (withUrl.find((x) => x.kind === 'call') ?? withUrl[0])?.url ?? null, transferredFromUserId: null,
    note: row.note, localDate: c.local.date, localTime: new Date(c.localMs).toISOString().slice(11, 19),
  };
}

const SORT_VALUE: Record<ReportSort, (r: OfflineRow) => string | number | null> = {
  startedAt: (r) => r.startedAt,
  contact: (r) => (r.contactName ?? r.remoteNumber).toLowerCase(),
  direction: (r) => r.direction,
  line: (r) => r.lineName?.toLowerCase() ?? null,
  user: (r) => r.userName?.toLowerCase() ?? null,
  team: (r) => r.teamNames[0]?.toLowerCase() ?? null,
  status: (r) => r.status,
  ring: (r) => r.ringSeconds,
  talk: (r) => r.talkSeconds,
  disposition: (r) => r.dispositionLabel?.toLowerCase() ?? null,
};

/** The table's order as the cloud gives it: missing values last, then start time, then id. */
export function sortRows(rows: OfflineRow[], sort: ReportSort, order: 'asc' | 'desc'): OfflineRow[] {
  const value = SORT_VALUE[sort];
  const dir = order === 'asc' ? 1 : -1;
  const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);
  return rows
    .map((row) => ({ row, v: value(row) }))
    .sort((a, b) => {
      if ((a.v === null) !== (b.v === null)) return a.v === null ? 1 : -1;
      return (a.v !== null && b.v !== null ? cmp(a.v, b.v) * dir : 0) || cmp(a.row.startedAt, b.row.startedAt) * dir || cmp(a.row.id, b.row.id) * dir;
    })
    .map((x) => x.row);
}

/** The last sorted selection, reused while the file is unchanged (scrolling asks page after page). */
let memo: { key: string; version: number; rows: OfflineRow[] } | undefined;

export function cacheReportSortedRows(db: Database.Database, input: CacheReportRowsRequest): OfflineRow[] {
  const req = validate(cacheReportRowsRequestSchema, 'report rows', input);
  const r = resolve(db, req);
  const key = JSON.stringify([req.filters, req.ownUserId, req.sort, req.order, r.range, db.name]);
  const version = db.pragma('data_version', { simple: true }) as number;
  if (memo && memo.key === key && memo.version === version) return memo.rows;
  const teamNames = new Map((statement(db, 'SELECT id, name FROM teams').all() as { id: string; name: string }[]).map((t) => [t.id, t.name]));
  const rows = sortRows([...selectCalls(db, r)].map((c) => toRow(c, teamNames, r.teamsOfUser)), req.sort, req.order);
  memo = { key, version, rows };
  return rows;
}

export function cacheReportRows(db: Database.Database, input: CacheReportRowsRequest): ReportPage {
  const req = validate(cacheReportRowsRequestSchema, 'report rows', input);
  const rows = cacheReportSortedRows(db, req);
  return {
    rows: rows.slice(req.offset, req.offset + req.limit).map(({ note: _note, localDate: _d, localTime: _t, ...row }) => row),
    offset: req.offset,
    total: req.offset === 0 ? rows.length : null,
    origin: 'cache',
  };
}

export const cacheReportCsvRequestSchema = cacheReportRowsRequestSchema.extend({ file: z.string().min(1).max(4096) });
export type CacheReportCsvRequest = z.input<typeof cacheReportCsvRequestSchema>;

/**
 * The offline CSV, written by the worker itself (the main thread never holds the rows): into a
 * temporary file beside the target, renamed over it when complete, so a failure leaves no half file.
 */
export function cacheReportCsv(db: Database.Database, input: CacheReportCsvRequest): { rows: number; bytes: number } {
  const req = validate(cacheReportCsvRequestSchema, 'report export', input);
  const rows = cacheReportSortedRows(db, { ...req, offset: 0, limit: 1 });
  const partial = `${req.file}.partial`;
  const fd = openSync(partial, 'w', 0o600);
  let bytes = 0;
  try {
    const write = (text: string): void => {
      bytes += writeSync(fd, text);
    };
    write('\uFEFF' + csvHeader());
    for (let i = 0; i < rows.length; i += 1000) write(rows.slice(i, i + 1000).map(csvLine).join(''));
    closeSync(fd);
    renameSync(partial, req.file);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(partial, { force: true });
    throw error;
  }
  return { rows: rows.length, bytes };
}

/** What the filters offer offline: the practice as this computer knows it, the receptionist as the only user. */
export function cacheReportOptions(db: Database.Database, ownUserId: string): ReportOptions {
  const timezone = (statement(db, 'SELECT timezone FROM accounts LIMIT 1').pluck().get() as string | undefined) ?? 'America/Los_Angeles';
  const me = statement(db, 'SELECT id, name, deleted_at FROM users WHERE id = ?').get(ownUserId) as
    | { id: string; name: string; deleted_at: string | null }
    | undefined;
  const myTeams = new Set(teamsByUser(db).get(ownUserId) ?? []);
  const dispositions = statement(db, 'SELECT id, label, position, deleted_at FROM dispositions ORDER BY deleted_at IS NOT NULL, position, label').all() as
    { id: string; label: string; position: number; deleted_at: string | null }[];
  return {
    timezone,
    scope: 'own',
    dispositions: dispositions.map((d) => ({ id: d.id, name: d.label, position: d.position, deleted: d.deleted_at !== null })),
    users: me ? [{ id: me.id, name: me.name, deleted: me.deleted_at !== null }] : [],
    teams: (statement(db, 'SELECT id, name FROM teams ORDER BY lower(name), id').all() as { id: string; name: string }[])
      .filter((t) => myTeams.has(t.id)).map((t) => ({ ...t, deleted: false })),
    locations: (statement(db, 'SELECT id, name FROM locations ORDER BY lower(name), id').all() as { id: string; name: string }[]).map((l) => ({ ...l, deleted: false })),
    lines: (statement(db, 'SELECT id, name, number FROM phone_numbers ORDER BY lower(name), id').all() as { id: string; name: string; number: string }[])
      .map((l) => ({ ...l, deleted: false })),
  };
}
