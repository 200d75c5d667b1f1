/**
 * Issue #21: cold start of the browser host to "Ready for calls" (aim ≤ 1.5 s). Prints figures;
 * not a test. Run: npm run build:e2e && npx tsx test/bench/cold-start.bench.ts   (ROUNDS=6: 5 everyday starts)
 *
 * Chromium is started first (it is not the host's start). Each round starts `node
 * out/main/browser-host.js` on the same user-data folder — the first round seeds the embedded
 * practice (first run ever), later rounds are the everyday start: the process from nothing, the
 * embedded cloud (PGlite) and Twilio sandbox, the session resumed — and opens the page as soon as
 * the host names its URL. Figures: spawn → host serving (URL published), spawn → "Ready for calls"
 * painted in the page, and the host's own phase times (it prints them with AESTHETIX_STARTUP_TRACE=1).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { spawnBrowserHost } from '../support/browser-host-process';
import { CHROMIUM_ARGS, chromiumExecutable } from '../support/chromium';

const ROUNDS = Number(process.env.ROUNDS ?? 6);
const root = resolve(import.meta.dirname, '../..');
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

async function main(): Promise<void> {
  console.log(`cold start of the browser host to "Ready for calls" — node ${process.version}, ${cpus().length} cores, load ${load()}`);
  const userDataDir = await mkdtemp(join(tmpdir(), 'cold-start-bench-'));
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
  const everyday: number[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const started = performance.now();
      const host = await spawnBrowserHost([join(root, 'out/main/browser-host.js')], {
        ...process.env,
        AESTHETIX_USER_DATA_DIR: userDataDir,
        AESTHETIX_STARTUP_TRACE: '1',
        NODE_ENV: 'test',
      });
      const serving = performance.now() - started;
      const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 900, height: 800 } });
      try {
        const page = await context.newPage();
        await page.goto(host.url);
        await page.getByTestId('phone-status').filter({ hasText: 'Ready for calls' }).waitFor({ timeout: 120_000 });
        const ready = performance.now() - started;
        if (round > 1) everyday.push(ready);
        // Each phase: wall ms since the process started, and the CPU ms it had used (all threads) by then.
        const phases = [...host.output().matchAll(/startup: (.+) at (\d+) ms, cpu (\d+) ms/g)].map((m) => `${m[1]} ${m[2]} (cpu ${m[3]})`).join(', ');
        console.log(
          `  round ${round}${round === 1 ? ' (first run: seeds the practice)' : ''}: serving ${(serving / 1000).toFixed(2)} s, ` +
            `"Ready for calls" ${(ready / 1000).toFixed(2)} s; load ${load()}${phases ? `\n    host phases: ${phases}` : ''}`,
        );
      } finally {
        await context.close();
        host.child.kill('SIGTERM');
        await new Promise((r) => host.child.once('exit', r));
      }
    }
  } finally {
    await browser.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
  if (everyday.length > 0) {
    const sorted = [...everyday].sort((a, b) => a - b);
    const at = (p: number) => (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! / 1000).toFixed(2);
    console.log(`\neveryday start → "Ready for calls" over ${sorted.length}: p50 ${at(50)} s, p95 ${at(95)} s, best ${(sorted[0]! / 1000).toFixed(2)} s (aim ≤ 1.5 s); load ${load()} on ${cpus().length} cores`);
  }
}

await main();
