/**
 * Call Reporting benchmark (prints figures; not a timed test). Run: npx tsx test/bench/reporting.bench.ts
 *   BENCH_CALLS=1000000 BENCH_RUNS=20 BENCH_CONCURRENCY=4
 *
 * One practice with BENCH_CALLS calls over two years (12 users in 3 teams, 3 lines, the six
 * default dispositions, every status) on a throwaway PostgreSQL cluster. The cloud API runs in a
 * child process, as in production, and is asked over HTTP:
 *   1. the figures and charts for the common filter combinations (p50 / p95 of BENCH_RUNS each),
 *   2. the table's first page and a deep page in another sort order,
 *   3. BENCH_CONCURRENCY dashboards at once, while /healthz is polled every 20 ms: how long the
 *      cloud's event loop takes to answer while reports run,
 *   4. CSV exports of a month and of a quarter (rows, seconds, MB/s).
 * The machine's load average is printed before and after: on a shared machine the figures are
 * only comparable with the load they were taken under.
 */
import { resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { DEMO_ACCOUNT_ID, DEMO_NUMBERS, DEMO_PASSWORD, DEMO_USERS } from '../../src/cloud/seed';
import { reportFiltersToQuery, type ReportFiltersInput } from '../../src/shared/cloud/reports';
import { startTestPostgres } from '../support/postgres';
import { machineLoad, percentile, startCloudChild } from './support/cloud-child';

const CALLS = Number(process.env.BENCH_CALLS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const root = resolve(import.meta.dirname, '../..');

const ms = (n: number): string => `${n.toFixed(0).padStart(5)} ms`;


/** Two years of calls for the demo practice, generated inside PostgreSQL (fast), then vacuumed and analysed. */
async function generate(databaseUrl: string): Promise<{ users: string[]; teams: string[]; dispositions: string[] }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const users = Array.from({ length: 9 }, (_, i) => `usr_bench_${i}`);
    for (const [i, id] of users.entries()) {
      await client.query(`INSERT INTO users (id, account_id, email, name, role, password_hash, team_ids) VALUES ($1, $2, $3, $4, 'user', 'x', $5::jsonb)`,
        [id, DEMO_ACCOUNT_ID, `bench${i}@glowmedspa.example`, `Bench User ${i}`, JSON.stringify([`team_bench_${i % 3}`])]);
    }
    for (let i = 0; i < 3; i++) await client.query(`INSERT INTO teams (id, account_id, name) VALUES ($1, $2, $3)`, [`team_bench_${i}`, DEMO_ACCOUNT_ID, `Bench team ${i}`]);
    const all = [...users, DEMO_USERS.receptionist.id, DEMO_USERS.receptionist2.id, DEMO_USERS.admin.id];
    const dispositions = (await client.query<{ id: string }>(`SELECT id FROM dispositions WHERE account_id = $1 ORDER BY position`, [DEMO_ACCOUNT_ID])).rows.map((r) => r.id);
    const lines = Object.values(DEMO_NUMBERS).map((n) => n.id);
    const started = performance.now();
    const chunk = 100_000;
    for (let offset = 0; offset < CALLS; offset += chunk) {
      const n = Math.min(chunk, CALLS - offset);
      await client.query(
        `WITH g AS (
           SELECT i, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                  date_trunc('day', now() - make_interval(days => (i % 730))) + make_interval(secs => 15 * 3600 + random() * 11 * 3600) AS t
             FROM generate_series($1::int, $2::int) i
         )
         INSERT INTO calls (id, account_id, location_id, twilio_call_sid, direction, source, from_number, to_number, phone_number_id, user_id,
                            rang_user_ids, status, started_at, answered_at, ended_at, recordings, disposition_id, note)
         SELECT 'call_bench_' || i, $3, CASE WHEN i % 3 = 1 THEN 'loc_demo_sm' ELSE 'loc_demo_bh' END, 'CAbench' || i,
                CASE WHEN r1 < 0.7 THEN 'inbound' ELSE 'outbound' END,
                CASE WHEN r4 < 0.85 THEN 'softphone' WHEN r4 < 0.92 THEN 'manual_task' WHEN r4 < 0.96 THEN 'workflow' ELSE 'external' END,
                '+1310555' || lpad((i % 10000)::text, 4, '0'), '+13105550100', ($5::text[])[1 + i % 3],
                CASE WHEN r2 < 0.75 THEN ($4::text[])[1 + i % 12] END,
                jsonb_build_array(($4::text[])[1 + i % 12], ($4::text[])[1 + (i + 5) % 12]),
                CASE WHEN r2 < 0.75 THEN 'completed' WHEN r2 < 0.8 THEN 'rejected' ELSE 'missed' END,
                t, CASE WHEN r2 < 0.75 THEN t + make_interval(secs => 2 + r3 * 30) END,
                t + make_interval(secs => 30 + r3 * 600),
                CASE WHEN r2 >= 0.9 THEN '[{"sid":"RE","url":null,"durationSeconds":20,"status":"completed","kind":"voicemail"}]'::jsonb ELSE '[]'::jsonb END,
                CASE WHEN r2 < 0.75 AND r3 < 0.7 THEN ($6::text[])[1 + (i / 7) % 6] END,
                CASE WHEN r3 < 0.1 THEN 'Prefers afternoons' END
           FROM g`,
        [offset, offset + n - 1, DEMO_ACCOUNT_ID, all, lines, dispositions],
      );
      process.stdout.write(`\r  generating calls: ${(offset + n).toLocaleString('en-US')} / ${CALLS.toLocaleString('en-US')}`);
    }
    process.stdout.write('\n');
    const vacuum = performance.now();
    await client.query('VACUUM ANALYZE calls');
    console.log(`  ${CALLS.toLocaleString('en-US')} calls generated in ${((vacuum - started) / 1000).toFixed(1)} s, VACUUM ANALYZE ${((performance.now() - vacuum) / 1000).toFixed(1)} s`);
    const size = await client.query<{ table: string; indexes: string }>(
      `SELECT pg_size_pretty(pg_table_size('calls')) AS table, pg_size_pretty(pg_indexes_size('calls')) AS indexes`);
    console.log(`  calls table ${size.rows[0]!.table}, its indexes ${size.rows[0]!.indexes}`);
    return { users: all, teams: ['team_bench_0', 'team_bench_1', 'team_bench_2'], dispositions };
  } finally {
    await client.end();
  }
}

