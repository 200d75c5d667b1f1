import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, chromium, test as base, type Browser, type Page } from '@playwright/test';
import { spawnBrowserHost, type BrowserHostProcess } from '../support/browser-host-process';
import { CHROMIUM_ARGS, chromiumExecutable, isLocalUrl } from '../support/chromium';
import { sandboxHttp } from '../support/sandbox-http';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS_DIR = join(repoRoot, 'test/e2e/artifacts');

export interface SoftphoneApp {
  page: Page;
  target: 'browser' | 'electron';
  /** console.error messages and uncaught page errors seen so far. */
  consoleErrors: string[];
  /** Every request (HTTP or WebSocket) the app attempted to a non-loopback address; each was blocked. */
  externalRequests: string[];
  /** The browser host's origin (browser target only). */
  origin?: string;
  /** The embedded cloud API and Twilio sandbox the host started (browser target). */
  embedded?: { cloudUrl: string; sandboxHost: string };
  screenshot(name: string): Promise<void>;
  /** kill -9 the host and start it again on the same user-data folder, then reload the page. */
  crashAndRestart(): Promise<void>;
}

/** The specs drive the app through the contract's test.* hooks, which production builds compile out. */
function requireTestBuild(): void {
  const preload = join(repoRoot, 'out/preload/index.cjs');
  if (existsSync(preload) && !readFileSync(preload, 'utf8').includes('test.pressHotkey')) {
    throw new Error('out/ is a production build (no test.* hooks): build with `npm run build:e2e` before the E2E suite.');
  }
}

/** Starts `node out/main/browser-host.js` with its own user-data folder and waits for its URL file. */
function startBrowserHost(userDataDir: string, hostEnv: HostEnv): Promise<BrowserHostProcess> {
  // 150 s: starting the embedded cloud and sandbox takes over a minute on a busy machine.
  return spawnBrowserHost([join(repoRoot, 'out/main/browser-host.js')], { ...process.env, ...hostEnv, AESTHETIX_USER_DATA_DIR: userDataDir, NODE_ENV: 'test' }, 150_000);
}

function watchPage(page: Page, app: Pick<SoftphoneApp, 'consoleErrors' | 'externalRequests'>): void {
  page.on('console', (message) => {
    if (message.type() === 'error') app.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => app.consoleErrors.push(error.message));
  page.on('websocket', (ws) => {
    if (!isLocalUrl(ws.url())) app.externalRequests.push(ws.url());
  });
}

/**
 * Starts a browser host on the empty folder `dir` — the embedded default's very first start: the
 * practice seeded, the desktop signed in — opens it until "Ready for calls" (the cache pulled), and
 * stops it cleanly. What it leaves is the user-data folder of a front desk's second start.
 */
async function makeSeededUserData(dir: string, browser: Browser): Promise<string> {
  const host = await startBrowserHost(dir, {});
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    await page.goto(host.url);
    await page.getByTestId('phone-status').getByText('Ready for calls').waitFor({ timeout: 120_000 });
  } finally {
    await context.close();
    const exited = new Promise((resolveExit) => host.child.once('exit', resolveExit));
    host.child.kill('SIGTERM');
    await exited;
  }
  return dir;
}

interface WorkerFixtures {
  chromiumBrowser: () => Promise<Browser>;
  seededUserData: () => Promise<string>;
}

/** Extra environment for the app's process, as a practice would configure it (e.g. AI_BASE_URL); a spec overrides it. */
export type HostEnv = Record<string, string>;

