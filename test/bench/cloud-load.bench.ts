/**
 * The cloud under load (issue #13 item 9, issue #21's webhook rows). Prints figures; not a timed test.
 * Run: npx tsx test/bench/cloud-load.bench.ts
 *   BENCH_BACKENDS=postgres,pglite  BENCH_STEP_SECONDS=4  BENCH_PUSHES=60
 *   BENCH_RATES_POSTGRES=500,1000,2000,3000  BENCH_RATES_PGLITE=100,200,400,800,1600
 *   BENCH_PUSH_UNDER_POSTGRES=2000  BENCH_PUSH_UNDER_PGLITE=100  BENCH_SKIP_STEPS=1 (only the pushes)
 *   BENCH_CLOSED_POSTGRES=4000  BENCH_CLOSED_PGLITE=1500 (closed-loop webhooks)
 *   BENCH_CONNECTIONS=16  BENCH_PIPELINING=128 (the generator's keep-alive connections and requests in flight on each: 2,048 at once, so the server, not the generator, holds the queue and its admission gate can refuse)
 *   BENCH_CLOUD_ROOT=<another checkout> runs that build's API (a "before" figure with this same load generator)
 *   BENCH_PG_SOCKET=1: the API reaches PostgreSQL over its Unix socket instead of TCP on 127.0.0.1 (as a
 *     deployment with PostgreSQL on the same machine can: src/cloud/README.md)
 *   BENCH_API_PROF=<folder>: the API process's CPU profile, written there when it stops
 * Short mode (~1 min, PostgreSQL only): BENCH_BACKENDS=postgres BENCH_STEP_SECONDS=2 BENCH_RATES_POSTGRES=1000,2000 BENCH_PUSHES=6 BENCH_CLOSED_POSTGRES=2000
 *
 * The API runs in a child process (`src/cloud/cli.ts`, as deployed: automation workers on); the load
 * generator (support/webhook-load.ts: pre-signed bodies, a few pipelined keep-alive connections)
 * runs here, on the same cores. For each backend:
 * 1. Closed loop: signed inbound-call webhooks at a fixed concurrency, as fast as they are answered.
 * 2. Open loop: webhooks due at a fixed rate whatever the answers (as Twilio sends them), step by
 *    step: the rate the generator really sent and how late it was; the answers (200) with p50 /
 *    p95 / p99 / max timed from when each was due; the refusals (503); the CPU each answered webhook
 *    cost the server, PostgreSQL and the generator (so a generator limit is told from a server
 *    limit); the machine's load. The highest step with every webhook answered within 2 s and none
 *    refused is the load the backend accepts.
 * 3. A 100-mutation sync push, repeated from its own process, while webhooks arrive at a given rate:
 *    p50 / p95 / p99 / max over enough pushes (60) that p99 is not just the slowest one.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/cloud/index';
import { startTestPostgres, type StartedPostgres } from '../support/postgres';
import { percentile, randomHex, startCloudChild, stopCloudChild } from './support/cloud-child';
import { cpuMsOf, postgresPids, processCpuMs } from './support/proc-cpu';
import { WebhookLoad, type OpenLoopResult, type Outcome } from './support/webhook-load';

type Backend = 'postgres' | 'pglite';
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgres,pglite').split(',') as Backend[];
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 4);
const PUSHES = Number(process.env.BENCH_PUSHES ?? 60);
const RATES: Record<Backend, number[]> = {
  postgres: (process.env.BENCH_RATES_POSTGRES ?? '500,1000,2000,3000').split(',').map(Number),
  pglite: (process.env.BENCH_RATES_PGLITE ?? '100,200,400,800,1600').split(',').map(Number),
};
/** Webhook rate (per second) during the push measurement. */
const PUSH_UNDER: Record<Backend, number> = {
  postgres: Number(process.env.BENCH_PUSH_UNDER_POSTGRES ?? 2000),
  pglite: Number(process.env.BENCH_PUSH_UNDER_PGLITE ?? 100),
};
const CLOSED_POSTGRES = Number(process.env.BENCH_CLOSED_POSTGRES ?? 4000);
const CLOSED_PGLITE = Number(process.env.BENCH_CLOSED_PGLITE ?? 1500);
const root = resolve(process.env.BENCH_CLOUD_ROOT ?? resolve(import.meta.dirname, '../..'));
const PG_SOCKET = process.env.BENCH_PG_SOCKET === '1';

