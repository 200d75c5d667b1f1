/**
 * Issue #21: cold start of the browser host to "Ready for calls" (aim ≤ 1.5 s). Prints figures;
 * not a test. Run: npm run build:e2e && npx tsx test/bench/cold-start.bench.ts   (ROUNDS=6: 5 everyday starts)
 *
 * Chromium is started first, and each round's browser context and tab (they are not the host's
 * start; until session 11 the bench made them after the host served, and counted them). The browser
 * is then left SETTLE_MS to finish making the tab (its renderer process) and closing the last round's,
 * as a receptionist's tab was opened long before: until session 26 the host was spawned at once, and
 * Chromium's own work on the tab competed with the host for the two cores (A/B, same build: p50 2.81–3.08 s
 * without the wait, 2.15–2.16 s with it). Each round
 * starts `node out/main/browser-host.js` on the same user-data folder — the first round seeds the embedded
 * practice (first run ever), later rounds are the everyday start: the process from nothing, the
 * embedded cloud (PGlite) and Twilio sandbox, the session resumed — and opens the page as soon as
 * the host publishes its URL (since session 12 as soon as the page can be served, while its services
 * start; the host phase "host serving" is when they are up). Figures: spawn → URL published, spawn → "Ready for calls"
 * painted in the page, the host's own phase times (it prints them with AESTHETIX_STARTUP_TRACE=1),
 * and, with PAGE_PHASES=1, the page's (from the browser's network events, so the page runs unmodified).
 *
 * "Ready for calls" is timed in the page, not by polling it from here: a MutationObserver (an init
 * script, the page's code unmodified) stamps the moment the status pill says it, and the second
 * animation frame after that is taken as painted (the frame that draws it has been presented by
 * then; about one frame late, never early). Until session 16 the bench polled with Playwright's
 * `waitFor`, whose back-off (0, 20, 50, 100, 100, then every 500 ms) added up to half a second.
 *
 * Each round also prints the CPU the start took on both sides, read (Linux /proc) when the page
 * tells the bench through a binding that "Ready" is painted: the host's (all its threads: PGlite's,
 * argon2's…) and Chromium's since the spawn (by process kind: the tab's renderer, the browser, GPU,
 * utility). That total over the machine's cores is the start's floor here: "Ready" cannot come
 * sooner even with every core busy throughout, so it tells whether a start is slow from waiting
 * or from work (session 30: 3.3–3.7 s of CPU, a floor of 1.65–1.85 s on 2 cores, beside a p50 of ~2 s).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium, type CDPSession } from 'playwright-core';
import { spawnBrowserHost } from '../support/browser-host-process';
import { CHROMIUM_ARGS, chromiumExecutable } from '../support/chromium';
import { childTrees, cmdline, cpuByPid, cpuUsedSince, processCpuMs } from './support/proc-cpu';
import { loadAverage as load } from './support/stats';

const ROUNDS = Number(process.env.ROUNDS ?? 6);
/** How long the new tab is left before the host is spawned (SETTLE_MS=0 spawns it at once, as before session 26). */
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 1500);
/**
 * PAGE_PHASES=1: print the page's phases, from Chromium's network events (followPage). Off by
 * default since session 44: the events (every bridge frame among them) cost Chromium's browser and
 * network processes 50–100 ms of CPU during the start they describe.
 */
const PAGE_PHASES = process.env.PAGE_PHASES === '1';
/**
 * COMPARE_WITH=<another checkout, built>: each round starts this build's host and that one's in turn
 * (the order swapped every round), each on its own user-data folder, and prints both builds' figures
 * and the paired difference. On a machine whose speed drifts (this one's CPU per start varied by a
 * third within an hour, session 44), runs of each build in turn cannot tell 100 ms apart; pairs can.
 */
const COMPARE_WITH = process.env.COMPARE_WITH ? resolve(process.env.COMPARE_WITH) : undefined;
/** Node flags for the host, e.g. HOST_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (NODE_OPTIONS refuses --cpu-prof). */
const HOST_NODE_ARGS = (process.env.HOST_NODE_ARGS ?? '').split(' ').filter(Boolean);
/** A folder for the page's own CPU profile of each round (V8's, from before the navigation to "Ready" painted), e.g. PAGE_PROFILE_DIR=/tmp/page-prof. */
const PAGE_PROFILE_DIR = process.env.PAGE_PROFILE_DIR;
const root = resolve(import.meta.dirname, '../..');

