/**
 * The cloud under load (issue #13 item 9, issue #21's webhook rows). Prints figures; not a timed test.
 * Run: npx tsx test/bench/cloud-load.bench.ts
 *   BENCH_BACKENDS=postgres,pglite  BENCH_STEP_SECONDS=4  BENCH_PUSHES=20
 *   BENCH_RATES_POSTGRES=500,1000,2000,3000  BENCH_RATES_PGLITE=100,200,400,800,1600
 *   BENCH_PUSH_UNDER_POSTGRES=1000  BENCH_PUSH_UNDER_PGLITE=100  BENCH_SKIP_STEPS=1 (only the pushes)
 *   BENCH_CLOUD_ROOT=<another checkout> runs that build's API (a "before" figure with this same load generator)
 *
 * The API runs in a child process (`src/cloud/cli.ts`, as deployed: automation workers on); the load
 * generator runs here, on the same cores. For each backend:
 * 1. Closed loop: signed inbound-call webhooks at a fixed concurrency, as fast as they are answered.
 * 2. Open loop: webhooks sent at a fixed rate whatever the answers (as Twilio does), step by step:
 *    per step the answers (200) with p50 / p99 / max, the refusals (503) with their max latency,
 *    and the machine's load. The highest step with every webhook answered within 2 s and none
 *    refused is the load the backend accepts.
 * 3. A 100-mutation sync push, repeated from its own process, while webhooks arrive at a given rate: p50 / p99.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import twilio from 'twilio';
import { DEMO_NUMBERS, DEMO_PASSWORD, DEMO_USERS, SANDBOX_TWILIO_CREDENTIALS, webhookPaths } from '../../src/cloud/index';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { percentile, post, randomHex, startCloudChild, stopCloudChild } from './support/cloud-child';

type Backend = 'postgres' | 'pglite';
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgres,pglite').split(',') as Backend[];
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 4);
const PUSHES = Number(process.env.BENCH_PUSHES ?? 20);
const RATES: Record<Backend, number[]> = {
  postgres: (process.env.BENCH_RATES_POSTGRES ?? '500,1000,2000,3000').split(',').map(Number),
  pglite: (process.env.BENCH_RATES_PGLITE ?? '100,200,400,800,1600').split(',').map(Number),
};
/** Webhook rate (per second) during the push measurement. */
const PUSH_UNDER: Record<Backend, number> = {
  postgres: Number(process.env.BENCH_PUSH_UNDER_POSTGRES ?? 1000),
  pglite: Number(process.env.BENCH_PUSH_UNDER_PGLITE ?? 100),
};
const root = resolve(process.env.BENCH_CLOUD_ROOT ?? resolve(import.meta.dirname, '../..'));
const agent = new Agent({ keepAlive: true, maxSockets: 512 });


const ms = (v: number): string => (Number.isNaN(v) ? '—' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' / ');



interface Outcome {
  status: number;
  ms: number;
}

/** A signed inbound-call webhook for a new call. */
function webhookSender(url: string): () => Promise<Outcome> {
  const target = url + webhookPaths.inbound;
  const numbers = [DEMO_NUMBERS.beverlyHillsMain.number, DEMO_NUMBERS.jordanDirect.number, DEMO_NUMBERS.santaMonicaMain.number];
  let i = 0;
  return async () => {
    i += 1;
    const params = {
      CallSid: `CA${randomHex(32)}`, AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, From: `+1310555${String(2000 + (i % 49) * 7).padStart(4, '0')}`,
      To: numbers[i % numbers.length]!, CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01',
    };
    const body = new URLSearchParams(params).toString();
    const signature = twilio.getExpectedTwilioSignature(SANDBOX_TWILIO_CREDENTIALS.authToken, target, params);
    const t0 = performance.now();
    try {
      const res = await post(agent, target, { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body);
      if (res.status === 200 && !res.text.includes('<Dial')) throw new Error(`200 without <Dial>: ${res.text.slice(0, 200)}`);
      return { status: res.status, ms: performance.now() - t0 };
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('200 without')) throw error;
      return { status: 0, ms: performance.now() - t0 }; // connection refused or reset
    }
  };
}