/** The same database over the cluster's Unix socket: node-postgres takes a `host` parameter that names a folder as the socket's. */
function overUnixSocket(databaseUrl: string, socketDir: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('host', socketDir);
  return url.toString();
}

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const PIPELINING = Number(process.env.BENCH_PIPELINING ?? 128);

const ms = (v: number): string => (Number.isNaN(v) ? '—' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' / ');

/** CPU (ms) the server process and the database used between two readings. */
class ServerCpu {
  private pgPids: number[] = [];
  private server = 0;
  private db = new Map<number, number>();

  constructor(private readonly serverPid: number, private readonly pgPort: number | undefined) {}

  start(): void {
    this.server = processCpuMs(this.serverPid);
    this.pgPids = this.pgPort ? postgresPids(this.pgPort) : [];
    this.db = new Map(this.pgPids.map((pid) => [pid, cpuMsOf([pid])]));
  }

  /** ms of CPU since start(): the server's, and PostgreSQL's (backends that appeared meanwhile count from 0). */
  stop(): { server: number; db: number } {
    const pids = this.pgPort ? postgresPids(this.pgPort) : [];
    const db = pids.reduce((sum, pid) => sum + (cpuMsOf([pid]) - (this.db.get(pid) ?? 0)), 0);
    return { server: processCpuMs(this.serverPid) - this.server, db };
  }
}

const sortedMs = (outcomes: Outcome[], status: number): number[] => outcomes.filter((o) => o.status === status).map((o) => o.ms).sort((a, b) => a - b);

/** CPU per answered webhook and what 2 fully used cores would then serve: a server limit vs a generator limit. */
function cpuLine(answered: number, cpu: { server: number; db: number }, generatorMs: number): string {
  if (answered === 0) return 'CPU per webhook: —';
  const per = { server: cpu.server / answered, db: cpu.db / answered, generator: generatorMs / answered };
  const all = per.server + per.db + per.generator;
  // PGlite runs on a worker thread of the server process: its CPU is in the server's figure.
  const db = cpu.db > 0 ? `database ${per.db.toFixed(2)} ms` : 'database in the server process';
  return `CPU per answered webhook: server ${per.server.toFixed(2)} ms, ${db}, generator ${per.generator.toFixed(2)} ms ` +
    `(${cpus().length} cores fully used would serve ~${Math.round((cpus().length * 1000) / all)}/s; without the generator ~${Math.round((cpus().length * 1000) / (per.server + per.db))}/s)`;
}

async function closedLoop(label: string, gen: WebhookLoad, meter: ServerCpu, count: number, concurrency: number): Promise<void> {
  const cpu0 = process.cpuUsage();
  meter.start();
  const { outcomes, seconds } = await gen.closedLoop(count, concurrency);
  const cpu = meter.stop();
  const used = process.cpuUsage(cpu0);
  const ok = sortedMs(outcomes, 200);
  console.log(
    `[${label}] closed loop, ${concurrency} at once: ${count} webhooks in ${seconds.toFixed(1)} s = ${(ok.length / seconds).toFixed(0)} answered/s, ` +
      `p50 ${ms(percentile(ok, 50))}, p95 ${ms(percentile(ok, 95))}, p99 ${ms(percentile(ok, 99))}, max ${ms(ok.at(-1) ?? NaN)}, not answered ${outcomes.length - ok.length}; load ${load()}\n` +
      `  ${cpuLine(ok.length, cpu, (used.user + used.system) / 1000)}`,
  );
}

