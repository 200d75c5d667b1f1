/**
 * Issue #21: the initial pull of 100,000 calls (and 5,000 contacts) into the desktop's cache, over
 * loopback HTTP from a stand-in cloud in its own process (support/pull-server.ts), through the real
 * cloud client (JSON + pullResponseSchema) and the real SQLite cache. Prints figures; not a test.
 *   npx tsx test/bench/initial-pull.bench.ts        (PULL_CALLS=20000 for a quick run; ROUNDS=2)
 *
 *   before: the sync engine as it was before issue 21: pages of 5,000 requested one after another,
 *           each parsed twice (client + cache), written at the everyday WAL settings.
 *   main:   the SyncEngine with every page written on the main thread (the fallback when the pull
 *           writer thread cannot start): pages of 5,000, page n+1 requested before page n is written,
 *           parsed once, bulk-pull WAL settings, search-index merging paused until the end.
 *   now:    the same with the pages written on the pull writer thread (cache/pull-writer.ts), so
 *           parsing page n+1 on the main thread overlaps writing page n on the second core, and
 *           the calls' search index built beside it on a third thread (cache/search-aside.ts). Under
 *           tsx the thread compiles its TypeScript entry first (the built app's is plain JS): that
 *           start-up is inside these figures.
 *   built:  the same with the writer thread started from its built file (out/main/cache-pull-writer.js,
 *           plain JS as in the app), when `npm run build:e2e` built it after the last change to
 *           src/main/cache; otherwise skipped (and said so).
 * All run in the same process, alternately, so they see the same machine load; the load average,
 * the process's CPU seconds (every thread, and the main thread's own: with the writer thread the wall
 * time on a quiet 2-core machine is about the larger of the main thread's and the writer's) and the
 * main event loop's delay (p99 and max: how long a ringing phone's IPC could wait) are printed beside
 * each wall time (on a loaded 2-core machine the CPU time is the figure that does not depend on the
 * neighbours). ONLY=main,now runs a subset (e.g. under --cpu-prof).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openCache, type CallCache } from '../../src/main/cache';
import { startPullWriter } from '../../src/main/cache/pull-writer-client';
import { createCloudClient } from '../../src/main/cloud-client/cloud-client';
import { systemClock } from '../../src/main/os/system-clock';
import type { SessionService } from '../../src/main/session/session-service';
import { cacheSyncStore } from '../../src/main/sync/cache-sync-store';
import { SyncEngine } from '../../src/main/sync/sync-engine';
import type { SyncStatus } from '../../src/shared/ipc/sync-status';
import { loadAverage as load } from './support/stats';

const CALLS = Number(process.env.PULL_CALLS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const root = resolve(import.meta.dirname, '../..');
const VARIANTS = ['before', 'main', 'now', 'built'] as const;
type Variant = (typeof VARIANTS)[number];
const ONLY = new Set((process.env.ONLY ?? VARIANTS.join(',')).split(',').map((v) => v.trim()));

async function startServer(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/bench/support/pull-server.ts')], {
    cwd: root,
    env: { ...process.env, PULL_CALLS: String(CALLS) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Even when the benchmark dies on an uncaught error, the server does not outlive it.
  process.once('exit', () => child.kill());
  const port = await new Promise<number>((resolvePort, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolvePort(Number(String(chunk).trim())));
    child.once('exit', (code) => reject(new Error(`pull server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/** The built pull writer, if it is newer than every source file of the cache, tests and docs aside (else a stale build would be measured). */
