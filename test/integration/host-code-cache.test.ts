import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnBrowserHost, type BrowserHostProcess } from '../support/browser-host-process';

const root = resolve(import.meta.dirname, '../..');
const hostFile = join(root, 'out/main/browser-host.js');
/** Node 22.1+ keeps its own compile cache, and the host then uses it instead (compile-cache.ts). */
const nodeHasItsOwn = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const COUNTS = /code cache: (\d+) of (\d+) files from it, (\d+) written/;

let dir = '';
let host: BrowserHostProcess | undefined;
afterEach(async () => {
  await stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function stop(): Promise<void> {
  const child = host?.child;
  host = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGINT');
  await exited;
}

/** Starts the built host on `dir` and returns its code cache's counts, printed once it serves. */
async function startAndCount(): Promise<{ fromCache: number; files: number; written: number }> {
  host = await spawnBrowserHost([hostFile], { ...process.env, NODE_ENV: 'test', AESTHETIX_USER_DATA_DIR: dir, AESTHETIX_STARTUP_TRACE: '1' });
  const started = host;
  const deadline = Date.now() + 30_000;
  let match: RegExpExecArray | null = null;
  while (!(match = COUNTS.exec(started.output())) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(match, started.output()).not.toBeNull();
  // The host works from what it compiled: its embedded cloud answers.
  const health = await fetch(`${started.embedded!.cloudUrl}/healthz`);
  expect(health.status).toBe(200);
  return { fromCache: Number(match![1]), files: Number(match![2]), written: Number(match![3]) };
}

/**
 * The browser host on Node 20 compiles its own files from V8's code cache after the first start
 * (src/main/hosts/code-cache.ts): a second start of the built host on the same user-data folder takes
 * every one of them from it, and serves. Unit tests load files twice in one process, where V8's own
 * in-memory cache can hide what a new process sees; this starts two.
 */
describe.skipIf(!existsSync(hostFile) || nodeHasItsOwn)('the built browser host’s code cache', () => {
  it('is written by the first start and used by the next', async () => {
    dir = mkdtempSync(join(tmpdir(), 'host-code-cache-'));
    const first = await startAndCount();
    expect(first.fromCache).toBe(0);
    expect(first.written).toBe(first.files);
    expect(first.files).toBeGreaterThan(5);
    await stop();

    const second = await startAndCount();
    expect(second).toEqual({ fromCache: first.files, files: first.files, written: 0 });
  }, 240_000);
});
