// The embedded default on a damaged data folder: the start fails with an EmbeddedStartError the
// receptionist's words come from (hosts/start-failure.ts), nothing in the folder is touched, and
// the browser host prints those words and exits non-zero instead of hanging or printing a stack.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedStartError, startEmbeddedStack } from '../../src/main/embedded';
import { describeStartFailure } from '../../src/main/hosts/start-failure';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Every file under `dir` with a hash of its bytes: what "nothing was deleted or changed" compares. */
/**
 * Every file of the folder and its digest. The sandbox's TLS certificate cache is left out: the
 * sandbox starts beside the database (and may write that cache) before the damage is known; it is
 * not the practice's data, and every file that was there stays byte for byte the same.
 */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (relative(dir, path) !== 'sandbox-tls.json') files[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return files;
}

/** A PGlite folder whose files are mostly gone: PG_VERSION says a database is there, the rest is not. */
function damagedDataFolder(dataDir: string): void {
  mkdirSync(join(dataDir, 'base', '1'), { recursive: true });
  writeFileSync(join(dataDir, 'PG_VERSION'), '17\n');
  writeFileSync(join(dataDir, 'base', '1', '1259'), Buffer.alloc(8192, 0x5a));
  writeFileSync(join(dataDir, 'postgresql.conf'), '# kept as it was\n');
}

describe('the embedded default on a damaged data folder', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fails with the database stage and the folder named, and leaves every file as it was', async () => {
    dir = mkdtempSync(join(tmpdir(), 'embedded-damaged-'));
    const dataDir = join(dir, 'embedded');
    damagedDataFolder(dataDir);
    const before = snapshot(dataDir);

    const error = await startEmbeddedStack({ dataDir, log: () => undefined }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(EmbeddedStartError);
    expect(error).toMatchObject({ stage: 'database', dataDir });

    const failure = describeStartFailure(error, { logFile: join(dir, 'logs', 'startup-errors.log'), host: 'window' });
    expect(failure.title).toBe('The demo practice’s data folder is damaged');
    expect(failure.cause).toContain(dataDir);
    expect(failure.whatToDo.join('\n')).toMatch(/Nothing in the folder has been deleted/);
    expect(snapshot(dataDir)).toEqual(before);
  }, 120_000);

  it('the browser host prints what is wrong and what to do, writes the log, and exits 1', async () => {
    dir = mkdtempSync(join(tmpdir(), 'browser-host-damaged-'));
    const userData = join(dir, 'user-data');
    const dataDir = join(userData, 'embedded');
    damagedDataFolder(dataDir);
    const before = snapshot(dataDir);
    const rendererDir = join(dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>renderer</title>');

    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main/hosts/browser/entry.ts')], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', AESTHETIX_USER_DATA_DIR: userData, AESTHETIX_RENDERER_DIR: rendererDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(1);
    expect(stderr).toContain('Aesthetix Softphone could not start: The demo practice’s data folder is damaged.');
    expect(stderr).toContain(`The folder is ${dataDir}.`);
    expect(stderr).toContain('Nothing in the folder has been deleted.');
    expect(stderr).toContain(`The details are in ${join(userData, 'logs', 'startup-errors.log')}.`);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack on the terminal: it is in the log
    expect(stdout).not.toMatch(/is running/);
    expect(readFileSync(join(userData, 'logs', 'startup-errors.log'), 'utf8')).toMatch(/EmbeddedStartError[\s\S]*Caused by:/);
    expect(snapshot(dataDir)).toEqual(before);
  }, 240_000);
});
