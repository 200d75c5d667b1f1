/**
 * Automation engine benchmark (prints figures; not a timed test). Run: npx tsx test/bench/automation.bench.ts
 *   BENCH_BACKENDS=postgres,pglite BENCH_LATENCY_N=60 BENCH_RUNS=300 BENCH_STEPS=10 BENCH_WAITING=100000 BENCH_IDLE_SECONDS=30
 *
 * The cloud runs as `npm run cloud` does: API + workers in one process (here, this process).
 * 1. Disposition saved → first action done: `PUT /v1/calls/:id/disposition` ("Spam call") to the
 *    DND step of a Call Details workflow completing (its finished_at), one call at a time.
 * 2. Workflow steps per second: BENCH_RUNS runs of a BENCH_STEPS-step workflow enrolled at once.
 * 3. BENCH_WAITING runs in a Wait step: CPU and memory of the process at rest, against the same
 *    process before they existed (the runs are written in their waiting state — rows and delayed
 *    pg-boss jobs — the state the engine leaves them in, without waiting for 100,000 executions).
 */
import { loadavg, cpus } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ACCOUNT_ID, DEMO_PASSWORD, DEMO_USERS, sandboxConfig, startCloud, type RunningCloud } from '../../src/cloud/index';
import { QUEUES } from '../../src/cloud/automation/engine/jobs';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { countRoundTrips, postgresCpuMs } from './automation-profile';

