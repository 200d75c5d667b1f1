import type { ReportSummary } from '../../shared/cloud/reports';
import type { TimeBucket } from '../../shared/reporting/dates';
import { ReportAccumulator } from '../../shared/reporting/figures';
import type { Database, Queryable } from '../db';
import { reportReads, yieldToEventLoop } from './gate';
import type { ResolvedReport } from './selection';
import { reportWhere, type ReportSelection } from './where';

/** The local time bucket of a call, as text (`src/shared/reporting/dates.ts` bucketKey says the same). */
const BUCKET_SQL: Record<TimeBucket, string> = {
  hour: `to_char(local, 'YYYY-MM-DD"T"HH24')`,
  day: `to_char(local, 'YYYY-MM-DD')`,
  week: `to_char(date_trunc('week', local), 'YYYY-MM-DD')`,
};

/**
 * One scan of the selected calls, four groupings: totals, user × disposition, time bucket ×
 * disposition, weekday × hour. Every measure is a count or a sum, so the result of several time
 * slices adds up to the result of the whole range.
 */
function summarySql(selection: ReportSelection, bucket: TimeBucket): { sql: string; params: unknown[] } {
  const where = reportWhere(selection, 2);
  const sql = `
WITH g AS (
  SELECT user_id, disposition_id, st, direction, ring_seconds, talk_seconds,
         ${BUCKET_SQL[bucket]} AS bucket, extract(isodow FROM local)::int - 1 AS wd, extract(hour FROM local)::int AS hr
    FROM (SELECT k.user_id, k.disposition_id, k.report_status AS st, k.direction, k.ring_seconds, k.talk_seconds,
                 k.started_at AT TIME ZONE $1::text AS local
            FROM calls k
           WHERE ${where.sql}) f
)
SELECT grouping(user_id, disposition_id, bucket, wd, hr) AS gs, user_id, disposition_id, bucket, wd, hr,
       count(*) AS calls,
       count(*) FILTER (WHERE direction = 'inbound') AS inbound,
       count(*) FILTER (WHERE st = 'answered') AS answered,
       count(*) FILTER (WHERE st = 'missed') AS missed,
       count(*) FILTER (WHERE st = 'voicemail') AS voicemail,
       count(*) FILTER (WHERE st = 'blocked') AS blocked,
       count(*) FILTER (WHERE st = 'external') AS external,
       count(*) FILTER (WHERE st = 'no_answer') AS no_answer,
       count(*) FILTER (WHERE st = 'live') AS live,
       count(disposition_id) AS with_disposition,
       count(ring_seconds) FILTER (WHERE st = 'answered' AND direction = 'inbound') AS answered_inbound,
       coalesce(sum(ring_seconds) FILTER (WHERE st = 'answered' AND direction = 'inbound'), 0) AS speed_sum,
       count(talk_seconds) FILTER (WHERE st = 'answered') AS talked,
       coalesce(sum(talk_seconds) FILTER (WHERE st = 'answered'), 0) AS talk_sum
  FROM g
 GROUP BY GROUPING SETS ((), (user_id, disposition_id), (bucket, disposition_id), (wd, hr))`;
  return { sql, params: [selection.timezone, ...where.params] };
}

type SummaryRow = Record<string, unknown> & { gs: number; user_id: string | null; disposition_id: string | null; bucket: string | null; wd: number | null; hr: number | null };
const n = (v: unknown): number => Number(v ?? 0);

/** grouping() bits, first argument highest: 1 = that column is not part of the group. */
const TOTALS = 0b11111;
const USER_DISPOSITION = 0b00111;
const BUCKET_DISPOSITION = 0b10011;
const WEEKDAY_HOUR = 0b11100;

function addRows(acc: ReportAccumulator, rows: SummaryRow[]): void {
  for (const r of rows) {
    switch (n(r.gs)) {
      case TOTALS:
        acc.addTotals({
          calls: n(r.calls), inbound: n(r.inbound), answered: n(r.answered), missed: n(r.missed), voicemail: n(r.voicemail),
          blocked: n(r.blocked), external: n(r.external), noAnswer: n(r.no_answer), live: n(r.live), withDisposition: n(r.with_disposition),
          answeredInbound: n(r.answered_inbound), speedToAnswerSeconds: n(r.speed_sum), talkedCalls: n(r.talked), talkSeconds: n(r.talk_sum),
        });
        break;
      case USER_DISPOSITION:
        // Calls nobody handled are not in the per-user chart.
        if (r.user_id !== null) acc.addUser(r.user_id, r.disposition_id, n(r.calls));
        break;
      case BUCKET_DISPOSITION:
        acc.addBucket(String(r.bucket), r.disposition_id, n(r.calls));
        break;
      case WEEKDAY_HOUR:
        acc.addHeat(n(r.wd), n(r.hr), n(r.calls), n(r.missed) + n(r.voicemail));
        break;
    }
  }
}

/** PGlite runs in this process: its reads are cut into slices of this many days, with the event loop served in between. */
export const PGLITE_SLICE_MS = 7 * 86_400_000;

export function timeSlices(startUtc: string, endUtc: string, sliceMs: number): { startUtc: string; endUtc: string }[] {
  const start = Date.parse(startUtc);
  const end = Date.parse(endUtc);
  const out: { startUtc: string; endUtc: string }[] = [];
  for (let t = start; t < end; t += sliceMs) out.push({ startUtc: new Date(t).toISOString(), endUtc: new Date(Math.min(end, t + sliceMs)).toISOString() });
  return out;
}

/** The report's figures and charts for the resolved filters. */
export async function reportSummary(db: Database, report: ResolvedReport, now = new Date()): Promise<ReportSummary> {
  const acc = new ReportAccumulator();
  const run = async (q: Queryable, selection: ReportSelection): Promise<void> => {
    const { sql, params } = summarySql(selection, report.bucket);
    addRows(acc, await q.query<SummaryRow>(sql, params));
  };
  if (db.kind === 'pglite') {
    for (const slice of timeSlices(report.selection.startUtc, report.selection.endUtc, PGLITE_SLICE_MS)) {
      await run(db, { ...report.selection, ...slice });
      await yieldToEventLoop();
    }
  } else {
    await reportReads(db, (q) => run(q, report.selection));
  }
  return acc.summary({
    timezone: report.selection.timezone,
    scope: report.scope,
    range: report.range,
    bucket: report.bucket,
    teamsOfUser: report.teamsOfUser,
    generatedAt: now.toISOString(),
    origin: 'cloud',
  });
}
