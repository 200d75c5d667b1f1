import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportFiltersSchema, REPORT_SORTS, type ReportFiltersInput } from '../../shared/cloud/reports';
import type { Call } from '../../shared/cloud/entities';
import { resolveRange, startOfLocalDate } from '../../shared/reporting/dates';
import { ACCOUNT, page, seedPage, tempDir } from '../../../test/support/cache-fixtures';
import { generateCalls, type GeneratedCall } from '../../../test/support/report-data';
import { intlLocal, referenceFigures, referenceSelect } from '../../../test/support/report-reference';
import { openCache, type CallCache } from './cache';
import { openReadConnection } from './connection';
import { cacheReportCsv, cacheReportOptions, cacheReportRows, cacheReportSummary } from './report';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ME = 'usr_1';
const toWire = (c: GeneratedCall, seq: number): Call => ({
  id: c.id, accountId: ACCOUNT, locationId: c.locationId, twilioCallSid: `CA${c.id}`, direction: c.direction, source: c.source,
  from: c.fromNumber, to: c.toNumber, phoneNumberId: c.phoneNumberId, userId: c.userId, contactId: c.contactId, rangUserIds: c.rangUserIds,
  status: c.status as Call['status'], startedAt: c.startedAt, answeredAt: c.answeredAt, endedAt: c.endedAt, durationSeconds: null,
  recordings: c.recordings, dispositionId: c.dispositionId, note: c.note, seq,
});

