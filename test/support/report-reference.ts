import type { ReportFilters, ReportSeries } from '../../src/shared/cloud/reports';
import { reportStatusOf, ringSecondsOf, talkSecondsOf, type ReportStatus } from '../../src/shared/reporting/status';
import type { GeneratedCall } from './report-data';

/**
 * The report computed the slow, obvious way, for tests to hold the real ones to: every call is
 * looked at once, its local date, weekday and hour taken straight from Intl (not from the code
 * under test), and every figure counted in a loop.
 */

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const formats = new Map<string, Intl.DateTimeFormat>();
export function intlLocal(iso: string, timeZone: string): { date: string; weekday: number; hour: number } {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', weekday: 'short' });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(iso));
  const get = (t: string): string => parts.find((p) => p.type === t)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, weekday: WEEKDAYS.indexOf(get('weekday')), hour: Number(get('hour')) };
}

const plusDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const monday = (date: string): string => plusDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));

export interface ReferenceInput {
  calls: readonly GeneratedCall[];
  timezone: string;
  from: string;
  to: string;
  filters: ReportFilters;
  ownUserId: string | null;
  /** user id → their live teams. */
  teamsOfUser: ReadonlyMap<string, readonly string[]>;
}

export interface ReferenceCall extends GeneratedCall {
  reportStatus: ReportStatus;
  ringSeconds: number | null;
  talkSeconds: number | null;
  local: { date: string; weekday: number; hour: number };
}

/** The calls the filters select, classified. */
export function referenceSelect(input: ReferenceInput): ReferenceCall[] {
  const f = input.filters;
  const usersCalls = (ids: readonly string[], c: GeneratedCall): boolean =>
    (c.userId !== null && ids.includes(c.userId)) || (c.userId === null && c.rangUserIds.some((u) => ids.includes(u)));
  const teamMembers = f.teamIds.length === 0 ? null : [...input.teamsOfUser].filter(([, teams]) => teams.some((t) => f.teamIds.includes(t))).map(([u]) => u);
  const out: ReferenceCall[] = [];
  for (const c of input.calls) {
    const local = intlLocal(c.startedAt, input.timezone);
    if (local.date < input.from || local.date > input.to) continue;
    const reportStatus = reportStatusOf({ ...c, recordings: c.recordings });
    const ringSeconds = ringSecondsOf(c);
    const talkSeconds = talkSecondsOf(c);
    if (input.ownUserId !== null && !usersCalls([input.ownUserId], c)) continue;
    if (f.userIds.length > 0 && !usersCalls(f.userIds, c)) continue;
    if (teamMembers !== null && !usersCalls(teamMembers, c)) continue;
    if (f.dispositionIds.length > 0 && !f.dispositionIds.includes(c.dispositionId ?? 'none')) continue;
    if (f.locationIds.length > 0 && (c.locationId === null || !f.locationIds.includes(c.locationId))) continue;
    if (f.lineIds.length > 0 && (c.phoneNumberId === null || !f.lineIds.includes(c.phoneNumberId))) continue;
    if (f.directions.length > 0 && !f.directions.includes(c.direction)) continue;
    if (f.statuses.length > 0 && !f.statuses.includes(reportStatus)) continue;
    if (f.sources.length > 0 && !f.sources.includes(c.source)) continue;
    if (f.minTalkSeconds !== undefined && (talkSeconds ?? 0) < f.minTalkSeconds) continue;
    if (f.maxTalkSeconds !== undefined && (talkSeconds ?? 0) > f.maxTalkSeconds) continue;
    if (f.weekdays.length > 0 && !f.weekdays.includes(local.weekday)) continue;
    if (f.hours.length > 0 && !f.hours.includes(local.hour)) continue;
    out.push({ ...c, reportStatus, ringSeconds, talkSeconds, local });
  }
  return out;
}