function builtWriter(): string | null {
  const built = join(root, 'out/main/cache-pull-writer.js');
  if (!existsSync(built)) return null;
  const sources = join(root, 'src/main/cache');
  const code = readdirSync(sources, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
  const newest = Math.max(...code.map((name) => statSync(join(sources, name)).mtimeMs));
  return statSync(built).mtimeMs >= newest ? built : null;
}

/** This process's main thread's CPU milliseconds (Linux: /proc/self/task/<pid>/stat, utime + stime in ticks of 10 ms). */
function mainThreadCpuMs(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

interface Run {
  wallMs: number;
  cpuMs: number;
  mainCpuMs: number;
  maxBlockMs: number;
  p99DelayMs: number;
  calls: number;
  loadAtEnd: string;
  fileMb: number;
}

async function measure(label: string, fn: (file: string) => Promise<void>): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'initial-pull-bench-'));
  const file = join(dir, 'cache.sqlite');
  const delay = monitorEventLoopDelay({ resolution: 5 });
  try {
    delay.enable();
    const cpu0 = process.cpuUsage();
    const main0 = mainThreadCpuMs();
    const t0 = performance.now();
    await fn(file);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const mainCpuMs = mainThreadCpuMs() - main0;
    delay.disable();
    const cache = openCache({ file });
    const calls = cache.calls.history({ limit: 1 }).totals?.calls ?? -1;
    cache.close();
    const run = { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, mainCpuMs, maxBlockMs: delay.max / 1e6, p99DelayMs: delay.percentile(99) / 1e6, calls, loadAtEnd: load(), fileMb: statSync(file).size / 1e6 };
    console.log(
      `  ${label.padEnd(7)} ${(run.wallMs / 1000).toFixed(2)} s wall, ${(run.cpuMs / 1000).toFixed(2)} s CPU (this process; main thread ${(run.mainCpuMs / 1000).toFixed(2)} s, other threads ${((run.cpuMs - run.mainCpuMs) / 1000).toFixed(2)} s), ` +
        `event loop delay p99 ${run.p99DelayMs.toFixed(0)} ms, max ${run.maxBlockMs.toFixed(0)} ms, ${run.calls} calls cached, ${run.fileMb.toFixed(0)} MB; load ${run.loadAtEnd}`,
    );
    return run;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The path before issue 21: sequential pages of 5,000, validated by the client and again by the cache. */
async function before(url: string, file: string): Promise<void> {
  const client = createCloudClient({ baseUrl: url });
  const cache = openCache({ file });
  try {
    for (;;) {
      const page = await client.pull('token', cache.getCursor(), 5_000);
      if (!cache.applyPull(page).hasMore) break;
    }
  } finally {
    cache.close();
  }
}

/**
 * Today's path: the real SyncEngine over the real cache, pages written on the pull writer thread
 * (from `writer`, the built file, when given), or on the main thread when `writer` is 'main thread'.
 */
async function now(url: string, file: string, writer?: 'main thread' | string): Promise<void> {
  const client = createCloudClient({ baseUrl: url });
  const opened = openCache({ file });
  const cache: CallCache =
    writer === undefined
      ? opened
      : Object.assign(Object.create(opened) as CallCache, {
          // 'main thread': the fallback when the writer thread cannot start, every page written on the main thread.
          startPullWriter: () => {
            if (writer === 'main thread') throw new Error('no writer thread in this run');
            return startPullWriter({ file, now: Date.now, workerPath: writer });
          },
        });
  const session = { state: { status: 'signed-in' }, authed: <T>(call: (token: string) => Promise<T>) => call('token') } as unknown as SessionService;
  let done: () => void = () => undefined;
  let failed: (error: Error) => void = () => undefined;
  const finished = new Promise<void>((res, rej) => ((done = res), (failed = rej)));
  const engine = new SyncEngine({
    store: cacheSyncStore(cache),
    cloud: client,
    session,
    clock: systemClock,
    onStatus: (s: SyncStatus) => {
      if (s.lastError) failed(new Error(s.lastError));
      else if (s.lastSyncedAt) done();
    },
  });
  engine.start();
  try {
    await finished;
  } finally {
    engine.stop();
    cache.close();
  }
}

async function main(): Promise<void> {
  console.log(`initial pull of ${CALLS.toLocaleString('en-US')} calls + 5,000 contacts — node ${process.version}, ${cpus().length} cores, load ${load()}`);
  const server = await startServer();
  const runs: Record<Variant, Run[]> = { before: [], main: [], now: [], built: [] };
  const built = builtWriter();
  if (!built && ONLY.has('built')) console.log('built: skipped (no out/main/cache-pull-writer.js newer than src/main/cache: run npm run build:e2e first)');
  const variants: Record<Variant, ((file: string) => Promise<void>) | null> = {
    before: (file) => before(server.url, file),
    main: (file) => now(server.url, file, 'main thread'),
    now: (file) => now(server.url, file),
    built: built ? (file) => now(server.url, file, built) : null,
  };
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`round ${round}`);
      for (const variant of VARIANTS) {
        const run = variants[variant];
        if (ONLY.has(variant) && run) runs[variant].push(await measure(variant, run));
      }
    }
  } finally {
    server.stop();
  }
  const best = (rs: Run[], key: 'wallMs' | 'cpuMs' | 'mainCpuMs') => Math.min(...rs.map((r) => r[key])) / 1000;
  const worst = (rs: Run[], key: 'p99DelayMs' | 'maxBlockMs') => Math.max(...rs.map((r) => r[key]));
  const cols = (f: (rs: Run[]) => string) => VARIANTS.map((v) => (runs[v].length > 0 ? f(runs[v]) : '—').padStart(7)).join(' | ');
  console.log('\nfigure                                  | before  | main    | now     | built   | aim');
  console.log('----------------------------------------|---------|---------|---------|---------|------');
  console.log(`initial pull, wall (best of ${ROUNDS})             | ${cols((rs) => `${best(rs, 'wallMs').toFixed(2)} s`)} | ≤ 5 s`);
  console.log(`initial pull, CPU seconds (best of ${ROUNDS})      | ${cols((rs) => `${best(rs, 'cpuMs').toFixed(2)} s`)} | —`);
  console.log(`  of which the main thread (best of ${ROUNDS})     | ${cols((rs) => `${best(rs, 'mainCpuMs').toFixed(2)} s`)} | —`);
  console.log(`main event loop delay p99 (worst of ${ROUNDS})  | ${cols((rs) => `${worst(rs, 'p99DelayMs').toFixed(0)} ms`)} | —`);
  console.log(`main event loop delay max (worst of ${ROUNDS})  | ${cols((rs) => `${worst(rs, 'maxBlockMs').toFixed(0)} ms`)} | —`);
  console.log(`load average at the end: ${load()} on ${cpus().length} cores (wall times above ~CPU time only when the load is below the core count)`);
}

await main();
