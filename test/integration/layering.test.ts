import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name: string) => join(repo, 'node_modules/.bin', name);

/**
 * Feeds the layering check a tree with one violating file per rule and expects each rule to fire
 * on exactly its file; a clean twin of the tree passes. Proves the check can fail.
 */
const VIOLATIONS: Array<{ rule: string; file: string; source: string }> = [
  { rule: 'shared-is-runtime-neutral', file: 'src/shared/uses-electron.ts', source: "import { app } from 'electron';\nexport const x = app;" },
  { rule: 'shared-no-node-builtins', file: 'src/shared/uses-fs.ts', source: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;" },
  { rule: 'renderer-not-to-main-cloud-sandbox', file: 'src/renderer/uses-main.ts', source: "import { y } from '../main/thing';\nexport const x = y;" },
  { rule: 'main-not-to-renderer', file: 'src/main/uses-renderer.ts', source: "import { z } from '../renderer/widget';\nexport const x = z;" },
  { rule: 'cloud-sandbox-no-electron', file: 'src/cloud/uses-electron.ts', source: "import { app } from 'electron';\nexport const x = app;" },
  { rule: 'cloud-sandbox-no-electron', file: 'src/sandbox/uses-electron.ts', source: "import { app } from 'electron';\nexport const x = app;" },
  { rule: 'cloud-sandbox-only-via-embedded', file: 'src/main/sync/uses-cloud.ts', source: "import { c } from '../../cloud/thing';\nexport const x = c;" },
  { rule: 'cloud-sandbox-only-via-embedded', file: 'src/main/hosts/browser/uses-sandbox.ts', source: "import { s } from '../../../sandbox/thing';\nexport const x = s;" },
  { rule: 'no-testing-in-production', file: 'src/main/sync/uses-fake.ts', source: "import { fake } from '../testing/fake';\nexport const x = fake;" },
  { rule: 'no-testing-in-production', file: 'src/sandbox/rest/uses-driver.ts', source: "import { driver } from '../testing/driver';\nexport const x = driver;" },
  { rule: 'no-playwright-in-shipped-code', file: 'src/renderer/lib/pw-wrapper.ts', source: "import { chromium } from 'playwright-core';\nexport const browser = chromium;" },
  { rule: 'no-playwright-in-shipped-code', file: 'src/renderer/lib/uses-wrapper.ts', source: "import { browser } from './pw-wrapper';\nexport const x = browser;" },
  { rule: 'no-playwright-in-shipped-code', file: 'src/sandbox/rest/uses-driver.ts', source: '' },
  { rule: 'renderer-features-independent', file: 'src/renderer/features/history/uses-phone.ts', source: "import { store } from '../phone/store';\nexport const x = store;" },
  { rule: 'voice-below-the-ui', file: 'src/renderer/voice/uses-app.ts', source: "import { shell } from '../app/shell';\nexport const x = shell;" },
  { rule: 'voice-below-the-ui', file: 'src/renderer/voice/uses-feature.ts', source: "import { store } from '../features/phone/store';\nexport const x = store;" },
  { rule: 'twilio-sdk-only-in-voice', file: 'src/renderer/dialer/uses-sdk.ts', source: "import { Device } from '@twilio/voice-sdk';\nexport const x = Device;" },
  { rule: 'electron-only-in-adapters', file: 'src/main/phone/uses-electron.ts', source: "import { app } from 'electron';\nexport const x = app;" },
  { rule: 'electron-only-in-adapters', file: 'src/main/hosts/browser/uses-electron.ts', source: "import { app } from 'electron';\nexport const x = app;" },
];

const CLEAN: Array<{ file: string; source: string }> = [
  { file: 'src/main/thing.ts', source: 'export const y = 1;' },
  { file: 'src/renderer/widget.ts', source: 'export const z = 2;' },
  { file: 'src/renderer/voice/engine.ts', source: "import { Device } from '@twilio/voice-sdk';\nexport const d = Device;" },
  { file: 'src/main/os/electron/tray.ts', source: "import { Tray } from 'electron';\nexport const t = Tray;" },
  { file: 'src/main/hosts/electron/main.ts', source: "import { app } from 'electron';\nimport { t } from '../../os/electron/tray';\nexport const a = [app, t];" },
  { file: 'src/cloud/thing.ts', source: 'export const c = 3;' },
  { file: 'src/sandbox/thing.ts', source: 'export const s = 4;' },
  { file: 'src/main/embedded/stack.ts', source: "import { c } from '../../cloud/thing';\nimport { s } from '../../sandbox/thing';\nexport const both = [c, s];" },
  { file: 'src/main/testing/fake.ts', source: 'export const fake = 5;' },
  { file: 'src/main/sync/engine.test.ts', source: "import { fake } from '../testing/fake';\nexport const t = fake;" },
  { file: 'src/sandbox/testing/driver.ts', source: "import { chromium } from 'playwright-core';\nexport const driver = chromium;" },
  { file: 'src/sandbox/testing/uses-driver.ts', source: "import { driver } from './driver';\nexport const d = driver;" },
  { file: 'src/renderer/features/phone/store.ts', source: 'export const store = 6;' },
  { file: 'src/renderer/features/phone/view.ts', source: "import { store } from './store';\nexport const v = store;" },
  { file: 'src/renderer/app/shell.ts', source: "import { store } from '../features/phone/store';\nexport const shell = store;" },
  { file: 'src/shared/pure.ts', source: 'export const pure = (n: number) => n + 1;' },
];

async function makeTree(files: Array<{ file: string; source: string }>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'layering-'));
  await symlink(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await copyFile(join(repo, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  await copyFile(join(repo, 'tsconfig.base.json'), join(dir, 'tsconfig.base.json'));
  await copyFile(join(repo, 'tsconfig.shared.json'), join(dir, 'tsconfig.shared.json'));
  await writeFile(join(dir, 'tsconfig.node.json'), JSON.stringify({ extends: './tsconfig.base.json', include: ['src'] }));
  for (const { file, source } of files) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), source);
  }
  return dir;
}

