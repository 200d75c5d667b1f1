#!/usr/bin/env node
// `npm test`: every tier, with one summary at the end. The E2E suite runs beside the vitest tiers.
//   system packages → typecheck → lint → layering → build (with test hooks) → unit + integration (vitest, inside a
//   private keychain session) → E2E in Chromium via the browser host (+ Electron when its binary exists).
// Ends with "summary: N passed, N failed" counting individual tests, and a non-zero exit on any failure.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { fileURLToPath } from 'node:url';
import { electronBinaryStatus } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = join(root, '.tmp');
mkdirSync(tmp, { recursive: true });
const bin = (name) => join(root, 'node_modules/.bin', name);

const steps = [];
let passed = 0;
let failed = 0;
/** One line per failed test (plus its first error line), printed at the very end. */
const failedTests = [];
const flakyTests = [];
const firstLine = (text) => stripVTControlCharacters(String(text ?? '')).trim().split('\n')[0].slice(0, 300);
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

/**
 * Like `run`, without blocking: the vitest tiers and the E2E suite run side by side (most of both is
 * waiting on timers, sockets and child processes, not CPU). With `log`, the output goes to that file
 * and is printed whole once the step ends, so the two never interleave in the CI log.
 */
function runAsync(name, command, args, options = {}) {
  const started = Date.now();
  console.log(`\n▶ ${name}${options.log ? ' (in parallel; its output follows when it ends)' : ''}`);
  return new Promise((resolveRun) => {
    const out = options.log ? createWriteStream(options.log) : null;
    const child = spawn(command, args, {
      cwd: root,
      stdio: out ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1', ...options.env },
    });
    if (out) {
      child.stdout.pipe(out, { end: false });
      child.stderr.pipe(out, { end: false });
    }
    child.on('close', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const finish = () => {
        if (options.log) {
          console.log(`\n▼ ${name} (${seconds} s)\n${readFileSync(options.log, 'utf8')}`);
        }
        steps.push({ name, ok: code === 0, seconds, note: options.note });
        resolveRun(code === 0);
      };
      if (out) out.end(finish);
      else finish();
    });
  });
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

// Three vitest runs side by side: the unit tiers (unit-node, unit-renderer, cloud, sandbox) spread over
// every core, the integration tier one file at a time (it shares ports and system services), and the
// kill -9 fault tests. One run
// with every project would apply the integration project's `fileParallelism: false` to all of them.
// Each runs inside its own private keychain session (the keychain tests need D-Bus + gnome-keyring).
const VITEST_TIERS = [
  { name: 'unit: node, renderer, cloud, sandbox (vitest)', projects: ['unit-node', 'unit-renderer', 'cloud', 'sandbox'], json: 'vitest-unit.json' },
  { name: 'integration (vitest, one file at a time)', projects: ['integration'], json: 'vitest-integration.json' },
  // Two files of hundreds of kill -9 restarts (~10 min on a busy CI machine): beside the integration
  // tier, not at its end, so the last minutes of the run use both cores.
  { name: 'fault: kill -9 crash tests (vitest)', projects: ['fault'], json: 'vitest-fault.json' },
];

async function vitestTier({ name, projects, json }) {
  const jsonPath = join(tmp, json);
  const log = join(tmp, json.replace(/\.json$/, '.log'));
  rmSync(jsonPath, { force: true });
  await runAsync(name, join(root, 'scripts/with-keyring.sh'), [
    bin('vitest'), 'run', ...projects.flatMap((p) => ['--project', p]), '--reporter=default', '--reporter=json', `--outputFile.json=${jsonPath}`,
    // On CI a failed test runs once more, like the E2E suite's; a pass on the retry is named as flaky below.
    ...(process.env.CI ? ['--retry=1'] : []),
  ], { log });
  const vitest = readJson(jsonPath);
  if (!vitest) {
    failed++;
    failedTests.push(`vitest  ${name}: no report (the run did not finish; its log is above)`);
    return;
  }
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests + (vitest.numFailedTestSuites > 0 && vitest.numFailedTests === 0 ? vitest.numFailedTestSuites : 0);
  skipped += vitest.numPendingTests + vitest.numTodoTests;
  for (const file of vitest.testResults ?? []) {
    const failures = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failures) failedTests.push(`vitest  ${relative(root, file.name)} › ${t.fullName}\n        ${firstLine(t.failureMessages?.[0])}`);
    // A test that passed with an error recorded failed an earlier attempt and passed on its retry.
    for (const t of (file.assertionResults ?? []).filter((r) => r.status === 'passed' && r.failureMessages?.length > 0)) {
      flakyTests.push(`vitest  ${relative(root, file.name)} › ${t.fullName}\n        ${firstLine(t.failureMessages[0])}`);
    }
    if (failures.length === 0 && file.status === 'failed') failedTests.push(`vitest  ${relative(root, file.name)}\n        ${firstLine(file.message)}`);
  }
  // An error thrown outside any test (an unhandled rejection after a test ended) fails the run
  // without failing a test: count each one, and name the files vitest blames.
  for (const error of unhandledErrors(log)) {
    failed++;
    failedTests.push(`vitest  ${error}`);
  }
}

