import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, DEMO_LOCATIONS, DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import { problemSchema } from '../../src/shared/cloud/problem';
import {
  REPORT_CSV_COLUMNS,
  REPORT_SORTS,
  reportFiltersSchema,
  reportFiltersToQuery,
  reportOptionsSchema,
  reportPageSchema,
  reportSummarySchema,
  type ReportFiltersInput,
  type ReportRow,
  type ReportSort,
  type ReportSummary,
} from '../../src/shared/cloud/reports';
import { bucketFor, resolveRange, startOfLocalDate } from '../../src/shared/reporting/dates';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { generateCalls, insertCalls, type GeneratedCall } from '../support/report-data';
import { intlLocal, referenceFigures, referenceSelect } from '../support/report-reference';

afterAll(stopTestPostgres);

const ZONES = ['America/Los_Angeles', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata'];
/** Dates with a DST change (or a neighbour of one) in at least one of the zones. */
const DST_DATES = ['2024-03-10', '2024-03-11', '2024-03-31', '2024-04-07', '2024-10-06', '2024-10-27', '2024-11-03'];
const SAM = 'usr_rep_sam';
const GONE = 'usr_rep_gone';

/** A tiny RFC 4180 reader (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

describe.each(backends)('Call Reporting on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  let dispositions: { id: string; label: string }[];
  let deletedDisposition: string;
  let consults: string;
  const frontDesk = 'team_demo_front_desk';

  const get = async (token: string, path: string, filters: ReportFiltersInput = {}, extra: Record<string, string> = {}) => {
    const query = new URLSearchParams({ ...reportFiltersToQuery(filters), ...extra }).toString();
    return t.api(token, 'GET', `${path}${query ? `?${query}` : ''}`);
  };
  const summary = async (token: string, filters: ReportFiltersInput): Promise<ReportSummary> => {
    const res = await get(token, '/v1/reports/calls/summary', filters);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return reportSummarySchema.parse(res.body);
  };

  /** Every call of the demo account as stored (the seed's and the generated ones). */
  async function storedCalls(): Promise<GeneratedCall[]> {
    const rows = await t.cloud.db.query<Record<string, unknown>>(
      `SELECT id, direction, source, status, started_at, answered_at, ended_at, user_id, rang_user_ids, disposition_id, note, recordings,
              contact_id, from_number, to_number, phone_number_id, location_id FROM calls WHERE account_id = $1`,
      [DEMO_ACCOUNT_ID],
    );
    return rows.map((r) => ({
      id: String(r.id), direction: r.direction as GeneratedCall['direction'], source: r.source as GeneratedCall['source'], status: String(r.status),
      startedAt: String(r.started_at), answeredAt: (r.answered_at as string | null) ?? null, endedAt: (r.ended_at as string | null) ?? null,
      userId: (r.user_id as string | null) ?? null, rangUserIds: r.rang_user_ids as string[], dispositionId: (r.disposition_id as string | null) ?? null,
      note: (r.note as string | null) ?? null, recordings: r.recordings as GeneratedCall['recordings'], contactId: (r.contact_id as string | null) ?? null,
      fromNumber: String(r.from_number), toNumber: String(r.to_number), phoneNumberId: (r.phone_number_id as string | null) ?? null,
      locationId: (r.location_id as string | null) ?? null,
    }));
  }
  async function teamsOfUser(): Promise<Map<string, string[]>> {
    const live = new Set((await t.cloud.db.query<{ id: string }>(`SELECT id FROM teams WHERE account_id = $1 AND deleted_at IS NULL`, [DEMO_ACCOUNT_ID])).map((r) => r.id));
    const users = await t.cloud.db.query<{ id: string; team_ids: string[] }>(`SELECT id, team_ids FROM users WHERE account_id = $1`, [DEMO_ACCOUNT_ID]);
    return new Map(users.map((u) => [u.id, u.team_ids.filter((id) => live.has(id))] as [string, string[]]).filter(([, teams]) => teams.length > 0));
  }
  const setZone = (tz: string) => t.cloud.db.query(`UPDATE accounts SET timezone = $2 WHERE id = $1`, [DEMO_ACCOUNT_ID, tz]);

  beforeAll(async () => {
    t = await startTestCloud(backend);
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
    const db = t.cloud.db;
    await db.query(
      `INSERT INTO users (id, account_id, email, name, role, password_hash, location_ids, team_ids, deleted_at) VALUES
         ($1, $3, 'sam@glowmedspa.example', 'Sam Rivera', 'user', 'x', '[]', '[]', NULL),
         ($2, $3, 'gone@glowmedspa.example', 'Former Colleague', 'user', 'x', '[]', '["team_demo_front_desk"]', now())`,
      [SAM, GONE, DEMO_ACCOUNT_ID],
    );
    const created = await t.api(admin, 'POST', '/v1/teams', { name: 'Consults', memberIds: [DEMO_USERS.receptionist2.id], leadUserId: SAM });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    consults = created.body.id;
    const old = await t.api(admin, 'POST', '/v1/dispositions', { label: 'Old outcome' });
    deletedDisposition = old.body.id;
    dispositions = (await t.api(admin, 'GET', '/v1/dispositions')).body;

    const contacts = await db.query<{ id: string; phone: string }>(`SELECT id, phone FROM contacts WHERE account_id = $1 AND phone IS NOT NULL`, [DEMO_ACCOUNT_ID]);
    const lines = [
      { id: DEMO_NUMBERS.beverlyHillsMain.id, number: DEMO_NUMBERS.beverlyHillsMain.number, locationId: DEMO_LOCATIONS.beverlyHills.id },
      { id: DEMO_NUMBERS.santaMonicaMain.id, number: DEMO_NUMBERS.santaMonicaMain.number, locationId: DEMO_LOCATIONS.santaMonica.id },
      { id: DEMO_NUMBERS.jordanDirect.id, number: DEMO_NUMBERS.jordanDirect.number, locationId: DEMO_LOCATIONS.beverlyHills.id },
    ];
    const day = 86_400_000;
    const exact = ZONES.flatMap((tz) => DST_DATES.flatMap((d) => [0, -1, 1, 3_600_000].map((delta) => startOfLocalDate(d, tz) + delta)));
    const calls = generateCalls({
      count: 2400,
      seed: 17,
      windows: [
        [Date.parse('2024-03-05T00:00:00Z'), Date.parse('2024-04-12T00:00:00Z')],
        [Date.parse('2024-09-30T00:00:00Z'), Date.parse('2024-11-08T00:00:00Z')],
        [Date.now() - 40 * day, Date.now() - 60_000],
      ],
      exactInstants: exact,
      users: [DEMO_USERS.receptionist.id, DEMO_USERS.receptionist2.id, SAM, GONE, DEMO_USERS.admin.id],
      dispositions: dispositions.map((d) => d.id),
      contacts,
      lines,
    });
    await insertCalls(db, DEMO_ACCOUNT_ID, calls);
    expect((await t.api(admin, 'DELETE', `/v1/dispositions/${deletedDisposition}`)).status).toBe(200);
  });
  afterAll(async () => t?.stop());

  const filterCases = (): [string, ReportFiltersInput][] => [
    ['no filters', {}],
    ['one user', { userIds: [DEMO_USERS.receptionist.id] }],
    ['one team', { teamIds: [consults] }],
    ['two teams', { teamIds: [frontDesk, consults] }],
    ['a disposition and none', { dispositionIds: [dispositions[0]!.id, 'none'] }],
    ['a deleted disposition', { dispositionIds: [deletedDisposition] }],
    ['missed inbound', { statuses: ['missed', 'voicemail'], directions: ['inbound'] }],
    ['a line and a location', { lineIds: [DEMO_NUMBERS.beverlyHillsMain.id], locationIds: [DEMO_LOCATIONS.beverlyHills.id] }],
    ['sources', { sources: ['external', 'workflow'] }],
    ['talk time range', { minTalkSeconds: 60, maxTalkSeconds: 600 }],
    ['no talk', { maxTalkSeconds: 0 }],
    ['weekend mornings', { weekdays: [5, 6], hours: [9, 10, 17] }],
    ['combined', { userIds: [DEMO_USERS.receptionist2.id], statuses: ['answered'], dispositionIds: [dispositions[0]!.id], sources: ['softphone'] }],
  ];

  async function expectMatchesReference(token: string, ownUserId: string | null, tz: string, filters: ReportFiltersInput): Promise<ReportSummary> {
    const got = await summary(token, filters);
    const parsed = reportFiltersSchema.parse(filters);
    const today = intlLocal(new Date().toISOString(), tz).date;
    const { from, to } = resolveRange(parsed.preset, today, parsed);
    const expected = referenceFigures({ calls: await storedCalls(), timezone: tz, from, to, filters: parsed, ownUserId, teamsOfUser: await teamsOfUser() }, got.bucket);
    const { selected: _selected, ...figures } = expected;
    const { generatedAt: _g, origin, range, timezone, scope, bucket: _b, ...rest } = got;
    expect({ origin, timezone, scope, from: range.from, to: range.to }).toEqual({ origin: 'cloud', timezone: tz, scope: ownUserId ? 'own' : 'account', from, to });
    expect(rest).toEqual(figures);
    // The range's instants are local midnights as PostgreSQL computes them too.
    const pg = await t.cloud.db.query<{ s: string; e: string }>(
      `SELECT ($1::date::timestamp AT TIME ZONE $3) AS s, (($2::date + 1)::timestamp AT TIME ZONE $3) AS e`, [from, to, tz]);
    expect({ s: range.startUtc, e: range.endUtc }).toEqual(pg[0]);
    return got;
  }

  it('every figure equals a brute-force count, in five time zones, across DST changes and local midnights', async () => {
    const ranges: ReportFiltersInput[] = [
      { preset: 'custom', from: '2024-03-01', to: '2024-04-10' },
      { preset: 'custom', from: '2024-03-10', to: '2024-03-11' },
      { preset: 'custom', from: '2024-10-27', to: '2024-10-27' },
      { preset: 'custom', from: '2024-01-01', to: '2024-12-31' },
    ];
    for (const tz of ZONES) {
      await setZone(tz);
      for (const range of ranges) await expectMatchesReference(admin, null, tz, range);
    }
    await setZone('America/New_York');
    for (const [, filters] of filterCases()) await expectMatchesReference(admin, null, 'America/New_York', { preset: 'custom', from: '2024-03-01', to: '2024-11-30', ...filters });
    await setZone('America/Los_Angeles');
  }, 600_000);

  it('presets are the practice-local today, yesterday, last 7 and 30 days and this month', async () => {
    await setZone('Asia/Kolkata');
    for (const preset of ['today', 'yesterday', 'last7', 'last30', 'thisMonth'] as const) {
      const got = await expectMatchesReference(admin, null, 'Asia/Kolkata', { preset });
      expect(got.bucket).toBe(bucketFor(got.range));
    }
    await setZone('America/Los_Angeles');
  }, 300_000);

  it('a receptionist sees only their own calls: handled by them, or unanswered calls that rang them', async () => {
    const tz = 'America/Los_Angeles';
    const own = await expectMatchesReference(jordan, DEMO_USERS.receptionist.id, tz, { preset: 'last30' });
    expect(own.byUser.map((s) => s.key)).toEqual([DEMO_USERS.receptionist.id]);
    await expectMatchesReference(jordan, DEMO_USERS.receptionist.id, tz, { preset: 'custom', from: '2024-03-01', to: '2024-11-30', userIds: [DEMO_USERS.receptionist2.id] });
    await expectMatchesReference(jordan, DEMO_USERS.receptionist.id, tz, { preset: 'custom', from: '2024-03-01', to: '2024-11-30', teamIds: [consults] });
    const page = reportPageSchema.parse((await get(jordan, '/v1/reports/calls', { preset: 'last30' }, { limit: '500' })).body);
    expect(page.rows.length).toBeGreaterThan(0);
    for (const row of page.rows) expect(row.userId === DEMO_USERS.receptionist.id || row.userId === null).toBe(true);
    const options = reportOptionsSchema.parse((await t.api(jordan, 'GET', '/v1/reports/options')).body);
    expect(options.scope).toBe('own');
    expect(options.users.map((u) => u.id)).toEqual([DEMO_USERS.receptionist.id]);
    expect(options.teams.map((x) => x.id)).toEqual([frontDesk]);
  }, 300_000);

  it('offers every disposition and line (deleted ones marked), users, teams, locations and the time zone', async () => {
    const options = reportOptionsSchema.parse((await t.api(admin, 'GET', '/v1/reports/options')).body);
    expect(options).toMatchObject({ timezone: 'America/Los_Angeles', scope: 'account' });
    expect(options.dispositions.find((d) => d.id === deletedDisposition)).toMatchObject({ name: 'Old outcome', deleted: true });
    expect(options.dispositions.filter((d) => !d.deleted)).toHaveLength(6);
    expect(options.users.find((u) => u.id === GONE)).toMatchObject({ deleted: true });
    expect(options.teams.map((x) => x.name)).toEqual(['Consults', 'Front Desk']);
    expect(options.lines.map((l) => l.id).sort()).toEqual(Object.values(DEMO_NUMBERS).map((n) => n.id).sort());
  });

  async function allRows(token: string, filters: ReportFiltersInput, sort: ReportSort, order: 'asc' | 'desc'): Promise<{ rows: ReportRow[]; total: number }> {
    const rows: ReportRow[] = [];
    let total = -1;
    for (let offset = 0; ; offset += 500) {
      const res = await get(token, '/v1/reports/calls', filters, { sort, order, offset: String(offset), limit: '500' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const page = reportPageSchema.parse(res.body);
      if (offset === 0) total = page.total!;
      else expect(page.total).toBeNull();
      rows.push(...page.rows);
      if (page.rows.length < 500) break;
    }
    return { rows, total };
  }

  it('the table lists exactly the selected calls, in every sort order, with every column', async () => {
    const filters: ReportFiltersInput = { preset: 'custom', from: '2024-03-01', to: '2024-04-30' };
    const reference = referenceSelect({
      calls: await storedCalls(), timezone: 'America/Los_Angeles', from: '2024-03-01', to: '2024-04-30',
      filters: reportFiltersSchema.parse(filters), ownUserId: null, teamsOfUser: await teamsOfUser(),
    });
    const byDate = await allRows(admin, filters, 'startedAt', 'desc');
    expect(byDate.total).toBe(reference.length);
    const expectedOrder = [...reference].sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : a.id < b.id ? 1 : -1)).map((c) => c.id);
    expect(byDate.rows.map((r) => r.id)).toEqual(expectedOrder);
    const byId = new Map(reference.map((c) => [c.id, c]));
    for (const row of byDate.rows) {
      const c = byId.get(row.id)!;
      expect(row).toMatchObject({
        startedAt: c.startedAt, direction: c.direction, status: c.reportStatus, source: c.source, userId: c.userId, dispositionId: c.dispositionId,
        ringSeconds: c.ringSeconds, talkSeconds: c.talkSeconds, hasNote: c.note !== null, lineId: c.phoneNumberId,
        remoteNumber: c.direction === 'inbound' ? c.fromNumber : c.toNumber,
      });
      if (c.dispositionId === deletedDisposition) expect(row).toMatchObject({ dispositionLabel: 'Old outcome', dispositionDeleted: true });
      if (c.userId === DEMO_USERS.receptionist2.id) expect(row.teamNames).toEqual(['Consults', 'Front Desk']);
    }
    const valueOf: Record<ReportSort, (r: ReportRow) => string | number | null> = {
      startedAt: (r) => r.startedAt, contact: (r) => (r.contactName ?? r.remoteNumber).toLowerCase(), direction: (r) => r.direction,
      line: (r) => r.lineName?.toLowerCase() ?? null, user: (r) => r.userName?.toLowerCase() ?? null, team: (r) => r.teamNames[0]?.toLowerCase() ?? null,
      status: (r) => r.status, ring: (r) => r.ringSeconds, talk: (r) => r.talkSeconds, disposition: (r) => r.dispositionLabel?.toLowerCase() ?? null,
    };
    for (const sort of REPORT_SORTS) {
      for (const order of ['asc', 'desc'] as const) {
        const { rows, total } = await allRows(admin, filters, sort, order);
        expect(total).toBe(reference.length);
        expect(new Set(rows.map((r) => r.id))).toEqual(new Set(reference.map((c) => c.id)));
        const values = rows.map(valueOf[sort]);
        // Missing values last; equal values together; numbers strictly ordered.
        const firstNull = values.indexOf(null);
        if (firstNull >= 0) expect(values.slice(firstNull).every((v) => v === null), `${sort} ${order}: nulls last`).toBe(true);
        const seen = new Set<unknown>();
        values.forEach((v, i) => {
          if (i > 0 && v !== values[i - 1]) {
            expect(seen.has(v), `${sort} ${order}: ${String(v)} appears in two runs`).toBe(false);
          }
          seen.add(v);
        });
        if (sort === 'ring' || sort === 'talk' || sort === 'startedAt') {
          const present = values.filter((v) => v !== null) as (string | number)[];
          const sorted = [...present].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          expect(present).toEqual(order === 'asc' ? sorted : sorted.reverse());
        }
      }
    }
  }, 600_000);

  it('the CSV holds exactly what is filtered, in the table order, safe for spreadsheets', async () => {
    const filters: ReportFiltersInput = { preset: 'custom', from: '2024-03-01', to: '2024-11-30', statuses: ['answered', 'missed', 'voicemail'] };
    for (const [sort, order] of [['startedAt', 'desc'], ['user', 'asc'], ['talk', 'desc']] as const) {
      const table = await allRows(admin, filters, sort, order);
      const query = new URLSearchParams({ ...reportFiltersToQuery(filters), sort, order }).toString();
      const res = await fetch(`${t.cloud.url}/v1/reports/calls.csv?${query}`, { headers: { authorization: `Bearer ${admin}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="calls-2024-03-01-to-2024-11-30.csv"');
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the UTF-8 BOM spreadsheets look for
      const [header, ...lines] = parseCsv(new TextDecoder().decode(bytes));
      expect(header).toEqual([...REPORT_CSV_COLUMNS]);
      expect(lines.map((l) => l[REPORT_CSV_COLUMNS.indexOf('Call ID')])).toEqual(table.rows.map((r) => r.id));
      const notes = lines.map((l) => l[REPORT_CSV_COLUMNS.indexOf('Note')]);
      expect(notes.some((n) => n === `'=HYPERLINK("http://x")`)).toBe(true);
      expect(notes.some((n) => n === 'Wants a consult, "Tuesday", after 3pm')).toBe(true);
      const first = table.rows[0]!;
      const local = intlLocal(first.startedAt, 'America/Los_Angeles');
      expect(lines[0]!.slice(0, 2)).toEqual([local.date, new Intl.DateTimeFormat('en-GB', { timeZone: 'America/Los_Angeles', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(first.startedAt))]);
    }
  }, 600_000);

  it('refuses bad filters and ids of other practices', async () => {
    const expectProblem = (res: { status: number; body: unknown }, status: number, code: string) => {
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(problemSchema.parse(res.body).code).toBe(code);
    };
    await t.cloud.db.query(`INSERT INTO accounts (id, name) VALUES ('acc_other', 'Other spa')`);
    await t.cloud.db.query(`INSERT INTO dispositions (id, account_id, label, position) VALUES ('dsp_other', 'acc_other', 'Theirs', 0)`);
    await t.cloud.db.query(`INSERT INTO teams (id, account_id, name) VALUES ('team_other', 'acc_other', 'Theirs')`);
    expectProblem(await get(admin, '/v1/reports/calls/summary', { dispositionIds: ['dsp_other'] }), 404, 'NOT_FOUND');
    expectProblem(await get(admin, '/v1/reports/calls', { teamIds: ['team_other'] }), 404, 'NOT_FOUND');
    expectProblem(await get(admin, '/v1/reports/calls.csv', { userIds: ['usr_nobody'] }), 404, 'NOT_FOUND');
    expectProblem(await t.api(admin, 'GET', '/v1/reports/calls/summary?preset=custom&from=2024-01-01'), 400, 'VALIDATION_FAILED');
    expectProblem(await t.api(admin, 'GET', '/v1/reports/calls/summary?preset=custom&from=2024-02-01&to=2024-01-01'), 400, 'VALIDATION_FAILED');
    expectProblem(await t.api(admin, 'GET', '/v1/reports/calls/summary?preset=custom&from=2020-01-01&to=2024-01-01'), 400, 'VALIDATION_FAILED');
    expectProblem(await t.api(admin, 'GET', '/v1/reports/calls/summary?preset=custom&from=2024-02-30&to=2024-03-01'), 400, 'VALIDATION_FAILED');
    expectProblem(await t.api(admin, 'GET', '/v1/reports/calls/summary?statuses=answered,sleeping'), 400, 'VALIDATION_FAILED');
    expectProblem(await t.api(admin, 'GET', '/v1/reports/calls/summary?hours=25'), 400, 'VALIDATION_FAILED');
    expectProblem(await t.api(admin, 'GET', '/v1/reports/calls?limit=100000'), 400, 'VALIDATION_FAILED');
    expectProblem(await t.api(undefined, 'GET', '/v1/reports/calls/summary'), 401, 'UNAUTHENTICATED');
    // Repeated keys work like comma lists.
    const repeated = await t.api(admin, 'GET', `/v1/reports/calls/summary?statuses=missed&statuses=voicemail&preset=last30`);
    const listed = await t.api(admin, 'GET', `/v1/reports/calls/summary?statuses=missed,voicemail&preset=last30`);
    expect(repeated.body.totals).toEqual(listed.body.totals);
  });

  it('a disposition logged on a call shows in the report at once and is announced on the realtime socket', async () => {
    const socket = await t.socket(admin);
    const filters: ReportFiltersInput = { preset: 'today' };
    const call = await t.cloud.db.query<{ id: string }>(
      `INSERT INTO calls (id, account_id, direction, from_number, to_number, status, user_id, started_at, answered_at, ended_at, phone_number_id)
       VALUES ('call_live_1', $1, 'inbound', '+14155550100', $2, 'completed', $3, now() - interval '2 minutes', now() - interval '110 seconds', now() - interval '10 seconds', $4) RETURNING id`,
      [DEMO_ACCOUNT_ID, DEMO_NUMBERS.beverlyHillsMain.number, DEMO_USERS.receptionist.id, DEMO_NUMBERS.beverlyHillsMain.id]);
    const before = await summary(admin, filters);
    const booked = dispositions.find((d) => d.label === 'Booked')!.id;
    const set = await t.api(jordan, 'PUT', `/v1/calls/${call[0]!.id}/disposition`, { dispositionId: booked });
    expect(set.status).toBe(200);
    await socket.next('changed', (m) => m.entities.includes('calls'));
    const after = await summary(admin, filters);
    expect(after.totals.withDisposition).toBe(before.totals.withDisposition + 1);
    const jordanBefore = before.byUser.find((s) => s.key === DEMO_USERS.receptionist.id)?.counts[booked] ?? 0;
    expect(after.byUser.find((s) => s.key === DEMO_USERS.receptionist.id)!.counts[booked]).toBe(jordanBefore + 1);
    socket.close();
  });
});