async function login(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  if (!res.ok) throw new Error(`login ${email}: ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function timed(url: string, token: string, path: string, filters: ReportFiltersInput, extra: Record<string, string> = {}): Promise<number> {
  const query = new URLSearchParams({ ...reportFiltersToQuery(filters), ...extra }).toString();
  const t0 = performance.now();
  const res = await fetch(`${url}${path}?${query}`, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.text();
  if (!res.ok) throw new Error(`${path}?${query}: ${res.status} ${body}`);
  return performance.now() - t0;
}

async function series(label: string, run: () => Promise<number>): Promise<number[]> {
  await run(); // warm the plan and the cache once
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await run());
  times.sort((a, b) => a - b);
  console.log(`  ${label.padEnd(58)} p50 ${ms(percentile(times, 50))}   p95 ${ms(percentile(times, 95))}`);
  return times;
}

async function main(): Promise<void> {
  console.log(`Call Reporting benchmark: ${CALLS.toLocaleString('en-US')} calls on PostgreSQL, ${RUNS} runs each`);
  console.log(`  before: ${machineLoad()}`);
  const cluster = await startTestPostgres();
  let child: ChildProcess | undefined;
  try {
    const databaseUrl = await cluster.createDatabase('reporting_bench');
    const started = await startCloudChild(root, { DATABASE_URL: databaseUrl });
    child = started.child;
    const { url } = started;
    const ids = await generate(databaseUrl);
    const admin = await login(url, DEMO_USERS.admin.email);
    const jordan = await login(url, DEMO_USERS.receptionist.email);
    const summary = (token: string, filters: ReportFiltersInput) => () => timed(url, token, '/v1/reports/calls/summary', filters);

    console.log('\n  Figures and charts (GET /v1/reports/calls/summary):');
    const combos: [string, string, ReportFiltersInput][] = [
      ['admin', 'today', { preset: 'today' }],
      ['admin', 'last 7 days', { preset: 'last7' }],
      ['admin', 'this month', { preset: 'thisMonth' }],
      ['admin', 'last 30 days', { preset: 'last30' }],
      ['admin', 'last 30 days, one user', { preset: 'last30', userIds: [ids.users[0]!] }],
      ['admin', 'last 30 days, one team', { preset: 'last30', teamIds: [ids.teams[1]!] }],
      ['admin', 'last 30 days, Booked', { preset: 'last30', dispositionIds: [ids.dispositions[0]!] }],
      ['admin', 'last 30 days, missed + voicemail, inbound', { preset: 'last30', statuses: ['missed', 'voicemail'], directions: ['inbound'] }],
      ['admin', 'last 30 days, one line, talk ≥ 60 s', { preset: 'last30', lineIds: [DEMO_NUMBERS.beverlyHillsMain.id], minTalkSeconds: 60 }],
      ['receptionist', 'own calls, last 30 days', { preset: 'last30' }],
    ];
    const all: number[] = [];
    for (const [who, label, filters] of combos) all.push(...(await series(`${who}: ${label}`, summary(who === 'admin' ? admin : jordan, filters))));
    all.sort((a, b) => a - b);
    console.log(`  ${'all common combinations together'.padEnd(58)} p50 ${ms(percentile(all, 50))}   p95 ${ms(percentile(all, 95))}`);
    const today = new Date().toISOString().slice(0, 10);
    const yearAgo = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
    const quarterAgo = new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10);
    console.log('  less common, for scale:');
    await series('admin: last 90 days (custom)', summary(admin, { preset: 'custom', from: quarterAgo, to: today }));
    await series('admin: last 365 days (custom, weekly buckets)', summary(admin, { preset: 'custom', from: yearAgo, to: today }));

    console.log('\n  The table (GET /v1/reports/calls):');
    await series('last 30 days, newest first, first 200 rows (+ total)', () => timed(url, admin, '/v1/reports/calls', { preset: 'last30' }, { limit: '200' }));
    await series('last 30 days, by user, rows 20,000–20,199', () =>
      timed(url, admin, '/v1/reports/calls', { preset: 'last30' }, { sort: 'user', order: 'asc', offset: '20000', limit: '200' }));
    await series('last 90 days, by talk time, rows 60,000–60,199', () =>
      timed(url, admin, '/v1/reports/calls', { preset: 'custom', from: quarterAgo, to: today }, { sort: 'talk', order: 'desc', offset: '60000', limit: '200' }));

    console.log(`\n  ${CONCURRENCY} dashboards at once (summary + first page each), /healthz polled every 20 ms:`);
    const health: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const t0 = performance.now();
        await fetch(`${url}/healthz`).then((r) => r.text());
        health.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const dashboards: number[] = [];
    await Promise.all(Array.from({ length: CONCURRENCY }, async (_, c) => {
      for (let i = 0; i < Math.max(3, Math.floor(RUNS / 2)); i++) {
        const t0 = performance.now();
        const filters = combos[(c + i) % combos.length]![2];
        await Promise.all([timed(url, admin, '/v1/reports/calls/summary', filters), timed(url, admin, '/v1/reports/calls', filters, { limit: '200' })]);
        dashboards.push(performance.now() - t0);
      }
    }));
    polling = false;
    await poller;
    dashboards.sort((a, b) => a - b);
    health.sort((a, b) => a - b);
    console.log(`  ${'dashboard (summary + page)'.padEnd(58)} p50 ${ms(percentile(dashboards, 50))}   p95 ${ms(percentile(dashboards, 95))}`);
    console.log(`  ${`/healthz meanwhile (${health.length} polls)`.padEnd(58)} p50 ${ms(percentile(health, 50))}   p95 ${ms(percentile(health, 95))}   max ${ms(health[health.length - 1]!)}`);

    console.log('\n  CSV export (GET /v1/reports/calls.csv, streamed):');
    for (const [label, filters] of [['last 30 days', { preset: 'last30' }], ['last 90 days', { preset: 'custom', from: quarterAgo, to: today }]] as [string, ReportFiltersInput][]) {
      const query = new URLSearchParams(reportFiltersToQuery(filters)).toString();
      const t0 = performance.now();
      const res = await fetch(`${url}/v1/reports/calls.csv?${query}`, { headers: { authorization: `Bearer ${admin}` } });
      let bytes = 0;
      let lines = 0;
      let firstByte = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        if (!firstByte) firstByte = performance.now() - t0;
        bytes += chunk.byteLength;
        for (const b of chunk) if (b === 10) lines++;
      }
      const seconds = (performance.now() - t0) / 1000;
      console.log(`  ${label.padEnd(20)} ${(lines - 1).toLocaleString('en-US').padStart(8)} rows, ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s (${(bytes / 1e6 / seconds).toFixed(1)} MB/s, first byte after ${firstByte.toFixed(0)} ms)`);
    }
  } finally {
    if (child) {
      const exited = new Promise<void>((r) => child!.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    }
    await cluster.stop();
    console.log(`\n  after: ${machineLoad()}`);
  }
}

await main();