/**
 * The page's way to "Ready for calls", from Chromium's own network events (timestamps on its
 * monotonic clock, taken relative to the document request): the HTML, the bridge socket to the host
 * opened (the main chunk has run), the phone's token asked of main and received, the signalling
 * socket to the sandbox opened, and the edge's "ready" (registered). Returns a reader that gives the
 * ms since spawn of each phase seen, given the spawn → document-request offset.
 */
async function followPage(cdp: CDPSession): Promise<(offsetMs: number) => string> {
  const seen = new Map<string, number>();
  let documentAt: number | undefined;
  const sockets = new Map<string, 'bridge' | 'signal'>();
  const tokenRequests = new Set<number>();
  const first = (name: string, at: number) => void (seen.has(name) || seen.set(name, at));
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.type === 'Document' && documentAt === undefined) documentAt = e.timestamp;
  });
  cdp.on('Network.responseReceived', (e) => {
    if (e.type === 'Document') first('HTML', e.timestamp);
    if (e.type === 'Script') first('main chunk received', e.timestamp);
  });
  cdp.on('Network.webSocketCreated', (e) => {
    if (/\/bridge(\?|$)/.test(e.url)) sockets.set(e.requestId, 'bridge');
    else if (/\/signal(\?|$)/.test(e.url)) sockets.set(e.requestId, 'signal');
  });
  cdp.on('Network.webSocketWillSendHandshakeRequest', (e) => {
    if (sockets.get(e.requestId) === 'signal') first('signalling socket asked', e.timestamp);
  });
  cdp.on('Network.webSocketHandshakeResponseReceived', (e) => {
    const kind = sockets.get(e.requestId);
    if (kind) first(kind === 'bridge' ? 'bridge open (chunk ran)' : 'signalling socket open', e.timestamp);
  });
  cdp.on('Network.webSocketFrameSent', (e) => {
    if (sockets.get(e.requestId) !== 'bridge' || !e.response.payloadData.includes('"voice.getToken"')) return;
    first('token asked', e.timestamp);
    const id = /"id":(\d+)/.exec(e.response.payloadData)?.[1];
    if (id) tokenRequests.add(Number(id));
  });
  cdp.on('Network.webSocketFrameReceived', (e) => {
    const kind = sockets.get(e.requestId);
    const data = e.response.payloadData;
    if (kind === 'bridge' && tokenRequests.size > 0 && data.startsWith('{"type":"result"')) {
      const id = /"id":(\d+)/.exec(data)?.[1];
      if (id && tokenRequests.has(Number(id))) first('token received', e.timestamp);
    }
    if (kind === 'signal' && data.includes('"type":"ready"')) first('registered', e.timestamp);
  });
  return (offsetMs) =>
    documentAt === undefined
      ? ''
      : [...seen]
          .sort((a, b) => a[1] - b[1])
          .map(([name, at]) => `${name} ${Math.round(offsetMs + (at - documentAt!) * 1000)}`)
          .join(', ');
}

/** `promise`, or a rejection naming `what` after `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Epoch ms of "Ready for calls" in the DOM and painted, recorded by `stampReady` in the page. */
interface ReadyStamps {
  inDom?: number;
  painted?: number;
}

/** Page-side (an init script, sent as source: no named helpers, tsx would wrap them in __name): stamps "Ready for calls". */
function stampReady(): void {
  const w = window as unknown as { benchReady: ReadyStamps };
  w.benchReady = {};
  const observer = new MutationObserver(() => {
    const pill = document.querySelector('[data-testid="phone-status"]');
    if (!pill?.textContent?.includes('Ready for calls')) return;
    observer.disconnect();
    w.benchReady.inDom = performance.timeOrigin + performance.now();
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        w.benchReady.painted = performance.timeOrigin + performance.now();
        // The bench reads the CPU used so far on this call (a binding: no polling delay).
        void (window as unknown as { benchPainted?: () => Promise<void> }).benchPainted?.();
      }),
    );
  });
  observer.observe(document, { subtree: true, childList: true, characterData: true });
}

/** Chromium's CPU by kind of process (its --type= and utility service; none: the browser process), e.g. "renderer 700 ms, browser 300 ms, utility NetworkService 70 ms". */
function byChromiumProcess(used: ReadonlyMap<number, number>): string {
  const kinds = new Map<string, number>();
  for (const [pid, ms] of used) {
    const line = cmdline(pid);
    // Utility processes by service (network, audio, video capture…): they are different work.
    const service = /--utility-sub-type=(?:\w+\.mojom\.)?(\w+)/.exec(line)?.[1];
    const kind = (/--type=(\S+)/.exec(line)?.[1] ?? 'browser') + (service ? ` ${service}` : '');
    kinds.set(kind, (kinds.get(kind) ?? 0) + ms);
  }
  return [...kinds].filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]).map(([kind, ms]) => `${kind} ${Math.round(ms)}`).join(', ');
}

