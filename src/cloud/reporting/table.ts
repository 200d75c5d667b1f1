import type { Recording } from '../../shared/cloud/entities';
import type { ReportPage, ReportRow, ReportSort } from '../../shared/cloud/reports';
import type { CallSource, ReportStatus } from '../../shared/reporting/status';
import { int, intOrNull, text, textArray, textOrNull, type Row } from '../db/columns';
import type { Database, Queryable } from '../db';
import { reportReads } from './gate';
import type { ResolvedReport } from './selection';
import { reportWhere } from './where';

/**
 * The report's table: one row per call, any column sortable. Pages are read by offset (the screen
 * jumps anywhere in 100,000 rows); the CSV export walks the same order by keyset, so it never
 * re-reads what it has written. Ties are broken by start time, then id, so the order is total.
 */

const TEAM_NAME = `(SELECT min(t.name) FROM teams t WHERE u.team_ids @> jsonb_build_array(t.id) AND t.deleted_at IS NULL)`;
const REMOTE = `CASE WHEN k.direction = 'inbound' THEN k.from_number ELSE k.to_number END`;

/** Each sort: its SQL expression and the SQL type of its value (for keyset parameters). */
export const SORT_KEYS: Record<ReportSort, { expr: string; type: 'text' | 'int' | 'timestamptz'; nullable: boolean }> = {
  startedAt: { expr: 'k.started_at', type: 'timestamptz', nullable: false },
  contact: { expr: `lower(coalesce(ct.name, ${REMOTE}))`, type: 'text', nullable: false },
  direction: { expr: 'k.direction', type: 'text', nullable: false },
  line: { expr: 'lower(pn.name)', type: 'text', nullable: true },
  user: { expr: 'lower(u.name)', type: 'text', nullable: true },
  team: { expr: `lower(${TEAM_NAME})`, type: 'text', nullable: true },
  status: { expr: 'k.report_status', type: 'text', nullable: false },
  ring: { expr: 'k.ring_seconds', type: 'int', nullable: true },
  talk: { expr: 'k.talk_seconds', type: 'int', nullable: true },
  disposition: { expr: 'lower(d.label)', type: 'text', nullable: true },
};

export type SortOrder = 'asc' | 'desc';

/** The ORDER BY keys: missing values last in either direction, then start time, then id. */
function orderKeys(sort: ReportSort, order: SortOrder): { expr: string; type: string; dir: SortOrder }[] {
  const key = SORT_KEYS[sort];
  const keys: { expr: string; type: string; dir: SortOrder }[] = [];
  if (key.nullable) keys.push({ expr: `(${key.expr} IS NULL)`, type: 'boolean', dir: 'asc' });
  if (sort !== 'startedAt') keys.push({ expr: key.expr, type: key.type, dir: order });
  keys.push({ expr: 'k.started_at', type: 'timestamptz', dir: order }, { expr: 'k.id', type: 'text', dir: order });
  return keys;
}

const FROM = `calls k
  LEFT JOIN contacts ct ON ct.id = k.contact_id
  LEFT JOIN phone_numbers pn ON pn.id = k.phone_number_id
  LEFT JOIN users u ON u.id = k.user_id
  LEFT JOIN dispositions d ON d.id = k.disposition_id`;

const COLUMNS = `k.id, k.started_at, k.direction, k.report_status, k.source, k.contact_id, ct.name AS contact_name, ${REMOTE} AS remote_number,
  k.phone_number_id, pn.name AS line_name, k.user_id, u.name AS user_name, u.team_ids, k.ring_seconds, k.talk_seconds,
  k.disposition_id, d.label AS disposition_label, (d.deleted_at IS NOT NULL) AS disposition_deleted, k.note, k.recordings,
  k.transferred_from_user_id`;

/** A call's recording to link to: the call recording if there is one, else the voicemail. */
export function recordingLink(recordings: readonly Recording[]): string | null {
  const withUrl = recordings.filter((r) => r.url);
  return (withUrl.find((r) => r.kind === 'call') ?? withUrl[0])?.url ?? null;
}

export interface TableContext {
  /** Live team id → name, for the team column. */
  teamNames: ReadonlyMap<string, string>;
}