interface CruiseResult {
  summary: { violations: Array<{ from: string; to: string; rule: { name: string } }> };
}

async function cruise(dir: string): Promise<{ result: CruiseResult }> {
  const { stdout } = await run(bin('depcruise'), ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: dir, maxBuffer: 32 << 20 });
  return { result: JSON.parse(stdout) };
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('layering check', () => {
  let cleanDir: string;
  let dirtyDir: string;
  beforeAll(async () => {
    cleanDir = await makeTree(CLEAN);
    // An entry with no source names a second rule the file above it breaks.
    dirtyDir = await makeTree([...CLEAN, ...VIOLATIONS.filter((v) => v.source !== '')]);
    dirs.push(cleanDir, dirtyDir);
  });

  it('passes a tree that keeps the layers', async () => {
    const { result } = await cruise(cleanDir);
    expect(result.summary.violations).toEqual([]);
  });

  it('fails, naming each broken rule at its file', async () => {
    const { result } = await cruise(dirtyDir);
    const found = result.summary.violations.map((v) => `${v.rule.name} @ ${v.from}`);
    for (const violation of VIOLATIONS) {
      expect(found).toContain(`${violation.rule} @ ${violation.file}`);
    }
  });

  it('exits non-zero on a violation, as npm test needs', async () => {
    const outcome = await run(bin('depcruise'), ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: dirtyDir }).then(
      () => 0,
      (error: { code: number }) => error.code,
    );
    expect(outcome).not.toBe(0);
  });

  it('fails when src/shared uses the DOM or Node globals (type-level check)', async () => {
    const dir = await makeTree([
      { file: 'src/shared/uses-dom.ts', source: 'export const title = () => document.title;' },
      { file: 'src/shared/uses-process.ts', source: 'export const env = () => process.env.HOME;' },
    ]);
    dirs.push(dir);
    const outcome = await run(bin('tsc'), ['-p', 'tsconfig.shared.json', '--noEmit', '--composite', 'false', '--emitDeclarationOnly', 'false'], { cwd: dir }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(outcome.code).not.toBe(0);
    expect(outcome.stdout).toMatch(/uses-dom\.ts.*Cannot find name 'document'/);
    expect(outcome.stdout).toMatch(/uses-process\.ts.*Cannot find name 'process'/);
  });

  it('the real source tree keeps the layers', async () => {
    const { stdout } = await run(bin('depcruise'), ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: repo });
    expect(stdout).toMatch(/no dependency violations/);
  });
});