function report(label: string, rate: number, r: OpenLoopResult, seconds: number, cpu: { server: number; db: number }): { accepted: boolean } {
  const ok = sortedMs(r.outcomes, 200);
  const refused = sortedMs(r.outcomes, 503);
  const other = r.outcomes.length - ok.length - refused.length;
  const accepted = refused.length === 0 && other === 0 && (ok.at(-1) ?? 0) <= 2000;
  console.log(
    `[${label}] ${rate}/s offered for ${seconds} s, ${r.sentPerSecond.toFixed(0)}/s sent (generator: sent late by p99 ${ms(r.sendLatenessP99)}, event-loop delay p99 ${ms(r.generatorLoopDelayP99)})\n` +
      `  ${ok.length} answered (${(ok.length / r.elapsed).toFixed(0)}/s until the last answer): p50 ${ms(percentile(ok, 50))} p95 ${ms(percentile(ok, 95))} p99 ${ms(percentile(ok, 99))} max ${ms(ok.at(-1) ?? NaN)}; ` +
      `${refused.length} refused 503 (p50 ${ms(percentile(refused, 50))}, p99 ${ms(percentile(refused, 99))})${other ? `; ${other} failed otherwise` : ''}${accepted ? ' — accepted' : ''}; load ${load()}\n` +
      `  ${cpuLine(ok.length, cpu, r.generatorCpuMs)}`,
  );
  return { accepted };
}

/** 100-mutation pushes, one after another with 100 ms between them; run in its own process (below). */
async function pushLoop(url: string, token: string, count: number, maxSeconds: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const t0 = performance.now();
  for (let run = 1; run <= count && performance.now() - t0 < maxSeconds * 1000; run++) {
    const mutations = Array.from({ length: 100 }, (_, i) => ({ type: 'contact.create', idempotencyKey: `bench-${Date.now()}-${run}-${i}-${randomHex(6)}`, payload: { name: `Load ${run}.${i}`, phone: null } }));
    const p0 = performance.now();
    const res = await fetch(url + '/v1/sync/push', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ mutations }) });
    await res.text();
    outcomes.push({ status: res.status, ms: performance.now() - p0 });
    await new Promise((r) => setTimeout(r, 100));
  }
  return outcomes;
}

/** The pushes run in their own process, so the webhook generator's event loop does not delay their timing. */
function pushesInChild(url: string, token: string, count: number, maxSeconds: number): Promise<Outcome[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, 'pusher', url, token, String(count), String(maxSeconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((done, fail) => child.once('exit', (code) => (code === 0 ? done(JSON.parse(out) as Outcome[]) : fail(new Error(`pusher exited ${code}`)))));
}

async function pushesUnderLoad(label: string, url: string, gen: WebhookLoad, rate: number): Promise<void> {
  const login = (await (await fetch(url + '/v1/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEMO_USERS.receptionist.email, password: DEMO_PASSWORD, deviceName: 'bench' }),
  })).json()) as { accessToken: string };
  const idle = await pushesInChild(url, login.accessToken, 5, 60);
  const seconds = Math.max(STEP_SECONDS, PUSHES * 0.5);
  const lookups0 = await callerLookups(url);
  const [pushes, { outcomes: hooks, sentPerSecond }] = await Promise.all([pushesInChild(url, login.accessToken, PUSHES, seconds), gen.openLoop(rate, seconds)]);
  const p = sortedMs(pushes, 200);
  const h = sortedMs(hooks, 200);
  console.log(
    `[${label}] 100-mutation push (own process): idle p50 ${ms(percentile(sortedMs(idle, 200), 50))}; under ${rate} webhooks/s offered (${sentPerSecond.toFixed(0)}/s sent): ` +
      `${p.length}/${pushes.length} pushes applied, p50 ${ms(percentile(p, 50))}, p95 ${ms(percentile(p, 95))}, p99 ${ms(percentile(p, 99))}, max ${ms(p.at(-1) ?? NaN)}, ` +
      `${pushes.filter((o) => o.status === 503).length} refused 503; webhooks meanwhile ${h.length}/${hooks.length} answered, p99 ${ms(percentile(h, 99))}, ` +
      `${hooks.filter((o) => o.status === 503).length} refused; load ${load()}`,
  );
  const lookups = await callerLookups(url);
  if (lookups && lookups0) {
    // Each push's commits drop the practice's cached callers: the webhooks that miss meanwhile share their contact queries.
    console.log(`  callers missing from the cache meanwhile: ${lookups.misses - lookups0.misses}, read by ${lookups.queries - lookups0.queries} contact queries`);
  }
}