export function toReportRow(r: Row, ctx: TableContext): ReportRow & { note: string | null } {
  const note = textOrNull(r.note);
  return {
    id: text(r.id),
    startedAt: text(r.started_at),
    direction: r.direction === 'outbound' ? 'outbound' : 'inbound',
    status: text(r.report_status) as ReportStatus,
    source: text(r.source) as CallSource,
    contactId: textOrNull(r.contact_id),
    contactName: textOrNull(r.contact_name),
    remoteNumber: text(r.remote_number),
    lineId: textOrNull(r.phone_number_id),
    lineName: textOrNull(r.line_name),
    userId: textOrNull(r.user_id),
    userName: textOrNull(r.user_name),
    teamNames: textArray(r.team_ids).flatMap((id) => (ctx.teamNames.has(id) ? [ctx.teamNames.get(id)!] : [])).sort(),
    ringSeconds: intOrNull(r.ring_seconds),
    talkSeconds: intOrNull(r.talk_seconds),
    dispositionId: textOrNull(r.disposition_id),
    dispositionLabel: textOrNull(r.disposition_label),
    dispositionDeleted: r.disposition_deleted === true,
    hasNote: note !== null && note.trim() !== '',
    recordingUrl: recordingLink(Array.isArray(r.recordings) ? (r.recordings as Recording[]) : []),
    transferredFromUserId: textOrNull(r.transferred_from_user_id),
    note,
  };
}

export async function teamNamesOf(q: Queryable, accountId: string): Promise<Map<string, string>> {
  const rows = await q.query<{ id: string; name: string }>(`SELECT id, name FROM teams WHERE account_id = $1 AND deleted_at IS NULL`, [accountId]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** One page of the table; the total is counted for the first page only (the screen keeps it). */
export async function reportPage(
  db: Database,
  report: ResolvedReport,
  page: { sort: ReportSort; order: SortOrder; offset: number; limit: number },
): Promise<ReportPage> {
  const where = reportWhere(report.selection);
  const orderBy = orderKeys(page.sort, page.order).map((k) => `${k.expr} ${k.dir.toUpperCase()}`).join(', ');
  const n = where.params.length;
  return reportReads(db, async (q) => {
    const teamNames = await teamNamesOf(q, report.selection.accountId);
    const rows = await q.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE ${where.sql} ORDER BY ${orderBy} OFFSET $${n + 1} LIMIT $${n + 2}`,
      [...where.params, page.offset, page.limit],
    );
    const total =
      page.offset === 0 ? int((await q.query<{ n: number }>(`SELECT count(*) AS n FROM calls k WHERE ${where.sql}`, where.params))[0]?.n) : null;
    return {
      rows: rows.map((r) => {
        const { note: _note, ...row } = toReportRow(r, { teamNames });
        return row;
      }),
      offset: page.offset,
      total,
      origin: 'cloud',
    };
  });
}

/**
 * Every selected call in the table's order, `chunk` rows at a time, by keyset: each chunk starts
 * after the last row of the one before, so a long export reads each row once and never holds a
 * transaction open between chunks. Rows carry the practice-local date and time.
 */
export async function* reportRowsInOrder(
  db: Database,
  report: ResolvedReport,
  sort: ReportSort,
  order: SortOrder,
  chunk = 2000,
): AsyncGenerator<(ReportRow & { note: string | null; localDate: string; localTime: string })[]> {
  const keys = orderKeys(sort, order);
  const where = reportWhere(report.selection);
  const base = where.params.length;
  const orderBy = keys.map((k) => `${k.expr} ${k.dir.toUpperCase()}`).join(', ');
  // Timestamps travel as text: the driver's ISO form keeps milliseconds, the column has microseconds.
  const keyColumns = keys.map((k, i) => `${k.expr}${k.type === 'timestamptz' ? '::text' : ''} AS sk${i}`).join(', ');
  const tz = `$${base + 1}::text`;
  const teamNames = await teamNamesOf(db, report.selection.accountId);
  let last: unknown[] | null = null;
  for (;;) {
    const params: unknown[] = [...where.params, report.selection.timezone];
    let after = '';
    if (last) {
      // Lexicographic "after the last row": some key beyond it, every earlier key equal.
      const values = last.map((v) => {
        params.push(v);
        return `$${params.length}`;
      });
      const beyond = keys.map((k, i) => {
        const equal = keys.slice(0, i).map((e, j) => `${e.expr} IS NOT DISTINCT FROM ${values[j]}::${e.type}`);
        return `(${[...equal, `${k.expr} ${k.dir === 'asc' ? '>' : '<'} ${values[i]}::${k.type}`].join(' AND ')})`;
      });
      after = ` AND (${beyond.join(' OR ')})`;
    }
    params.push(chunk);
    const rows = await reportReads(db, (q) =>
      q.query(
        `SELECT ${COLUMNS}, ${keyColumns},
                to_char(k.started_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS local_date, to_char(k.started_at AT TIME ZONE ${tz}, 'HH24:MI:SS') AS local_time
           FROM ${FROM} WHERE ${where.sql}${after} ORDER BY ${orderBy} LIMIT $${params.length}`,
        params,
      ),
    );
    if (rows.length === 0) return;
    yield rows.map((r) => ({ ...toReportRow(r, { teamNames }), localDate: text(r.local_date), localTime: text(r.local_time) }));
    if (rows.length < chunk) return;
    const lastRow = rows[rows.length - 1]!;
    last = keys.map((_, i) => lastRow[`sk${i}`]);
  }
}