/** "unhandled <first line> (from <file>)" for each error vitest printed outside a test. */
function unhandledErrors(logPath) {
  if (!existsSync(logPath)) return [];
  const text = stripVTControlCharacters(readFileSync(logPath, 'utf8'));
  const blocks = text.split(/⎯+ Unhandled (?:Rejection|Error) ⎯+/).slice(1);
  return blocks.map((block) => {
    const origin = /originated in "([^"]+)"/.exec(block)?.[1];
    return `unhandled ${firstLine(block.trim())}${origin ? ` (from ${origin})` : ''}`;
  });
}
const vitestRuns = VITEST_TIERS.map(vitestTier);

async function e2e(label, target) {
  const json = join(tmp, `playwright-${target}.json`);
  rmSync(json, { force: true });
  const wrap = target === 'electron' && !process.env.DISPLAY ? ['xvfb-run', ['-a', bin('playwright')]] : [bin('playwright'), []];
  await runAsync(label, wrap[0], [...wrap[1], 'test', '-c', 'test/e2e/playwright.config.ts', '--reporter=list,json'], {
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: json, E2E_TARGET: target },
    log: join(tmp, `e2e-${target}.log`),
  });
  const report = readJson(json);
  if (!report) return failed++;
  passed += report.stats.expected + report.stats.flaky;
  for (const failure of playwrightFailures(report)) failedTests.push(`${target === 'electron' ? 'E2E(electron)' : 'E2E'}  ${failure}`);
  for (const flake of playwrightFailures(report, 'flaky')) flakyTests.push(`${target === 'electron' ? 'E2E(electron)' : 'E2E'}  ${flake}`);
  failed += report.stats.unexpected;
  skipped += report.stats.skipped;
}

/** Each Playwright result of `status` (unexpected: failed; flaky: failed, then passed on its retry) as "file › title" and the first line of its error. */
function playwrightFailures(report, status = 'unexpected') {
  const out = [];
  const walk = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== status) continue;
        const error = test.results?.find((r) => r.error)?.error;
        const at = error?.location ? ` (line ${error.location.line})` : '';
        out.push(`${spec.file} › ${[...titles, spec.title].join(' › ')}\n        ${firstLine(error?.message)}${at}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...titles, child.title]);
  };
  for (const fileSuite of report.suites ?? []) walk(fileSuite, []);
  return out;
}

async function e2eSuites() {
  if (!buildOk) {
    failed++;
    steps.push({ name: 'E2E', ok: false, seconds: '0.0', note: 'not run: the build failed' });
    return;
  }
  await e2e('E2E: browser host in Chromium (Playwright)', 'browser');
  const electron = electronBinaryStatus(root);
  if (electron.available) await e2e('E2E: Electron app (Playwright _electron)', 'electron');
  else steps.push({ name: 'E2E: Electron app', ok: true, seconds: '0.0', note: `skipped: ${electron.reason}` });
}

await Promise.all([...vitestRuns, e2eSuites()]);

console.log('\n──────── npm test ────────');
for (const step of steps) {
  console.log(`${step.ok ? '✔' : '✘'} ${step.name.padEnd(46)} ${step.seconds.padStart(6)} s${step.note ? `  (${step.note})` : ''}`);
}
if (flakyTests.length > 0) {
  console.log('\n──────── flaky: failed once, passed on the retry (to be fixed) ────────');
  for (const flake of flakyTests) console.log(flake);
}
if (failedTests.length > 0) {
  // Printed last so a CI log that keeps only the tail still names every failure.
  console.log('\n──────── failed tests ────────');
  for (const failure of failedTests) console.log(failure);
}
console.log(`\nsummary: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${flakyTests.length ? `, ${flakyTests.length} flaky (counted as passed, named above)` : ''}`);
process.exit(failed === 0 && steps.every((s) => s.ok) ? 0 : 1);
