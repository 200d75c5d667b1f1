/**
 * Issue #21: disposition → durable outbox, p99, against the disk's own fsync p99 measured in the
 * same run (aim: ratio ≤ 1.3). Prints figures; not a test. Run: npx tsx test/bench/outbox-durability.bench.ts
 *   (WRITES=2000). Files live in the OS temp folder (a real disk here, so the syncs really sync).
 *
 * Each iteration times, in a rotating order so all of them see the same moment's load:
 *   disposition — cache.calls.setDispositionLocally (call row + outbox row + wrap-up in one
 *                 synchronous=FULL transaction, then the row appended and fsynced to the outbox journal);
 *   journal     — the journal's own append + fsync alone (the second sync on the disposition's path);
 *   disk        — one 4 KB write + fdatasync in the same folder (the disk's floor).
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openCache } from '../../src/main/cache';
import { openOutboxJournal } from '../../src/main/cache/outbox-journal';
import { call, page, seedPage } from '../support/cache-fixtures';

const WRITES = Number(process.env.WRITES ?? 2000);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const ms = (v: number) => `${v.toFixed(2)} ms`;

const root = mkdtempSync(join(tmpdir(), 'outbox-durability-'));
try {
  console.log(`disposition → durable outbox vs the disk's fsync — ${WRITES} of each, ${cpus().length} cores, load ${load()}, files in ${root}`);
  const cache = openCache({ file: join(root, 'cache.sqlite') });
  cache.applyPull(seedPage(10));
  cache.applyPull(page({ calls: Array.from({ length: 1000 }, (_, i) => call(`w${i}`)) }, 11));
  const journal = openOutboxJournal(join(root, 'probe.outbox.jsonl'));
  const probe = openSync(join(root, 'fsync-probe'), 'w');
  const block = Buffer.alloc(4096, 1);
  const samples = { disposition: [] as number[], journal: [] as number[], disk: [] as number[] };
  const steps: Record<keyof typeof samples, (i: number) => void> = {
    disposition: (i) => cache.calls.setDispositionLocally({ callId: `w${i % 1000}`, dispositionId: 'dsp_booked', note: 'bench', idempotencyKey: `bench-key-${i}` }),
    journal: (i) =>
      journal.add({
        key: `probe-${i}`,
        type: 'call.setDisposition',
        payload: { callId: `w${i % 1000}`, dispositionId: 'dsp_booked', note: 'bench' },
        createdAt: Date.now(),
        ownerUser: 'usr_1',
        ownerCloud: 'embedded',
      }),
    disk: (i) => {
      writeSync(probe, block, 0, block.length, (i % 16) * 4096);
      fdatasyncSync(probe);
    },
  };
  const order = Object.keys(steps) as (keyof typeof samples)[];
  for (let i = 0; i < WRITES; i++) {
    for (let k = 0; k < order.length; k++) {
      const name = order[(i + k) % order.length]!;
      const t = performance.now();
      steps[name](i);
      samples[name].push(performance.now() - t);
    }
  }
  closeSync(probe);
  cache.close();
  for (const [name, values] of Object.entries(samples)) {
    console.log(`  ${name.padEnd(11)} p50 ${ms(pct(values, 50))}, p95 ${ms(pct(values, 95))}, p99 ${ms(pct(values, 99))}, max ${ms(Math.max(...values))}`);
  }
  const ratio = pct(samples.disposition, 99) / pct(samples.disk, 99);
  console.log(`\ndisposition p99 / disk fsync p99 = ${ratio.toFixed(2)} (aim ≤ 1.3); p50 ratio ${(pct(samples.disposition, 50) / pct(samples.disk, 50)).toFixed(2)}; load ${load()}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