async function callerLookups(url: string): Promise<{ misses: number; queries: number } | undefined> {
  return ((await (await fetch(url + '/readyz')).json()) as { callerLookups?: { misses: number; queries: number } }).callerLookups;
}

async function main(): Promise<void> {
  console.log(
    `cloud load benchmark: node ${process.version}, ${cpus().length} CPUs, API from ${root}, generator: ${CONNECTIONS} connections × ${PIPELINING} pipelined, ` +
      `load average at start ${load()}`,
  );
  let pg: StartedPostgres | undefined;
  try {
    for (const backend of BACKENDS) {
      const dir = await mkdtemp(join(tmpdir(), 'aesthetix-load-'));
      let databaseUrl: string | undefined;
      if (backend === 'postgres') {
        pg ??= await startTestPostgres();
        const created = await pg.createDatabase('load');
        // The socket's URL keeps the port: the meter below still finds the cluster's processes by it.
        databaseUrl = PG_SOCKET ? overUnixSocket(created, pg.socketDir) : created;
        console.log(`[postgres] the API reaches it over ${PG_SOCKET ? 'its Unix socket' : 'TCP on 127.0.0.1'}`);
      }
      // CLOUD_DATA_DIR always in the temporary folder: sandbox mode writes its key file beside it.
      const { url, child } = await startCloudChild(root, { CLOUD_DATA_DIR: join(dir, 'db'), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
      const gen = new WebhookLoad(url, { connections: CONNECTIONS, pipelining: PIPELINING });
      const meter = new ServerCpu(child.pid!, databaseUrl ? Number(new URL(databaseUrl).port) : undefined);
      try {
        await closedLoop(`${backend} warm-up`, gen, meter, 500, 16);
        await closedLoop(backend, gen, meter, backend === 'postgres' ? CLOSED_POSTGRES : CLOSED_PGLITE, 32);
        let highest = 0;
        for (const rate of process.env.BENCH_SKIP_STEPS ? [] : RATES[backend]) {
          meter.start();
          const result = await gen.openLoop(rate, STEP_SECONDS);
          if (report(backend, rate, result, STEP_SECONDS, meter.stop()).accepted) highest = rate;
          const ready = (await (await fetch(url + '/readyz')).json()) as { admission?: unknown; inboundCalls?: { batches: number; rows: number; largest: number } };
          if (ready.admission) console.log(`  server admission: ${JSON.stringify(ready.admission)}`);
          if (ready.inboundCalls) {
            const { batches, rows, largest } = ready.inboundCalls;
            console.log(`  inbound calls group-committed so far: ${rows} rows in ${batches} statements (${(rows / Math.max(1, batches)).toFixed(1)} per statement, largest ${largest})`);
          }
          await new Promise((r) => setTimeout(r, 1000)); // let the queue drain between steps
        }
        console.log(`[${backend}] highest offered rate with every webhook answered ≤ 2 s and none refused: ${highest ? `${highest}/s` : 'none of the steps'}`);
        await pushesUnderLoad(backend, url, gen, PUSH_UNDER[backend]);
      } finally {
        await gen.close();
        await stopCloudChild(child);
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await pg?.stop();
  }
}

if (process.argv[2] === 'pusher') {
  const [url, token, count, seconds] = process.argv.slice(3);
  pushLoop(url!, token!, Number(count), Number(seconds)).then(
    (outcomes) => process.stdout.write(JSON.stringify(outcomes)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