const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgres,pglite').split(',') as ('postgres' | 'pglite')[];
const LATENCY_N = Number(process.env.BENCH_LATENCY_N ?? 60);
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const STEPS = Number(process.env.BENCH_STEPS ?? 10);
const WAITING = Number(process.env.BENCH_WAITING ?? 100_000);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' / ');
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function api(cloud: RunningCloud, token: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(cloud.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function publish(cloud: RunningCloud, token: string, name: string, draft: unknown): Promise<string> {
  const created = await api(cloud, token, 'POST', '/v1/workflows', { name, draft });
  const published = await api(cloud, token, 'POST', `/v1/workflows/${created.body.id}/publish`);
  if (published.status !== 200) throw new Error(`publish: ${JSON.stringify(published.body)}`);
  return created.body.id;
}

async function latency(cloud: RunningCloud, admin: string, jordan: string): Promise<string> {
  const spam = ((await api(cloud, admin, 'GET', '/v1/dispositions')).body as { id: string; label: string }[]).find((d) => d.label === 'Spam call')!.id;
  await publish(cloud, admin, 'Spam → DND', {
    trigger: { type: 'call_details', filters: { dispositionIds: [spam] } },
    settings: { allowReentry: true, stopOnResponse: false },
    steps: [{ id: 'dnd', name: 'DND', type: 'dnd', config: { action: 'enable', direction: 'inbound', channels: [] } }],
  });
  const db = cloud.db;
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_N + 5; i += 1) {
    const phone = `+1707555${String(1000 + i)}`;
    const contact = await api(cloud, jordan, 'POST', '/v1/contacts', { name: `Caller ${i}`, phone });
    const callId = `call_bench_${i}_${Date.now()}`;
    await db.query(
      `INSERT INTO calls (id, account_id, direction, from_number, to_number, contact_id, status, ended_at, duration_seconds)
       VALUES ($1, $2, 'inbound', $3, '+13105550100', $4, 'completed', now(), 20)`,
      [callId, DEMO_ACCOUNT_ID, phone, contact.body.id],
    );
    const t0 = Date.now();
    const set = await api(cloud, jordan, 'PUT', `/v1/calls/${callId}/disposition`, { dispositionId: spam });
    if (set.status !== 200) throw new Error(`disposition: ${JSON.stringify(set.body)}`);
    for (;;) {
      const rows = await db.query<{ finished_at: string }>(
        `SELECT s.finished_at FROM run_steps s JOIN workflow_runs r ON r.id = s.run_id WHERE r.context->>'callId' = $1 AND s.status = 'completed'`,
        [callId],
      );
      if (rows[0]) {
        if (i >= 5) samples.push(Date.parse(rows[0].finished_at) - t0); // the first few warm caches up
        break;
      }
      await sleep(3);
    }
  }
  samples.sort((a, b) => a - b);
  return `disposition saved → first action done: p50 ${pct(samples, 50)} ms, p95 ${pct(samples, 95)} ms, max ${samples[samples.length - 1]} ms (n=${samples.length})`;
}

async function throughput(cloud: RunningCloud, admin: string): Promise<string> {
  const steps = Array.from({ length: STEPS }, (_, i) => ({ id: `f${i}`, name: `Field ${i}`, type: 'update_contact_field', config: { field: `custom_fields.f${i % 3}`, value: `v${i}` } }));
  const workflowId = await publish(cloud, admin, 'Throughput', { trigger: { type: 'manual', filters: {} }, settings: { allowReentry: true, stopOnResponse: false }, steps });
  const db = cloud.db;
  const contacts = await db.query<{ id: string }>(`SELECT id FROM contacts WHERE account_id = $1 AND deleted_at IS NULL ORDER BY id LIMIT $2`, [DEMO_ACCOUNT_ID, RUNS]);
  const trips = countRoundTrips();
  const dbCpu0 = db.kind === 'postgres' ? await postgresCpuMs(db) : null;
  const cpu0 = process.cpuUsage();
  const started = Date.now();
  await db.transaction(async (tx) => {
    for (let i = 0; i < RUNS; i += 1) {
      await tx.query(
        `INSERT INTO domain_events (account_id, type, contact_id, payload) VALUES ($1, 'workflow.manual_enrolment', $2, $3::jsonb)`,
        [DEMO_ACCOUNT_ID, contacts[i % contacts.length]!.id, JSON.stringify({ workflowId, customValues: {} })],
      );
    }
    await tx.query(`SELECT pg_notify('aesthetix_domain_events', '')`);
  });
  for (;;) {
    const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM workflow_runs WHERE workflow_id = $1 AND status = 'completed'`, [workflowId]);
    if (rows[0]!.n >= RUNS) break;
    await sleep(100);
  }
  const cpu = process.cpuUsage(cpu0);
  const dbCpu1 = db.kind === 'postgres' ? await postgresCpuMs(db) : null;
  const counted = trips.stop();
  const total = RUNS * STEPS;
  const perStep = (n: number): string => (n / total).toFixed(2);
  console.log(`  (CPU per step: this process ${perStep((cpu.user + cpu.system) / 1000)} ms` +
    (dbCpu0 !== null && dbCpu1 !== null ? `, PostgreSQL backends ${perStep(dbCpu1 - dbCpu0)} ms` : '') + ')');
  if (db.kind === 'postgres') {
    const parts = Object.entries(counted.byKind).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${perStep(n)}`).join(', ');
    console.log(`  (round trips to PostgreSQL per step: ${perStep(counted.total)} — ${parts})`);
  }
  const last = await db.query<{ at: string }>(`SELECT max(finished_at) AS at FROM run_steps WHERE workflow_id = $1`, [workflowId]);
  const seconds = (Date.parse(last[0]!.at) - started) / 1000;
  // Between a step's end and the next step's start: ~0 when run inline, a pg-boss round trip (or a poll) otherwise.
  const gaps = await db.query<{ p50: number; p95: number; inline: number; n: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY gap) AS p95,
            count(*) FILTER (WHERE inline)::int AS inline, count(*)::int AS n
       FROM (SELECT extract(epoch FROM (s.started_at - p.finished_at)) * 1000 AS gap, s.created_at = s.started_at AS inline
               FROM run_steps s JOIN run_steps p ON p.run_id = s.run_id AND p.step_id = 'f' || (substr(s.step_id, 2)::int - 1)
              WHERE s.workflow_id = $1 AND s.step_id <> 'f0') g`,
    [workflowId],
  );
  const g = gaps[0]!;
  console.log(`  (step end → next step start: p50 ${Number(g.p50).toFixed(0)} ms, p95 ${Number(g.p95).toFixed(0)} ms; ${g.inline} of ${g.n} next steps run inline)`);
  return `workflow steps per second: ${((RUNS * STEPS) / seconds).toFixed(0)}/s (${RUNS} runs × ${STEPS} steps in ${seconds.toFixed(1)} s, enrolment and dispatch included)`;
}

async function idle(): Promise<{ cpuPercent: number; rss: number; heap: number; handles: number }> {
  global.gc?.();
  const before = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await sleep(IDLE_SECONDS * 1000);
  const used = process.cpuUsage(before);
  const wall = Number(process.hrtime.bigint() - t0) / 1000;
  const mem = process.memoryUsage();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const handles = (process as any)._getActiveHandles().length as number;
  return { cpuPercent: ((used.user + used.system) / wall) * 100, rss: mem.rss, heap: mem.heapUsed, handles };
}

async function waiting(cloud: RunningCloud, admin: string): Promise<string[]> {
  const workflowId = await publish(cloud, admin, 'Long wait', {
    trigger: { type: 'manual', filters: {} }, settings: { allowReentry: true, stopOnResponse: false },
    steps: [{ id: 'wait', name: 'Wait a week', type: 'wait', config: { mode: 'duration', amount: 7, unit: 'days' } }, { id: 'tag', name: 'Tag', type: 'add_tag', config: { tags: ['later'] } }],
  });
  const quiet = await idle();
  const db = cloud.db;
  const boss = cloud.automation!.engine.boss;
  const contacts = await db.query<{ id: string }>(`SELECT id FROM contacts WHERE account_id = $1 ORDER BY id`, [DEMO_ACCOUNT_ID]);
  const until = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const BATCH = 5000;
  const t0 = Date.now();
  for (let start = 0; start < WAITING; start += BATCH) {
    const n = Math.min(BATCH, WAITING - start);
    const ids = Array.from({ length: n }, (_, i) => `run_wait_${start + i}`);
    await db.query(
      `INSERT INTO workflow_runs (id, account_id, workflow_id, version, contact_id, status, trigger, dedupe_key, context)
       SELECT id, $2, $3, 1, ($4::text[])[1 + (ord % $5)], 'waiting', 'manual', 'bench:' || id, '{}' FROM unnest($1::text[]) WITH ORDINALITY AS t(id, ord)`,
      [ids, DEMO_ACCOUNT_ID, workflowId, contacts.map((c) => c.id), contacts.length],
    );
    await db.query(
      `INSERT INTO run_steps (run_id, step_key, account_id, workflow_id, version, step_id, name, type, status, attempts, wait_until, reason, started_at)
       SELECT id, 'wait', $2, $3, 1, 'wait', 'Wait a week', 'wait', 'waiting', 1, $4, 'Waiting 7 days', now() FROM unnest($1::text[]) AS t(id)`,
      [ids, DEMO_ACCOUNT_ID, workflowId, until],
    );
    await boss.insert(QUEUES.step, ids.map((runId) => ({ data: { runId, stepKey: 'wait' }, startAfter: until, retentionSeconds: 14 * 86_400 })));
  }
  const created = (Date.now() - t0) / 1000;
  const busy = await idle();
  const counted = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM run_steps WHERE status = 'waiting'`);
  return [
    `${counted[0]!.n.toLocaleString('en-US')} runs waiting (written in ${created.toFixed(1)} s)`,
    `at rest, ${IDLE_SECONDS} s each — without them: CPU ${quiet.cpuPercent.toFixed(1)}% of a core, RSS ${mb(quiet.rss)}, heap ${mb(quiet.heap)}, ${quiet.handles} handles`,
    `                            with them: CPU ${busy.cpuPercent.toFixed(1)}% of a core, RSS ${mb(busy.rss)}, heap ${mb(busy.heap)}, ${busy.handles} handles (no timer per run)`,
  ];
}

