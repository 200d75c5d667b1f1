import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain .mjs scripts, no type declarations
import { electronBinaryStatus } from '../../scripts/electron-binary.mjs';
// @ts-expect-error -- plain .mjs scripts, no type declarations
import { chromiumAppArgs, fallbackLine, findChromium } from '../../scripts/start-chromium.mjs';

const root = resolve(import.meta.dirname, '../..');
const built = existsSync(join(root, 'out/main/browser-host.js'));
const electronHere = (electronBinaryStatus(root) as { available: boolean }).available;

describe('findChromium', () => {
  const has = (...paths: string[]) => (path: string) => paths.includes(path);
  it('takes CHROMIUM_PATH first, and only if it exists', () => {
    expect(findChromium({ env: { CHROMIUM_PATH: '/opt/c/chrome', PATH: '/usr/bin' }, platform: 'linux', exists: has('/opt/c/chrome', '/usr/bin/chromium') })).toBe('/opt/c/chrome');
    expect(findChromium({ env: { CHROMIUM_PATH: '/nope', PATH: '/usr/bin' }, platform: 'linux', exists: has('/usr/bin/chromium') })).toBeUndefined();
  });
  it('looks for Chromium, then Chrome, on PATH, then in the usual install places', () => {
    expect(findChromium({ env: { PATH: '/a:/usr/bin' }, platform: 'linux', exists: has('/usr/bin/google-chrome', '/usr/bin/chromium') })).toBe('/usr/bin/chromium');
    expect(findChromium({ env: { PATH: '/a' }, platform: 'darwin', exists: has('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome') })).toBe(
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    );
    expect(findChromium({ env: { PATH: '/a:/b' }, platform: 'linux', exists: () => false })).toBeUndefined();
  });
  it('builds an app window on its own profile that never carries the URL', () => {
    const args: string[] = chromiumAppArgs({ startPage: 'file:///u/open-softphone.html', profileDir: '/u/chromium-app-profile', sandboxSpki: 'abc=' });
    expect(args.slice(0, 2)).toEqual(['--app=file:///u/open-softphone.html', '--user-data-dir=/u/chromium-app-profile']);
    expect(args).toContain('--ignore-certificate-errors-spki-list=abc=');
    expect(args).toContain('--autoplay-policy=no-user-gesture-required');
    expect(args.some((a) => a.includes('ignore-certificate-errors') && !a.includes('spki-list'))).toBe(false);
  });
});

/**
 * `npm start` with no Electron binary (its download fails at once: the mirror is a closed loopback
 * port, so nothing leaves the machine): it starts the browser host on the embedded default and
 * opens it in Chromium (here a stand-in that records its arguments), or says where the URL is.
 */
describe.skipIf(!built || electronHere)('npm start without Electron', () => {
  let launcher: ChildProcess | undefined;
  let dir = '';
  afterEach(async () => {
    if (launcher && launcher.exitCode === null && launcher.signalCode === null) {
      const exited = new Promise((done) => launcher!.once('exit', done));
      launcher.kill('SIGTERM');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function start(extraEnv: Record<string, string>) {
    dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
    let output = '';
    launcher = spawn(process.execPath, [join(root, 'scripts/start-electron.mjs')], {
      cwd: root,
      env: {
        ...process.env,
        AESTHETIX_NO_BUILD: '1',
        AESTHETIX_USER_DATA_DIR: join(dir, 'user-data'),
        ELECTRON_MIRROR: 'http://127.0.0.1:9/',
        electron_config_cache: join(dir, 'electron-cache'),
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launcher.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    launcher.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const waitFor = async (check: () => boolean, label: string) => {
      const started = Date.now();
      while (!check()) {
        if (launcher!.exitCode !== null) throw new Error(`the launcher exited (${launcher!.exitCode}) before ${label}:\n${output}`);
        if (Date.now() - started > 240_000) throw new Error(`timed out waiting for ${label}:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    return { output: () => output, waitFor, userData: join(dir, 'user-data') };
  }

  it('opens the app in a Chromium app window on its own profile, saying in one line why, and never shows the secret URL', async () => {
    const argsFile = join(tmpdir(), `fake-chromium-${process.pid}-${Date.now()}.args`);
    const fakeChromium = join(tmpdir(), `fake-chromium-${process.pid}-${Date.now()}.sh`);
    writeFileSync(fakeChromium, `#!/bin/sh\nprintf '%s\\n' "$@" > "${argsFile}.tmp" && mv "${argsFile}.tmp" "${argsFile}"\nexec sleep 600\n`);
    chmodSync(fakeChromium, 0o700);
    try {
      const run = start({ CHROMIUM_PATH: fakeChromium });
      await run.waitFor(() => existsSync(argsFile), 'Chromium to be started');
      const args = readFileSync(argsFile, 'utf8').trim().split('\n');
      const startPage = join(run.userData, 'open-softphone.html');
      expect(args[0]).toBe(`--app=file://${startPage}`);
      expect(args[1]).toBe(`--user-data-dir=${join(run.userData, 'chromium-app-profile')}`);
      // The embedded sandbox's certificate is trusted by its key, nothing else is.
      expect(args.find((a) => a.startsWith('--ignore-certificate-errors-spki-list='))).toMatch(/=[A-Za-z0-9+/]{43}=$/);

      const url = readFileSync(join(run.userData, 'browser-host-url'), 'utf8').trim();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#bridge=/);
      expect(args.join(' ')).not.toContain(url.split('#')[1]);
      expect(statSync(startPage).mode & 0o777).toBe(0o600);
      expect(readFileSync(startPage, 'utf8')).toContain(url);

      await run.waitFor(() => run.output().includes('Opened in'), 'the launcher to say where it opened');
      const lines = run.output().split('\n');
      expect(lines.filter((l) => l.startsWith('Electron is not available on this machine ('))).toHaveLength(1);
      expect(lines.find((l) => l.startsWith('Electron is not available'))).toMatch(/opening the same softphone in a Chromium app window instead\.$/);
      expect(run.output()).not.toContain(url.split('#')[1]);

      // Ctrl+C (SIGTERM here) stops the host and the window, and removes the forwarding page.
      const exited = new Promise((done) => launcher!.once('exit', done));
      launcher!.kill('SIGTERM');
      await exited;
      await run.waitFor(() => !existsSync(startPage), 'the forwarding page to go');
    } finally {
      rmSync(argsFile, { force: true });
      rmSync(fakeChromium, { force: true });
    }
  }, 300_000);

  it('with no browser either, names the file that holds the URL (output is not a terminal)', async () => {
    const run = start({ CHROMIUM_PATH: join(tmpdir(), 'no-such-chromium') });
    await run.waitFor(() => run.output().includes('No Chromium or Google Chrome found'), 'the no-browser message');
    await run.waitFor(() => run.output().includes('(readable by you only) in Chromium or Chrome.'), 'where to find the URL');
    const url = readFileSync(join(run.userData, 'browser-host-url'), 'utf8').trim();
    expect(run.output()).not.toContain(url.split('#')[1]);
    expect(run.output()).toContain(fallbackLine('its binary could not be downloaded').split('(')[0]);
  }, 300_000);
});
