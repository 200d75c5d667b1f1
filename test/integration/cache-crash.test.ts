import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mutation } from '../../src/shared/cloud';
import { openCache } from '../../src/main/cache';
import { journalFileFor } from '../../src/main/cache/cache';
import { openOutboxJournal } from '../../src/main/cache/outbox-journal';
import { tempDir } from '../support/cache-fixtures';

/**
 * kill -9 at random points of a process writing the outbox (plain enqueues and
 * setDispositionLocally, which also writes the call row): after reopening, every write that had
 * returned is there exactly once, call rows agree with the outbox, and the file is intact. Some runs
 * die between a write's two steps (the cache's commit + WAL sync, then the outbox journal's
 * append): that write is in the cache once, and the journal never holds a row the cache lacks.
 */
const CHILD_SOURCE = fileURLToPath(new URL('../support/cache-crash-child.ts', import.meta.url));
// Bundled once to plain JS (esbuild comes with tsx): a child then starts in ~0.1 s instead of ~1 s under tsx,
// which is what lets ≥ 50 kills fit in the time box on a busy 2-core machine. Written under the repo's
// .tmp/ so the bundle's bare imports (better-sqlite3, zod) resolve from node_modules.
const CHILD = fileURLToPath(new URL(`../../.tmp/cache-crash/child-${process.pid}.mjs`, import.meta.url));
const MIN_KILLS = 50;
// A count, not a time box: on a loaded machine the kills just take longer (the test's timeout is generous).
const KILL_TEST_TIMEOUT_MS = 600_000;

interface RunResult {
  acked: Mutation[];
  replayed: string | null;
}

/** `between` > 0: the child kills itself inside that write, between the commit and the journal append. */
function runChild(file: string, run: number, killAfterAcks: number, replay: Mutation | null, between = 0): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, file, String(run)], {
      env: { ...process.env, CRASH_REPLAY: replay ? JSON.stringify(replay) : '', CRASH_BETWEEN_AT: String(between) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result: RunResult = { acked: [], replayed: null };
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const kill = () => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('ack ')) {
        result.acked.push(JSON.parse(line.slice(4)) as Mutation);
        if (result.acked.length >= killAfterAcks) kill();
      } else if (line.startsWith('replayed ')) {
        result.replayed = line.split(' ')[1] ?? null;
      } else if (line === 'ready' && killAfterAcks === 0) {
        kill();
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL' && (killed || between > 0)) resolve(result);
      else reject(new Error(`child ended by itself (code ${code}, signal ${signal}):\n${stderr}`));
    });
  });
}

describe('cache outbox under kill -9', () => {
  const tmp = tempDir('cache-crash-');
  beforeAll(async () => {
    await build({ entryPoints: [CHILD_SOURCE], outfile: CHILD, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' });
  });
  afterAll(() => {
    tmp.cleanup();
    rmSync(CHILD, { force: true });
  });

  it(`keeps every returned write exactly once across ≥ ${MIN_KILLS} kills`, async () => {
    const started = Date.now();
    const acked = new Map<string, Mutation>();
    let last: Mutation | null = null;
    let kills = 0;
    let betweenKills = 0;
    while (kills < MIN_KILLS || Date.now() - started < 5_000) {
      // Mostly mid-loop; sometimes right after opening (the replay path); sometimes deep in a run.
      const roll = Math.random();
      const killAfter = roll < 0.1 ? 0 : roll < 0.9 ? 1 + Math.floor(Math.random() * 40) : 100 + Math.floor(Math.random() * 300);
      // Every fourth run dies between a write's commit and its journal append instead (from its second write on: the first is the replay).
      const between = kills % 4 === 3 ? 2 + Math.floor(Math.random() * 40) : 0;
      const result = await runChild(tmp.file, kills, between ? Number.MAX_SAFE_INTEGER : killAfter, last, between);
      if (last) expect(result.replayed).toBe(last.idempotencyKey);
      if (between) betweenKills++;
      for (const m of result.acked) acked.set(m.idempotencyKey, m);
      last = result.acked[result.acked.length - 1] ?? last;
      kills++;
    }
    expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);

    const raw = new Database(tmp.file);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = raw.prepare('SELECT idempotency_key AS key, type, payload FROM outbox ORDER BY seq').all() as {
      key: string;
      type: string;
      payload: string;
    }[];
    raw.close();

    const stored = new Map(rows.map((r) => [r.key, r]));
    expect(stored.size).toBe(rows.length); // one row per key
    // The journal is written after the cache: it never holds a change the cache does not.
    const journaled = openOutboxJournal(journalFileFor(tmp.file)).live().map((entry) => entry.key);
    for (const key of journaled) expect(stored.has(key), `journal-only ${key}`).toBe(true);
    for (const [key, mutation] of acked) {
      const row = stored.get(key);
      expect(row, `acknowledged ${key} is missing`).toBeDefined();
      expect(row?.type).toBe(mutation.type);
      expect(JSON.parse(row!.payload)).toEqual(mutation.payload);
    }
    // At most one committed-but-unacknowledged write per killed run (killed between commit and print).
    expect(rows.length).toBeLessThanOrEqual(acked.size + kills);

    // Call rows agree with the outbox: each call shows the last pending change queued for it.
    const cache = openCache({ file: tmp.file });
    const expected = new Map<string, { dispositionId: string | null; note: string | null }>();
    for (const row of rows) {
      const payload = JSON.parse(row.payload) as { callId: string; dispositionId?: string; note?: string };
      const current = expected.get(payload.callId) ?? { dispositionId: null, note: null };
      if (row.type === 'call.setDisposition') current.dispositionId = payload.dispositionId ?? null;
      current.note = payload.note ?? null;
      expected.set(payload.callId, current);
    }
    for (const [callId, value] of expected) {
      const item = cache.calls.get(callId);
      expect({ dispositionId: item?.call.dispositionId, note: item?.call.note }, callId).toEqual(value);
    }
    expect(cache.outbox.pendingCount()).toBe(rows.length);
    // Reopened: the journal again holds exactly the outbox, each change once.
    expect(openOutboxJournal(journalFileFor(tmp.file)).live().map((entry) => entry.key).sort()).toEqual([...stored.keys()].sort());
    cache.close();
    console.log(`cache-crash: ${kills} kills (${betweenKills} between commit and journal), ${acked.size} acknowledged writes, ${rows.length} stored, ${Date.now() - started} ms`);
  }, KILL_TEST_TIMEOUT_MS);
});
