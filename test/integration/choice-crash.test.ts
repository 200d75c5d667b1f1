import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache } from '../../src/main/cache';
import { ChoiceLog, choiceLogFileFor } from '../../src/main/cache/choice-log';
import { seedPage, tempDir } from '../support/cache-fixtures';
import { choiceFor } from '../support/choice-crash-plan';

/**
 * kill -9 at a wrap-up choice's most fragile moment: its record in the choice log is synced (the
 * choice is durable, choose() would return next) and the cache has not committed it. At the next
 * open every choice that had reached its durable point is on its wrap-up, the last one included,
 * and the log is empty again. Bundled like cache-crash.test.ts's child (esbuild, plain JS).
 */
const CHILD_SOURCE = fileURLToPath(new URL('../support/choice-crash-child.ts', import.meta.url));
const CHILD = fileURLToPath(new URL(`../../.tmp/choice-crash/child-${process.pid}.mjs`, import.meta.url));

function runChild(file: string, crashAt: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, file], { env: { ...process.env, CRASH_AT: String(crashAt) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended by itself (code ${code}):\n${err}`));
      else resolve(out.split('\n').filter((line) => line.startsWith('chose ')).length);
    });
  });
}

describe('a wrap-up choice under kill -9 between its durable point and its commit', () => {
  const tmp = tempDir('choice-crash-');
  beforeAll(async () => {
    await build({ entryPoints: [CHILD_SOURCE], outfile: CHILD, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' });
  });
  afterAll(() => {
    tmp.cleanup();
    rmSync(CHILD, { force: true });
  });

  it.each([1, 2, 7, 40])('choice %i of a run is on its wrap-up at the next open, as is every choice before it', async (crashAt) => {
    const seeded = openCache({ file: tmp.file });
    seeded.clearUserData();
    seeded.applyPull(seedPage(10 + crashAt));
    for (const sid of ['CA0', 'CA1', 'CA2']) seeded.wrapups.upsert({ twilioCallSid: sid, endedAt: '2025-03-01T10:03:00Z' });
    seeded.close();

    const returned = await runChild(tmp.file, crashAt);
    expect(returned).toBe(crashAt - 1); // the killed choice never returned

    const cache = openCache({ file: tmp.file });
    try {
      for (const sid of ['CA0', 'CA1', 'CA2']) {
        const last = [...Array.from({ length: crashAt }, (_, k) => choiceFor(k + 1))].reverse().find((c) => c.sid === sid);
        const wrapup = cache.wrapups.get(sid);
        if (last) expect({ dispositionId: wrapup?.dispositionId, note: wrapup?.note }, sid).toEqual({ dispositionId: last.dispositionId, note: last.note });
        else expect(wrapup, sid).toMatchObject({ dispositionId: null, note: null, state: 'pending' });
      }
    } finally {
      cache.close();
    }
    const { log, logged } = ChoiceLog.open(choiceLogFileFor(tmp.file));
    log.close();
    expect(logged).toEqual([]);
  });
});