/** The summary's figures (everything but metadata) for the selected calls. */
export function referenceFigures(input: ReferenceInput, bucket: 'hour' | 'day' | 'week') {
  const calls = referenceSelect(input);
  const count = (p: (c: ReferenceCall) => boolean): number => calls.filter(p).length;
  const sum = (values: (number | null)[]): number => values.reduce<number>((s, v) => s + (v ?? 0), 0);
  const answeredInbound = calls.filter((c) => c.reportStatus === 'answered' && c.direction === 'inbound');
  const talked = calls.filter((c) => c.reportStatus === 'answered' && c.talkSeconds !== null);
  const totals = {
    calls: calls.length,
    inbound: count((c) => c.direction === 'inbound'),
    answered: count((c) => c.reportStatus === 'answered'),
    missed: count((c) => c.reportStatus === 'missed'),
    voicemail: count((c) => c.reportStatus === 'voicemail'),
    blocked: count((c) => c.reportStatus === 'blocked'),
    external: count((c) => c.reportStatus === 'external'),
    noAnswer: count((c) => c.reportStatus === 'no_answer'),
    live: count((c) => c.reportStatus === 'live'),
    withDisposition: count((c) => c.dispositionId !== null),
    answeredInbound: answeredInbound.length,
    speedToAnswerSeconds: sum(answeredInbound.map((c) => c.ringSeconds)),
    talkedCalls: talked.length,
    talkSeconds: sum(talked.map((c) => c.talkSeconds)),
  };
  const pct = (n: number): number | null => (calls.length === 0 ? null : Math.round((n / calls.length) * 1000) / 10);
  const tiles = {
    totalCalls: calls.length,
    answeredPct: pct(totals.answered),
    missedPct: pct(totals.missed + totals.voicemail),
    avgSpeedToAnswerSeconds: totals.answeredInbound === 0 ? null : Math.round((totals.speedToAnswerSeconds / totals.answeredInbound) * 10) / 10,
    avgTalkSeconds: totals.talkedCalls === 0 ? null : Math.round((totals.talkSeconds / totals.talkedCalls) * 10) / 10,
    dispositionPct: pct(totals.withDisposition),
  };
  const group = (key: (c: ReferenceCall) => string | string[] | null): Map<string, Record<string, number>> => {
    const map = new Map<string, Record<string, number>>();
    for (const c of calls) {
      const keys = key(c);
      for (const k of keys === null ? [] : Array.isArray(keys) ? keys : [keys]) {
        const counts = map.get(k) ?? {};
        const d = c.dispositionId ?? 'none';
        counts[d] = (counts[d] ?? 0) + 1;
        map.set(k, counts);
      }
    }
    return map;
  };
  const asSeries = (map: Map<string, Record<string, number>>): ReportSeries[] =>
    [...map].map(([key, counts]) => ({ key, counts, total: Object.values(counts).reduce((a, b) => a + b, 0) }))
      .sort((a, b) => b.total - a.total || (a.key < b.key ? -1 : 1));
  const byUser = asSeries(group((c) => c.userId));
  const byTeam = asSeries(group((c) => (c.userId === null ? null : [...(input.teamsOfUser.get(c.userId) ?? [])])));
  const bucketOf = (c: ReferenceCall): string =>
    bucket === 'hour' ? `${c.local.date}T${String(c.local.hour).padStart(2, '0')}` : bucket === 'day' ? c.local.date : monday(c.local.date);
  const buckets = group(bucketOf);
  const keys: string[] = [];
  if (bucket === 'week') for (let d = monday(input.from); d <= input.to; d = plusDays(d, 7)) keys.push(d);
  else for (let d = input.from; d <= input.to; d = plusDays(d, 1)) {
    if (bucket === 'day') keys.push(d);
    else for (let h = 0; h < 24; h++) keys.push(`${d}T${String(h).padStart(2, '0')}`);
  }
  const overTime = keys.map((key) => {
    const counts = buckets.get(key) ?? {};
    return { key, counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
  });
  const heat = (p: (c: ReferenceCall) => boolean): number[][] => {
    const grid = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    for (const c of calls) if (p(c)) grid[c.local.weekday]![c.local.hour]! += 1;
    return grid;
  };
  return {
    totals,
    tiles,
    byUser,
    byTeam,
    overTime,
    heatmap: { calls: heat(() => true), missed: heat((c) => c.reportStatus === 'missed' || c.reportStatus === 'voicemail') },
    selected: calls,
  };
}
