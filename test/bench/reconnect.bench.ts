/**
 * Benchmark of issue #13 item 6: how long from the moment the connection is back to "Saved" for
 * 100 changes made during an outage. Prints its figures; not a pass/fail test.
 *   npx tsx test/bench/reconnect.bench.ts     (RECONNECT_OUTAGES=10,30 seconds; RECONNECT_ITEMS=100)
 *
 * The real cloud (embedded PGlite) behind a loopback proxy that is cut for the outage; the real
 * SQLite cache, sync engine and session. The sync engine keeps retrying during the outage, so each
 * row and the engine itself build up backoff, as on a receptionist's machine.
 *   before: the backoff is kept — no reconnect signal, rows wait out their own retry times (what
 *           the app did before item 6; emulated by a store whose makeAllDue does nothing).
 *   after:  the realtime socket's reconnect calls `sync.connectionRestored()`, and a push that
 *           succeeds makes the whole backlog due.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_PASSWORD, DEMO_USERS, sandboxConfig, startCloud } from '../../src/cloud';
import { openCache } from '../../src/main/cache';
import { createCloudClient } from '../../src/main/cloud-client/cloud-client';
import { systemClock } from '../../src/main/os/system-clock';
import { createMemoryVault } from '../../src/main/session/credential-vault';
import { SessionService } from '../../src/main/session/session-service';
import { cacheSyncStore } from '../../src/main/sync/cache-sync-store';
import { SyncEngine } from '../../src/main/sync/sync-engine';
import type { SyncStatus } from '../../src/shared/ipc/sync-status';
import { startCutProxy } from '../support/cut-proxy';

const ITEMS = Number(process.env.RECONNECT_ITEMS ?? 100);
const OUTAGES_S = (process.env.RECONNECT_OUTAGES ?? '10,30').split(',').map(Number);
const TIMEOUT_MS = 180_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(mode: 'before' | 'after', outageS: number, cloudPort: number, round: number): Promise<{ totalMs: number; pushMs: number }> {
  const proxy = await startCutProxy(cloudPort);
  const dir = mkdtempSync(join(tmpdir(), 'reconnect-bench-'));
  const cache = openCache({ file: join(dir, 'cache.sqlite') });
  const plain = createCloudClient({ baseUrl: proxy.url });
  // Time spent inside successful push requests after the reconnect (the cloud's share of the figure).
  let pushMs = 0;
  let measuring = false;
  const api = {
    ...plain,
    push: async (...args: Parameters<typeof plain.push>) => {
      const started = performance.now();
      const result = await plain.push(...args);
      if (measuring) pushMs += performance.now() - started;
      return result;
    },
  };
  const session = new SessionService({ cloud: api, vault: createMemoryVault(), clock: systemClock, deviceName: 'bench' });
  const store = cacheSyncStore(cache);
  let status: SyncStatus | undefined;
  const waiters = new Set<() => void>();
  const sync = new SyncEngine({
    store: mode === 'before' ? { ...store, makeAllDue: () => 0 } : store,
    cloud: api,
    session,
    clock: systemClock,
    onStatus: (s) => {
      status = s;
      for (const wake of [...waiters]) wake();
    },
  });
  const until = (predicate: (s: SyncStatus) => boolean) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; last ${JSON.stringify(status)}`)), TIMEOUT_MS);
      const check = () => {
        if (status && predicate(status)) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        }
      };
      waiters.add(check);
      check();
    });
  try {
    const user = await session.signIn(DEMO_USERS.receptionist.email, DEMO_PASSWORD);
    cache.session.setUser(user, { cloud: new URL(proxy.url).origin });
    sync.start();
    await until((s) => s.state === 'online' && s.lastSyncedAt !== null);

    await proxy.cut();
    for (let i = 0; i < ITEMS; i++) {
      cache.outbox.enqueue({ type: 'contact.create', idempotencyKey: `bench-${mode}-${round}-${String(i).padStart(4, '0')}`, payload: { name: `Bench ${round} ${i}` } });
      sync.kick();
      await sleep((outageS * 1000) / (2 * ITEMS)); // the changes arrive during the first half of the outage
    }
    await sleep((outageS * 1000) / 2);
    if (status?.pending !== ITEMS) throw new Error(`expected ${ITEMS} waiting, status ${JSON.stringify(status)}`);

    await proxy.restore();
    const reconnectedAt = performance.now();
    measuring = true;
    if (mode === 'after') sync.connectionRestored(); // what the realtime socket's reconnect does
    await until((s) => s.state === 'online' && s.pending === 0);
    return { totalMs: performance.now() - reconnectedAt, pushMs };
  } finally {
    sync.stop();
    cache.close();
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`reconnect → "Saved" for ${ITEMS} changes made offline (cpus ${cpus().length}, load ${loadavg()[0]!.toFixed(2)})`);
  const cloud = await startCloud({ config: sandboxConfig({ dataDir: 'memory://', logLevel: 'silent', argon2: { memoryCost: 1024, timeCost: 1 } }), seed: true });
  const rows: string[] = [];
  try {
    let round = 0;
    for (const outageS of OUTAGES_S) {
      const figures: Record<string, { totalMs: number; pushMs: number }> = {};
      for (const mode of ['before', 'after'] as const) {
        const figure = await run(mode, outageS, cloud.port, round++);
        figures[mode] = figure;
        console.log(`  outage ${outageS} s, ${mode}: ${(figure.totalMs / 1000).toFixed(2)} s (of which in push requests: ${(figure.pushMs / 1000).toFixed(2)} s; load ${loadavg()[0]!.toFixed(2)})`);
      }
      const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
      rows.push(`| ${outageS} s | ${s(figures.before!.totalMs)} | ${s(figures.after!.totalMs)} | ${s(figures.after!.pushMs)} | ${figures.after!.totalMs <= 2_000 ? 'yes' : 'NO'} |`);
    }
  } finally {
    await cloud.stop();
  }
  console.log(['', '| outage | before | after | after: in push requests | after ≤ 2 s |', '| --- | --- | --- | --- | --- |', ...rows].join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
