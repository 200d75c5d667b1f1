/**
 * Issue #21 (disposition → durable outbox): would overlapping an outbox write's CPU with its sync
 * pay on this machine? Prints figures; not a test. Run: npx tsx test/bench/sync-handoff.bench.ts
 *   (ROUNDS=1500, OVERLAP_US=150: the CPU a disposition could run while its sync is in flight, i.e.
 *   its local effect + COMMIT after the outbox row's INSERT).
 *
 * The design measured: the write appends its journal line, hands the line's fdatasync to a thread
 * parked in Atomics.wait (woken with Atomics.notify, answering the same way, so the caller stays
 * synchronous), commits meanwhile, then waits for the thread. It wins only if the hand-off (two
 * cross-thread wake-ups and the thread's own CPU) costs less than the CPU it hides. Each round
 * times, in a rotating order:
 *   here           — append a line + fdatasync on this thread (the floor of a synced journal line);
 *   thread         — the same fdatasync handed to the parked thread (the hand-off's cost alone);
 *   here + CPU     — OVERLAP_US of CPU, then append + fdatasync here (CPU and sync one after the other);
 *   thread + CPU   — append, hand the sync to the thread, OVERLAP_US of CPU meanwhile, wait (overlapped).
 * "thread + CPU" below "here + CPU" at p50 and p99 means the overlap pays here. CPU per round is this
 * process's (both threads).
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { percentile as pct, loadAverage as load } from './support/stats';

const ROUNDS = Number(process.env.ROUNDS ?? 1500);
const OVERLAP_US = Number(process.env.OVERLAP_US ?? 150);
const WARM_UP = 100;
const ms = (v: number) => `${v.toFixed(3)} ms`;

// The sync thread: parked until the state moves off the value it last saw; fdatasyncs the descriptor it is given.
const REQUESTED = 1;
const SYNCED = 2;
const STOP = 4;
const THREAD_SOURCE = `
const { workerData } = require('node:worker_threads');
const { fdatasyncSync } = require('node:fs');
const s = new Int32Array(workerData);
Atomics.store(s, 3, 1);
let seen = 0;
for (;;) {
  Atomics.wait(s, 0, seen);
  const state = Atomics.load(s, 0);
  if (state === ${STOP}) break;
  if (state !== ${REQUESTED}) { seen = state; continue; }
  fdatasyncSync(Atomics.load(s, 1));
  Atomics.store(s, 0, ${SYNCED});
  Atomics.notify(s, 0);
  seen = ${SYNCED};
}
`;

const root = mkdtempSync(join(tmpdir(), 'sync-handoff-'));
const shared = new Int32Array(new SharedArrayBuffer(16));
const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: shared.buffer });
try {
  console.log(`sync hand-off vs a sync here — ${ROUNDS} rounds, ${OVERLAP_US} µs of CPU to overlap, ${cpus().length} cores, load ${load()}, files in ${root}`);
  while (Atomics.load(shared, 3) !== 1) await new Promise((resolve) => setTimeout(resolve, 5));
  const line = `${JSON.stringify({ add: { key: 'bench-key-000000', type: 'call.setDisposition', payload: { callId: 'w0', dispositionId: 'dsp_booked', note: 'bench' }, createdAt: 0, ownerUser: 'usr_1', ownerCloud: 'embedded' } })}\n`;
  // One journal per step, each appended to as the cache's journal is.
  const files = { here: 0, thread: 0, 'here + CPU': 0, 'thread + CPU': 0 };
  for (const name of Object.keys(files) as (keyof typeof files)[]) files[name] = openSync(join(root, `${name.replace(/\W+/g, '-')}.jsonl`), 'a');
  const busy = (us: number) => {
    const until = performance.now() + us / 1000;
    while (performance.now() < until);
  };
  const handOff = (fd: number) => {
    Atomics.store(shared, 1, fd);
    Atomics.store(shared, 0, REQUESTED);
    Atomics.notify(shared, 0);
  };
  const awaitSync = () => {
    Atomics.wait(shared, 0, REQUESTED, 10_000);
    if (Atomics.load(shared, 0) !== SYNCED) throw new Error('the sync thread did not answer');
    Atomics.store(shared, 0, 0);
  };
  const steps: Record<keyof typeof files, (fd: number) => void> = {
    here: (fd) => {
      writeSync(fd, line);
      fdatasyncSync(fd);
    },
    thread: (fd) => {
      writeSync(fd, line);
      handOff(fd);
      awaitSync();
    },
    'here + CPU': (fd) => {
      busy(OVERLAP_US);
      writeSync(fd, line);
      fdatasyncSync(fd);
    },
    'thread + CPU': (fd) => {
      writeSync(fd, line);
      handOff(fd);
      busy(OVERLAP_US);
      awaitSync();
    },
  };
  const order = Object.keys(steps) as (keyof typeof files)[];
  const samples = Object.fromEntries(order.map((name) => [name, [] as number[]])) as Record<keyof typeof files, number[]>;
  const cpuMicros = Object.fromEntries(order.map((name) => [name, 0])) as Record<keyof typeof files, number>;
  for (let i = 0; i < WARM_UP + ROUNDS; i++) {
    // Yield between rounds, as the app does between two IPC calls (and the thread parks for real).
    await new Promise((resolve) => setImmediate(resolve));
    for (let k = 0; k < order.length; k++) {
      const name = order[(i + k) % order.length]!;
      const cpu = process.cpuUsage();
      const t = performance.now();
      steps[name](files[name]);
      const took = performance.now() - t;
      const used = process.cpuUsage(cpu);
      if (i < WARM_UP) continue;
      samples[name].push(took);
      cpuMicros[name] += used.user + used.system;
    }
  }
  for (const fd of Object.values(files)) closeSync(fd);
  for (const name of order) {
    const values = samples[name];
    console.log(`  ${name.padEnd(13)} p50 ${ms(pct(values, 50))}, p95 ${ms(pct(values, 95))}, p99 ${ms(pct(values, 99))}; CPU ${ms(cpuMicros[name] / 1000 / values.length)} per round`);
  }
  const cost = (p: number) => pct(samples.thread, p) - pct(samples.here, p);
  console.log(`  the hand-off costs ${ms(cost(50))} at p50, ${ms(cost(99))} at p99; it would hide at most ${ms(OVERLAP_US / 1000)} of CPU`);
  const gain = (p: number) => pct(samples['here + CPU'], p) - pct(samples['thread + CPU'], p);
  console.log(`\noverlap gain (here + CPU − thread + CPU): p50 ${ms(gain(50))}, p99 ${ms(gain(99))} (positive: the overlap pays); load ${load()}`);
} finally {
  Atomics.store(shared, 0, STOP);
  Atomics.notify(shared, 0);
  await worker.terminate();
  rmSync(root, { recursive: true, force: true });
}