async function main(): Promise<void> {
  console.log(`cold start of the browser host to "Ready for calls" — node ${process.version}, ${cpus().length} cores, tab left ${SETTLE_MS} ms before each start, load ${load()}`);
  const builds = await Promise.all(
    [{ label: 'this build', root }, ...(COMPARE_WITH ? [{ label: `compared (${COMPARE_WITH})`, root: COMPARE_WITH }] : [])].map(async (build) => ({
      ...build,
      userDataDir: await mkdtemp(join(tmpdir(), 'cold-start-bench-')),
      everyday: [] as number[],
      everydayCpu: [] as number[],
    })),
  );
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
  // Chromium's processes, to tell the CPU the page's start took (Linux /proc; empty elsewhere). By
  // name: Debian's /usr/bin/chromium is a script that runs /usr/lib/chromium/chromium.
  const chromiumCpu = () => cpuByPid(childTrees(/chrom/i));
  try {
    for (let round = 1; round <= ROUNDS; round++) for (const { label, root: buildRoot, userDataDir, everyday, everydayCpu } of round % 2 ? builds : [...builds].reverse()) {
      // The receptionist's browser is already running with a tab to open the softphone in: its
      // context and page are made before the host starts, so their cost is not counted as the host's.
      const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 900, height: 800 } });
      const page = await context.newPage();
      await page.addInitScript(stampReady);
      let host: Awaited<ReturnType<typeof spawnBrowserHost>> | undefined;
      // The CPU both sides have taken so far, and when it was read.
      const readCpu = () => {
        const pid = host?.child.pid;
        return { host: pid === undefined ? NaN : processCpuMs(pid), chromium: chromiumCpu(), epoch: performance.timeOrigin + performance.now() };
      };
      let cpuAtReady: ReturnType<typeof readCpu> | undefined;
      // The page calls it once "Ready" is painted: the CPU is read then, and the wait below ends.
      let painted: () => void = () => undefined;
      const paintedInPage = new Promise<void>((resolve) => (painted = resolve));
      await context.exposeBinding('benchPainted', () => {
        cpuAtReady ??= readCpu();
        painted();
      });
      const cdp = await context.newCDPSession(page);
      const pagePhases = PAGE_PHASES ? await followPage(cdp) : () => '';
      if (PAGE_PROFILE_DIR) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      }
      await new Promise((settled) => setTimeout(settled, SETTLE_MS));
      const chromiumBefore = chromiumCpu();
      const started = performance.now();
      const startedEpoch = performance.timeOrigin + started;
      try {
        // Opened as soon as the host publishes its URL, as a person would: the page loads while the
        // host's services start (its bridge waits for them).
        host = await spawnBrowserHost(
          [...HOST_NODE_ARGS, join(buildRoot, 'out/main/browser-host.js')],
          { ...process.env, AESTHETIX_USER_DATA_DIR: userDataDir, AESTHETIX_STARTUP_TRACE: '1', NODE_ENV: 'test' },
          180_000,
          'page',
        );
        const published = performance.now() - started;
        if (PAGE_PROFILE_DIR) await cdp.send('Profiler.start');
        await page.goto(host.url);
        // The stamps are taken in the page, which says when through the binding: nothing polls the
        // page meanwhile. Polling it every POLL_MS (until session 44) cost the page's renderer ~50 ms
        // of CPU during the start it measures (Playwright evaluating the check ~40 times).
        await withTimeout(paintedInPage, 120_000, '"Ready for calls" painted');
        const stamps = await page.evaluate(() => (window as unknown as { benchReady: Required<ReadyStamps> }).benchReady);
        if (PAGE_PROFILE_DIR) {
          const { profile } = await cdp.send('Profiler.stop');
          await mkdir(PAGE_PROFILE_DIR, { recursive: true });
          await writeFile(join(PAGE_PROFILE_DIR, `page-round-${round}.cpuprofile`), JSON.stringify(profile));
        }
        // The CPU both sides took, read when the page told the bench "Ready" was painted (`lag` after it).
        const atReady = cpuAtReady ?? readCpu();
        const hostCpu = atReady.host;
        const chromiumAfter = atReady.chromium;
        const chromiumUsed = cpuUsedSince(chromiumBefore, chromiumAfter);
        const pageCpu = [...chromiumUsed.values()].reduce((a, b) => a + b, 0);
        const lag = atReady.epoch - stamps.painted;
        const ready = stamps.painted - startedEpoch;
        const inDom = stamps.inDom - startedEpoch;
        if (round > 1) everyday.push(ready);
        const cpuRead = !Number.isNaN(hostCpu) && chromiumAfter.size > 0;
        if (round > 1 && cpuRead) everydayCpu.push(hostCpu + pageCpu);
        const cpuLine = !cpuRead
          ? ''
          : `\n    CPU from spawn to "Ready" (read ${Math.round(lag)} ms after it): host ${Math.round(hostCpu)} ms (all its threads), Chromium ${Math.round(pageCpu)} ms (${byChromiumProcess(chromiumUsed)}), ` +
            `together ${Math.round(hostCpu + pageCpu)} ms: ${Math.round((hostCpu + pageCpu) / cpus().length)} ms of wall time on ${cpus().length} cores with none idle`;
        // Each phase: wall ms since the process started, and the CPU ms it had used (all threads) by then.
        const phases = [...host.output().matchAll(/startup: (.+) at (\d+) ms, cpu (\d+) ms/g)].map((m) => `${m[1]} ${m[2]} (cpu ${m[3]})`).join(', ');
        console.log(
          `  round ${round}${builds.length > 1 ? `, ${label}` : ''}${round === 1 ? ' (first run: seeds the practice)' : ''}: URL published ${(published / 1000).toFixed(2)} s, ` +
            `"Ready for calls" ${(ready / 1000).toFixed(2)} s; load ${load()}${phases ? `\n    host phases: ${phases}` : ''}` +
            `\n    page phases (ms since spawn): ${[`opened ${Math.round(published)}`, pagePhases(published), `"Ready for calls" in the DOM ${Math.round(inDom)}`, `painted ${Math.round(ready)}`].filter(Boolean).join(', ')}` +
            cpuLine,
        );
      } finally {
        await context.close();
        if (host) {
          const { child } = host;
          child.kill('SIGTERM');
          await new Promise((r) => child.once('exit', r));
        }
      }
    }
  } finally {
    await browser.close();
    for (const { userDataDir } of builds) await rm(userDataDir, { recursive: true, force: true });
  }
  for (const build of builds) report(build, builds.length > 1);
  if (builds.length === 2) {
    // Per round, this build's start minus the other's: both ran within seconds of each other.
    const differences = builds[0]!.everyday.map((ms, i) => ms - builds[1]!.everyday[i]!).sort((a, b) => a - b);
    const median = differences[Math.ceil(differences.length / 2) - 1];
    const cpu = builds[0]!.everydayCpu.map((ms, i) => ms - (builds[1]!.everydayCpu[i] ?? NaN)).filter((ms) => !Number.isNaN(ms)).sort((a, b) => a - b);
    const cpuMedian = cpu[Math.ceil(cpu.length / 2) - 1];
    if (median !== undefined)
      console.log(
        `\npaired, this build − compared, per round: "Ready" median ${Math.round(median)} ms (from ${Math.round(differences[0]!)} to ${Math.round(differences.at(-1)!)} ms over ${differences.length} rounds)` +
          (cpuMedian === undefined ? '' : `, CPU median ${Math.round(cpuMedian)} ms`),
      );
  }
}

