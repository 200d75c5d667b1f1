#!/usr/bin/env node
// `npm test`: every tier, in order, with one summary at the end.
//   system packages → typecheck → lint → layering → build (with test hooks) → unit + integration (vitest, inside a
//   private keychain session) → E2E in Chromium via the browser host (+ Electron when its binary exists).
// Ends with "summary: N passed, N failed" counting individual tests, and a non-zero exit on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinaryStatus } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = join(root, '.tmp');
mkdirSync(tmp, { recursive: true });
const bin = (name) => join(root, 'node_modules/.bin', name);

const steps = [];
let passed = 0;
let failed = 0;
let skipped = 0;

function run(name, command, args, options = {}) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1', ...options.env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  steps.push({ name, ok, seconds, note: options.note });
  return ok;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

const systemOk = run('system packages', 'bash', [join(root, 'scripts/system-deps.sh')]);
// keytar is optional: `npm install` skips it where libsecret's headers were missing. The keychain
// tests need it, and the step above has just installed those headers: build it now.
if (systemOk && !existsSync(join(root, 'node_modules/keytar/build/Release/keytar.node'))) {
  run('keytar (optional dependency, built now that libsecret is here)', 'npm', ['install', '--no-audit', '--no-fund']);
}
const checksOk = [
  run('typecheck', 'npm', ['run', '--silent', 'typecheck']),
  run('lint', bin('eslint'), ['--max-warnings', '0', '.']),
  run('layering', bin('depcruise'), ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err']),
];
for (const ok of checksOk) {
  if (ok) passed++;
  else failed++;
}
if (!systemOk) failed++;

// The E2E suite drives the app through the contract's test.* hooks: a test build keeps them (the
// production bundles compile them out; test/integration/production-build.test.ts checks those).
const buildOk = run('build (electron-vite, test hooks in)', bin('electron-vite'), ['build', '--mode', 'test', '--logLevel', 'warn']);
if (buildOk) passed++;
else failed++;

// Unit + integration in one vitest run; the keychain tests need a D-Bus session with gnome-keyring.
const vitestJson = join(tmp, 'vitest-results.json');
rmSync(vitestJson, { force: true });
run('unit + integration (vitest)', join(root, 'scripts/with-keyring.sh'), [
  bin('vitest'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`,
]);
const vitest = readJson(vitestJson);
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests + (vitest.numFailedTestSuites > 0 && vitest.numFailedTests === 0 ? vitest.numFailedTestSuites : 0);
  skipped += vitest.numPendingTests + vitest.numTodoTests;
} else {
  failed++;
}

function e2e(label, target) {
  const json = join(tmp, `playwright-${target}.json`);
  rmSync(json, { force: true });
  const wrap = target === 'electron' && !process.env.DISPLAY ? ['xvfb-run', ['-a', bin('playwright')]] : [bin('playwright'), []];
  run(label, wrap[0], [...wrap[1], 'test', '-c', 'test/e2e/playwright.config.ts', '--reporter=list,json'], {
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: json, E2E_TARGET: target },
  });
  const report = readJson(json);
  if (!report) return failed++;
  passed += report.stats.expected + report.stats.flaky;
  failed += report.stats.unexpected;
  skipped += report.stats.skipped;
}

if (buildOk) {
  e2e('E2E: browser host in Chromium (Playwright)', 'browser');
  const electron = electronBinaryStatus(root);
  if (electron.available) e2e('E2E: Electron app (Playwright _electron)', 'electron');
  else steps.push({ name: 'E2E: Electron app', ok: true, seconds: '0.0', note: `skipped: ${electron.reason}` });
} else {
  failed++;
  steps.push({ name: 'E2E', ok: false, seconds: '0.0', note: 'not run: the build failed' });
}

console.log('\n──────── npm test ────────');
for (const step of steps) {
  console.log(`${step.ok ? '✔' : '✘'} ${step.name.padEnd(46)} ${step.seconds.padStart(6)} s${step.note ? `  (${step.note})` : ''}`);
}
console.log(`\nsummary: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && steps.every((s) => s.ok) ? 0 : 1);