async function bench(backend: 'postgres' | 'pglite', pg: TestPostgres | null): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-automation-'));
  const databaseUrl = pg ? await pg.createDatabase('bench_automation') : undefined;
  const cloud = await startCloud({
    config: sandboxConfig({ dataDir, databaseUrl, logLevel: 'silent', argon2: { memoryCost: 1024, timeCost: 1 }, loginMaxFailures: 1000 }),
    seed: true,
  });
  try {
    const login = async (email: string) => (await api(cloud, undefined, 'POST', '/v1/auth/login', { email, password: DEMO_PASSWORD, deviceName: 'bench' })).body.accessToken as string;
    const admin = await login(DEMO_USERS.admin.email);
    const jordan = await login(DEMO_USERS.receptionist.email);
    console.log(`\n${backend} (machine load ${load()} on ${cpus().length} cores, worker concurrency ${cloud.config.automation.concurrency})`);
    console.log(`  ${await latency(cloud, admin, jordan)}   [load ${load()}]`);
    console.log(`  ${await throughput(cloud, admin)}   [load ${load()}]`);
    if (WAITING > 0) for (const line of await waiting(cloud, admin)) console.log(`  ${line}`); // BENCH_WAITING=0 skips it
    console.log(`  [load ${load()}]`);
  } finally {
    await cloud.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const pg = BACKENDS.includes('postgres') ? await startTestPostgres() : null;
  try {
    for (const backend of BACKENDS) await bench(backend, backend === 'postgres' ? pg : null);
  } finally {
    await pg?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