async function closedLoop(label: string, send: () => Promise<Outcome>, count: number, concurrency: number): Promise<void> {
  const outcomes: Outcome[] = [];
  let sent = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (sent < count) {
      sent += 1;
      outcomes.push(await send());
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  const ok = outcomes.filter((o) => o.status === 200).map((o) => o.ms).sort((a, b) => a - b);
  console.log(
    `[${label}] closed loop, concurrency ${concurrency}: ${count} webhooks in ${seconds.toFixed(1)} s = ${(ok.length / seconds).toFixed(0)} answered/s, ` +
      `p50 ${ms(percentile(ok, 50))}, p99 ${ms(percentile(ok, 99))}, max ${ms(ok.at(-1) ?? NaN)}, refused ${outcomes.length - ok.length}; load ${load()}`,
  );
}

/** Sends `rate` webhooks per second for `seconds`, whatever the answers; resolves when all are back. */
async function openLoop(send: () => Promise<Outcome>, rate: number, seconds: number): Promise<{ outcomes: Outcome[]; elapsed: number }> {
  const pending: Promise<Outcome>[] = [];
  const total = Math.round(rate * seconds);
  const t0 = performance.now();
  await new Promise<void>((done) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
      while (pending.length < due) pending.push(send());
      if (pending.length >= total) done();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const outcomes = await Promise.all(pending);
  return { outcomes, elapsed: (performance.now() - t0) / 1000 };
}

function report(label: string, rate: number, { outcomes, elapsed }: { outcomes: Outcome[]; elapsed: number }, seconds: number): { accepted: boolean } {
  const ok = outcomes.filter((o) => o.status === 200).map((o) => o.ms).sort((a, b) => a - b);
  const refused = outcomes.filter((o) => o.status === 503).map((o) => o.ms).sort((a, b) => a - b);
  const other = outcomes.length - ok.length - refused.length;
  const accepted = refused.length === 0 && other === 0 && (ok.at(-1) ?? 0) <= 2000;
  console.log(
    `[${label}] ${rate}/s offered for ${seconds} s: ${ok.length} answered (${(ok.length / elapsed).toFixed(0)}/s until the last answer) p50 ${ms(percentile(ok, 50))} p99 ${ms(percentile(ok, 99))} max ${ms(ok.at(-1) ?? NaN)}; ` +
      `${refused.length} refused 503 (max ${ms(refused.at(-1) ?? NaN)})${other ? `; ${other} failed otherwise` : ''}${accepted ? ' — accepted' : ''}; load ${load()}`,
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

async function pushesUnderLoad(label: string, url: string, send: () => Promise<Outcome>, rate: number): Promise<void> {
  const login = (await (await fetch(url + '/v1/auth/login', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEMO_USERS.receptionist.email, password: DEMO_PASSWORD, deviceName: 'bench' }),
  })).json()) as { accessToken: string };
  const idle = await pushesInChild(url, login.accessToken, 5, 60);
  const seconds = Math.max(STEP_SECONDS, PUSHES * 0.5);
  const [pushes, { outcomes: hooks }] = await Promise.all([pushesInChild(url, login.accessToken, PUSHES, seconds), openLoop(send, rate, seconds)]);
  const okMs = (list: Outcome[]) => list.filter((o) => o.status === 200).map((o) => o.ms).sort((a, b) => a - b);
  const p = okMs(pushes);
  const h = okMs(hooks);
  console.log(
    `[${label}] 100-mutation push (own process): idle p50 ${ms(percentile(okMs(idle), 50))}; under ${rate} webhooks/s offered: ${p.length}/${pushes.length} pushes applied, p50 ${ms(percentile(p, 50))}, p99 ${ms(percentile(p, 99))}, max ${ms(p.at(-1) ?? NaN)}, ` +
      `${pushes.filter((o) => o.status === 503).length} refused 503; webhooks meanwhile ${h.length}/${hooks.length} answered, p99 ${ms(percentile(h, 99))}, max ${ms(h.at(-1) ?? NaN)}; load ${load()}`,
  );
}

async function main(): Promise<void> {
  console.log(`cloud load benchmark: node ${process.version}, ${cpus().length} CPUs, API from ${root}, load average at start ${load()}`);
  let pg: TestPostgres | undefined;
  try {
    for (const backend of BACKENDS) {
      const dir = await mkdtemp(join(tmpdir(), 'aesthetix-load-'));
      let databaseUrl: string | undefined;
      if (backend === 'postgres') {
        pg ??= await startTestPostgres();
        databaseUrl = await pg.createDatabase('load');
      }
      // CLOUD_DATA_DIR always in the temporary folder: sandbox mode writes its key file beside it.
      const { url, child } = await startCloudChild(root, { CLOUD_DATA_DIR: join(dir, 'db'), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
      try {
        const send = webhookSender(url);
        await closedLoop(`${backend} warm-up`, send, 500, 16);
        await closedLoop(backend, send, backend === 'postgres' ? 4000 : 1500, 32);
        let highest = 0;
        for (const rate of process.env.BENCH_SKIP_STEPS ? [] : RATES[backend]) {
          const outcomes = await openLoop(send, rate, STEP_SECONDS);
          if (report(backend, rate, outcomes, STEP_SECONDS).accepted) highest = rate;
          const ready = (await (await fetch(url + '/readyz')).json()) as { admission?: unknown };
          if (ready.admission) console.log(`  admission: ${JSON.stringify(ready.admission)}`);
          await new Promise((r) => setTimeout(r, 1000)); // let the queue drain between steps
        }
        console.log(`[${backend}] highest offered rate with every webhook answered ≤ 2 s and none refused: ${highest ? `${highest}/s` : 'none of the steps'}`);
        await pushesUnderLoad(backend, url, send, PUSH_UNDER[backend]);
      } finally {
        await stopCloudChild(child);
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await pg?.stop();
    agent.destroy();
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