describe('offline Call Reporting from the cache', { timeout: 120_000 }, () => {
  let tmp: ReturnType<typeof tempDir>;
  let cache: CallCache;
  let calls: GeneratedCall[];
  let zoneSeq = 0;
  // Each change of zone carries a newer seq than the last (the cache keeps the newest row).
  const setZone = (tz: string) => {
    zoneSeq += 1;
    cache.applyPull(page({ accounts: [{ id: ACCOUNT, name: 'Glow Med Spa', timezone: tz, seq: 100_000 + zoneSeq }] }, 100_000 + zoneSeq));
  };

  beforeEach(() => {
    tmp = tempDir();
    cache = openCache({ file: tmp.file });
    cache.applyPull(seedPage(10));
    cache.applyPull(page({ teams: [{ id: 'team_a', accountId: ACCOUNT, name: 'Front', memberIds: [ME, 'usr_2'], leadUserId: ME, seq: 2, deletedAt: null }] }, 11));
    const exact = ['America/Los_Angeles', 'Europe/London', 'Asia/Kolkata'].flatMap((tz) =>
      ['2024-03-10', '2024-03-31', '2024-11-03'].flatMap((d) => [0, -1, 1].map((delta) => startOfLocalDate(d, tz) + delta)));
    calls = generateCalls({
      count: 1500, seed: 5, exactInstants: exact,
      windows: [[Date.parse('2024-03-01T00:00:00Z'), Date.parse('2024-04-10T00:00:00Z')], [Date.parse('2024-10-25T00:00:00Z'), Date.parse('2024-11-10T00:00:00Z')]],
      users: [ME, 'usr_2'], dispositions: ['dsp_booked', 'dsp_follow', 'dsp_spam'],
      contacts: [{ id: 'ct_jane', phone: '+14155550123' }, { id: 'ct_jose', phone: '+13125550199' }],
      lines: [{ id: 'num_1', number: '+13105550100', locationId: 'loc_1' }, { id: 'num_2', number: '+13105550101', locationId: null }],
    });
    for (let i = 0; i < calls.length; i += 500) cache.applyPull(page({ calls: calls.slice(i, i + 500).map((c, k) => toWire(c, 1000 + i + k)) }, 12 + i));
  });
  afterEach(() => {
    cache.close();
    tmp.cleanup();
  });

  const teamsOfUser = new Map([[ME, ['team_a']], ['usr_2', ['team_a']]]);
  function expectSameAsReference(db: ReturnType<typeof openReadConnection>, tz: string, input: ReportFiltersInput): void {
    const filters = reportFiltersSchema.parse(input);
    const now = Date.parse('2024-11-05T18:00:00Z');
    const got = cacheReportSummary(db, { filters, ownUserId: ME, nowMs: now });
    const { from, to } = resolveRange(filters.preset, intlLocal(new Date(now).toISOString(), tz).date, filters);
    const { selected: _s, ...expected } = referenceFigures({ calls, timezone: tz, from, to, filters, ownUserId: ME, teamsOfUser }, got.bucket);
    const { generatedAt: _g, origin, scope, timezone, range, bucket: _b, ...figures } = got;
    expect({ origin, scope, timezone, from: range.from, to: range.to }).toEqual({ origin: 'cache', scope: 'own', timezone: tz, from, to });
    expect(figures).toEqual(expected);
  }

  it("equals a brute-force count of the receptionist's own calls, in three time zones, across DST changes", () => {
    for (const tz of ['America/Los_Angeles', 'Europe/London', 'Asia/Kolkata']) {
      setZone(tz);
      const db = openReadConnection({ file: tmp.file });
      try {
        for (const range of [
          { preset: 'custom', from: '2024-03-01', to: '2024-04-09' },
          { preset: 'custom', from: '2024-03-10', to: '2024-03-11' },
          { preset: 'custom', from: '2024-01-01', to: '2024-12-31' },
          { preset: 'last7' },
          { preset: 'thisMonth' },
        ] as ReportFiltersInput[]) expectSameAsReference(db, tz, range);
        const wide = { preset: 'custom', from: '2024-01-01', to: '2024-12-31' } as const;
        for (const filters of [
          { userIds: ['usr_2'] }, { teamIds: ['team_a'] }, { dispositionIds: ['dsp_booked', 'none'] }, { statuses: ['missed', 'voicemail'] },
          { directions: ['outbound'], sources: ['workflow', 'manual_task'] }, { lineIds: ['num_2'] }, { locationIds: ['loc_1'] },
          { minTalkSeconds: 30, maxTalkSeconds: 300 }, { weekdays: [6], hours: [0, 1, 2, 23] },
        ] as ReportFiltersInput[]) expectSameAsReference(db, tz, { ...wide, ...filters });
      } finally {
        db.close();
      }
    }
  });

  it('pages the table in every sort order, the same rows as the brute force, and writes the CSV from the worker side', () => {
    setZone('America/Los_Angeles');
    const db = openReadConnection({ file: tmp.file });
    try {
      const filters = reportFiltersSchema.parse({ preset: 'custom', from: '2024-03-01', to: '2024-11-30' });
      const expected = referenceSelect({ calls, timezone: 'America/Los_Angeles', from: '2024-03-01', to: '2024-11-30', filters, ownUserId: ME, teamsOfUser });
      for (const sort of REPORT_SORTS) {
        const ids: string[] = [];
        for (let offset = 0; ; offset += 200) {
          const page = cacheReportRows(db, { filters, ownUserId: ME, sort, order: 'desc', offset, limit: 200 });
          if (offset === 0) expect(page.total).toBe(expected.length);
          ids.push(...page.rows.map((r) => r.id));
          if (page.rows.length < 200) break;
        }
        expect(ids.sort()).toEqual(expected.map((c) => c.id).sort());
      }
      const byDate = cacheReportRows(db, { filters, ownUserId: ME, offset: 0, limit: 500 });
      const newestFirst = [...expected].sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : a.id < b.id ? 1 : -1));
      expect(byDate.rows.map((r) => r.id)).toEqual(newestFirst.slice(0, 500).map((c) => c.id));
      const first = byDate.rows[0]!;
      const ref = newestFirst[0]!;
      expect(first).toMatchObject({ status: ref.reportStatus, ringSeconds: ref.ringSeconds, talkSeconds: ref.talkSeconds, teamNames: ref.userId ? ['Front'] : [] });

      const file = join(tmp.dir, 'export.csv');
      const written = cacheReportCsv(db, { filters, ownUserId: ME, sort: 'startedAt', order: 'desc', file });
      const text = readFileSync(file, 'utf8');
      expect(text.charCodeAt(0)).toBe(0xfeff);
      const lines = text.slice(1).trimEnd().split('\r\n');
      expect(written.rows).toBe(expected.length);
      expect(lines[1]!.startsWith(`${intlLocal(ref.startedAt, 'America/Los_Angeles').date},`)).toBe(true);
      expect(lines[1]!.endsWith(`,${ref.id}`)).toBe(true);

      const options = cacheReportOptions(db, ME);
      expect(options).toMatchObject({ scope: 'own', timezone: 'America/Los_Angeles', users: [{ id: ME, name: 'Rita Reception', deleted: false }], teams: [{ id: 'team_a', name: 'Front' }] });
    } finally {
      db.close();
    }
  });
});
