import type { ReportSeries, ReportSummary, ReportTiles, ReportTotals } from '../cloud/reports';
import { NO_DISPOSITION } from '../cloud/reports';
import { bucketKeys, type LocalDate, type TimeBucket } from './dates';

/**
 * The report's figures from partial aggregates. Every measure is a count or a sum, so partial
 * results (time slices on the cloud, the cache worker's grouped rows, a brute-force loop in tests)
 * add up exactly; averages and percentages are taken once, at the end, by `tilesOf`.
 */

export const emptyTotals = (): ReportTotals => ({
  calls: 0, inbound: 0, answered: 0, missed: 0, voicemail: 0, blocked: 0, external: 0, noAnswer: 0, live: 0,
  withDisposition: 0, answeredInbound: 0, speedToAnswerSeconds: 0, talkedCalls: 0, talkSeconds: 0,
});

const oneDecimal = (x: number): number => Math.round(x * 10) / 10;
const pct = (part: number, whole: number): number | null => (whole === 0 ? null : oneDecimal((part / whole) * 100));
const avg = (sum: number, n: number): number | null => (n === 0 ? null : oneDecimal(sum / n));

export function tilesOf(t: ReportTotals): ReportTiles {
  return {
    totalCalls: t.calls,
    answeredPct: pct(t.answered, t.calls),
    missedPct: pct(t.missed + t.voicemail, t.calls),
    avgSpeedToAnswerSeconds: avg(t.speedToAnswerSeconds, t.answeredInbound),
    avgTalkSeconds: avg(t.talkSeconds, t.talkedCalls),
    dispositionPct: pct(t.withDisposition, t.calls),
  };
}

export const dispositionKey = (dispositionId: string | null): string => dispositionId ?? NO_DISPOSITION;
const heat = (): number[][] => Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));

type Counts = Map<string, Map<string, number>>;
function addTo(map: Counts, key: string, disposition: string, n: number): void {
  let inner = map.get(key);
  if (!inner) map.set(key, (inner = new Map()));
  inner.set(disposition, (inner.get(disposition) ?? 0) + n);
}
function series(key: string, counts: Map<string, number>): ReportSeries {
  let total = 0;
  const out: Record<string, number> = {};
  for (const [d, n] of counts) {
    out[d] = n;
    total += n;
  }
  return { key, counts: out, total };
}
const byTotalThenKey = (a: ReportSeries, b: ReportSeries): number => b.total - a.total || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export class ReportAccumulator {
  readonly totals = emptyTotals();
  private readonly users: Counts = new Map();
  private readonly buckets: Counts = new Map();
  private readonly heatCalls = heat();
  private readonly heatMissed = heat();

  addTotals(partial: Partial<ReportTotals>): void {
    for (const [key, value] of Object.entries(partial) as [keyof ReportTotals, number | undefined][]) {
      if (value !== undefined) this.totals[key] += Number(value);
    }
  }
  /** Calls a user handled, by disposition. */
  addUser(userId: string, dispositionId: string | null, n: number): void {
    addTo(this.users, userId, dispositionKey(dispositionId), n);
  }
  addBucket(key: string, dispositionId: string | null, n: number): void {
    addTo(this.buckets, key, dispositionKey(dispositionId), n);
  }
  addHeat(weekday: number, hour: number, calls: number, missed: number): void {
    this.heatCalls[weekday]![hour]! += calls;
    this.heatMissed[weekday]![hour]! += missed;
  }

  /**
   * The summary. `teamsOfUser` maps each handling user to their teams (current membership); a user
   * in two teams counts in both; teams without calls are left out.
   */
  summary(meta: {
    timezone: string;
    scope: ReportSummary['scope'];
    range: ReportSummary['range'];
    bucket: TimeBucket;
    teamsOfUser: ReadonlyMap<string, readonly string[]>;
    generatedAt: string;
    origin: ReportSummary['origin'];
  }): ReportSummary {
    const byUser = [...this.users].map(([key, counts]) => series(key, counts)).sort(byTotalThenKey);
    const teams: Counts = new Map();
    for (const [userId, counts] of this.users) {
      for (const teamId of meta.teamsOfUser.get(userId) ?? []) for (const [d, n] of counts) addTo(teams, teamId, d, n);
    }
    const byTeam = [...teams].map(([key, counts]) => series(key, counts)).sort(byTotalThenKey);
    const range = { from: meta.range.from as LocalDate, to: meta.range.to as LocalDate };
    const overTime = bucketKeys(meta.bucket, range).map((key) => series(key, this.buckets.get(key) ?? new Map()));
    return {
      timezone: meta.timezone,
      scope: meta.scope,
      range: meta.range,
      bucket: meta.bucket,
      totals: { ...this.totals },
      tiles: tilesOf(this.totals),
      byUser,
      byTeam,
      overTime,
      heatmap: { calls: this.heatCalls.map((row) => [...row]), missed: this.heatMissed.map((row) => [...row]) },
      generatedAt: meta.generatedAt,
      origin: meta.origin,
    };
  }
}