export const test = base.extend<{ app: SoftphoneApp; hostEnv: HostEnv; firstStart: boolean }, WorkerFixtures>({
  hostEnv: [{}, { option: true }],
  /**
   * A test starts from a copy of the user-data folder the embedded default leaves after its first
   * start (made once per worker), so each browser host does an everyday start instead of seeding a
   * practice again: under CI load that took ~36 s against ~15 s. `test.use({ firstStart: true })`
   * gives a test the very first start on an empty folder instead.
   */
  firstStart: [false, { option: true }],

  // One Chromium per Playwright worker (the suite has one), started when a browser-host test first
  // needs it: each test gets a fresh context — its own cookies, storage and permissions — instead of a
  // browser start per test, which cost seconds each on a loaded 2-core machine.
  // Playwright requires the fixtures argument to be an object pattern, even when none is used.
  // eslint-disable-next-line no-empty-pattern
  chromiumBrowser: [async ({}, use) => {
    let launched: Promise<Browser> | undefined;
    await use(() => (launched ??= chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS })));
    if (launched) await (await launched).close();
  }, { scope: 'worker', timeout: 60_000 }],

  seededUserData: [async ({ chromiumBrowser }, use) => {
    let made: Promise<string> | undefined;
    const dir = await mkdtemp(join(tmpdir(), 'softphone-e2e-seeded-'));
    await use(() => (made ??= chromiumBrowser().then((browser) => makeSeededUserData(dir, browser))));
    await rm(dir, { recursive: true, force: true });
  }, { scope: 'worker' }],

  // Its own time budget, apart from the test's: starting the host (embedded cloud, PGlite
  // migrations, the sandbox) took over a minute on a loaded 2-core machine, and the worker's first
  // test also makes the seeded folder (a first start) before its own.
  app: [async ({ chromiumBrowser, seededUserData, firstStart, hostEnv }, use, testInfo) => {
    requireTestBuild();
    const userDataDir = await mkdtemp(join(tmpdir(), 'softphone-e2e-'));
    const consoleErrors: string[] = [];
    const externalRequests: string[] = [];
    const screenshot = async (page: Page, name: string) => {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      // The whole page, not the window: a report below the fold (the dry run's, say) is in the picture.
      await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
    };

    if (process.env.E2E_TARGET === 'electron') {
      const electronApp = await _electron.launch({
        args: [join(repoRoot, 'out/main/index.js'), `--user-data-dir=${userDataDir}`],
        env: { ...process.env, ...hostEnv, AESTHETIX_USER_DATA_DIR: userDataDir, NODE_ENV: 'test' },
      });
      const page = await electronApp.firstWindow();
      await page.route('**/*', (route) => {
        if (isLocalUrl(route.request().url())) return route.continue();
        externalRequests.push(route.request().url());
        return route.abort();
      });
      const app: SoftphoneApp = {
        page,
        target: 'electron',
        consoleErrors,
        externalRequests,
        screenshot: (n) => screenshot(page, n),
        crashAndRestart: async () => {
          throw new Error('crashAndRestart runs against the browser host only');
        },
      };
      watchPage(page, app);
      await use(app);
      await electronApp.close();
    } else {
      if (!firstStart) await cp(await seededUserData(), userDataDir, { recursive: true });
      const [started, browser] = await Promise.all([startBrowserHost(userDataDir, hostEnv), chromiumBrowser()]);
      let host = started;
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      await context.route('**/*', (route) => {
        if (isLocalUrl(route.request().url())) return route.continue();
        externalRequests.push(route.request().url());
        return route.abort();
      });
      const page = await context.newPage();
      const app: SoftphoneApp = {
        page,
        target: 'browser',
        consoleErrors,
        externalRequests,
        origin: new URL(host.url).origin,
        ...(host.embedded ? { embedded: host.embedded } : {}),
        screenshot: (n) => screenshot(page, n),
        crashAndRestart: async () => {
          const exited = new Promise((resolveExit) => host.child.once('exit', resolveExit));
          host.child.kill('SIGKILL');
          await exited;
          host = await startBrowserHost(userDataDir, hostEnv);
          app.origin = new URL(host.url).origin;
          if (host.embedded) app.embedded = host.embedded;
          await page.goto(host.url);
        },
      };
      watchPage(page, app);
      await page.goto(host.url);
      await use(app);
      if (testInfo.status !== testInfo.expectedStatus) {
        await screenshot(page, `failure-${testInfo.title.replace(/\W+/g, '-')}`).catch(() => {});
        // What main logged (refusals, ignored reports, sync errors) is half of any failure's story.
        const hostLog = testInfo.outputPath('browser-host.log');
        await writeFile(hostLog, host.output());
        await testInfo.attach('browser-host.log', { path: hostLog, contentType: 'text/plain' });
        // And what the sandbox saw: every webhook it sent and the status it got back, calls' errors.
        if (host.embedded) {
          const events = await sandboxHttp(host.embedded.sandboxHost).events().catch((error: unknown) => ({ unavailable: String(error) }));
          const eventsFile = testInfo.outputPath('sandbox-events.json');
          await writeFile(eventsFile, JSON.stringify(events, null, 1));
          await testInfo.attach('sandbox-events.json', { path: eventsFile, contentType: 'application/json' });
        }
      }
      await context.close();
      const exited = new Promise((resolveExit) => host.child.once('exit', resolveExit));
      host.child.kill('SIGTERM');
      await exited;
    }
    await rm(userDataDir, { recursive: true, force: true });
  }, { timeout: 360_000 }],
});

export const expect = test.expect;