/** A build's everyday figures: "Ready for calls" and the CPU it took. */
function report({ label, everyday, everydayCpu }: { label: string; everyday: number[]; everydayCpu: number[] }, named: boolean): void {
  if (named) console.log(`\n${label}:`);
  if (everyday.length > 0) {
    const sorted = [...everyday].sort((a, b) => a - b);
    const at = (p: number) => (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! / 1000).toFixed(2);
    console.log(`\neveryday start → "Ready for calls" over ${sorted.length}: p50 ${at(50)} s, p95 ${at(95)} s, best ${(sorted[0]! / 1000).toFixed(2)} s (aim ≤ 1.5 s); load ${load()} on ${cpus().length} cores`);
  }
  if (everydayCpu.length > 0) {
    const sorted = [...everydayCpu].sort((a, b) => a - b);
    const p50 = sorted[Math.ceil(sorted.length / 2) - 1]!;
    // The start's floor on this machine: its CPU spread over every core, none ever idle or waiting.
    console.log(
      `everyday start's CPU (host + Chromium, spawn → "Ready"): p50 ${(p50 / 1000).toFixed(2)} s, least ${(sorted[0]! / 1000).toFixed(2)} s; ` +
        `spread over ${cpus().length} cores that is at least ${(p50 / cpus().length / 1000).toFixed(2)} s (least ${(sorted[0]! / cpus().length / 1000).toFixed(2)} s) before any wait`,
    );
  }
}

await main();
