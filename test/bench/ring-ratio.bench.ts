/**
 * Issue #21, first row: sandbox `invite` → ringing UI painted, the softphone as a RATIO to a minimal
 * page of our own that only creates a Twilio `Device` with default options and shows "incoming call".
 * Prints p50/p95 of both, the ratios (aim ≤ 0.8 at p50 and p95) and the machine's load. Not a test.
 *
 * Run: npm run build:e2e && npx tsx test/bench/ring-ratio.bench.ts   (CALLS=60 per side)
 *
 * 60 calls a side, not the aim's least of 30: a p95 of 30 calls is one run's second-worst call, and
 * on one build it swung from 0.48 to 1.16 between runs (p50 0.70 to 0.95); of 60, it is the 57th.
 *
 * Same browser, same sandbox, interleaved one call each in turn:
 *   softphone — the browser host (embedded cloud + sandbox) and its renderer; a call to the practice
 *               number rings the signed-in receptionist through the cloud's <Dial><Client>;
 *   minimal   — `new Device(token)` with NO options, `register()`, and on `incoming` one <p> with
 *               "incoming call". Chromium maps voice-js.roaming.twilio.com (the SDK's default edge)
 *               to the sandbox; the SDK's default sounds (sdk.twilio.com) are answered from
 *               resources/sounds at once, i.e. a CDN with zero latency (the minimal page's best case).
 *               A REST call to client:<identity> rings it.
 * Both pages carry the same instrument. "Painted" is the browser's own paint time of the panel's text,
 * from the Element Timing API: the softphone's caller name and the minimal page's <p> both carry
 * `elementtiming="incoming-call"`, and a PerformanceObserver (type 'element') reads each entry's
 * `renderTime` (same clock as performance.now()). Checked per call: exactly one entry, on that
 * call's marked text, painted after that text entered the DOM inside a shown panel (the softphone
 * keeps its panel laid out and hidden between calls, with no marked text: a ring adds the caller's
 * name, a new element, and shows the panel in the same commit; a hidden shell cannot report a paint). The former instrument, the second
 * requestAnimationFrame after the panel appeared, is still printed beside it ("rAF") for
 * continuity: it runs once the frame after the paint has begun. The start is the sandbox's own
 * `signal.out invite` time for that call. While a call rings, the bench looks into the page on a
 * timer, never in every animation frame (POLL_MS): each page is idle when its invite comes, as a
 * front desk's phone is. Every request leaving loopback is refused.
 *
 * Idle also means quiet: before each call the bench waits until the page to be rung has changed
 * nothing in its DOM for QUIET_MS. With the order alternating, each page is rung twice in a row
 * every other pair, and its last change from the call before (the softphone's status pill, the
 * minimal page's <p> removed) then came 20-55 ms before the invite: Chromium was still drawing on its
 * display tick, the ring's frame waited up to a whole tick for it (panel in the DOM → frame start
 * 5.9-15.5 ms), and those calls were each page's worst (session 36).
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { SANDBOX_TWILIO_CREDENTIALS } from '../../src/cloud/config';
import { spawnBrowserHost } from '../support/browser-host-process';
import { CHROMIUM_ARGS, chromiumExecutable, isLocalUrl } from '../support/chromium';
import { POLL_MS } from './support/page-polling';
import { percentile as pct, loadAverage as load } from './support/stats';

const CALLS = Number(process.env.CALLS ?? 60);
/** How long the page to be rung must have changed nothing in its DOM before each call (ms). */
const QUIET_MS = Number(process.env.QUIET_MS ?? 300);
const PRACTICE_NUMBER = '+13105550100';
const MINIMAL_IDENTITY = 'bench-minimal-page';
const root = resolve(import.meta.dirname, '../..');
const ms = (v: number) => `${v.toFixed(1)} ms`;

/** The minimal page: exactly what a developer following Twilio's quickstart would write. */
const MINIMAL_ENTRY = `
import { Device } from '@twilio/voice-sdk';
window.startMinimal = async (token) => {
  const device = new Device(token);
  device.on('incoming', (call) => {
    const p = document.createElement('p');
    p.dataset.testid = 'incoming-panel';
    p.setAttribute('elementtiming', 'incoming-call'); // the bench's paint instrument (as on the softphone)
    p.textContent = 'incoming call';
    document.body.append(p);
    call.on('cancel', () => p.remove());
    call.on('disconnect', () => p.remove());
    call.on('reject', () => p.remove());
  });
  await device.register();
};`;

/** What the page-side instrument records for each ringing panel, by panel (the order they appeared in). */
interface PanelStamps {
  /** Epoch ms (timeOrigin + performance.now()) the panel's marked text entered the DOM inside a shown panel ("the DOM insert"). */
  inserted: number;
  /** The first animation frame callback after that: the rendering of the frame that paints it starts. */
  frame?: number;
  /** The second animation frame after that (the former instrument). */
  raf?: number;
  /** Element Timing `renderTime` of the panel's `elementtiming="incoming-call"` text, epoch ms; one per entry seen. */
  painted: number[];
}

/** Page-side instrument shared by both pages: paint time of each ringing panel. */
function instrument(): void {
  const w = window as unknown as { bench: { panels: PanelStamps[]; invites: number[]; unmatched: number; lastChange: number } };
  w.bench = { panels: [], invites: [], unmatched: 0, lastChange: 0 };
  // No named helpers in here: the function is sent to the page as source (tsx would wrap them in __name).
  const origin = performance.timeOrigin;
  // When the page itself receives the invite frame (the SDK keeps its socket private: watch every socket).
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event: MessageEvent) => {
        if (typeof event.data === 'string' && event.data.includes('"invite"')) w.bench.invites.push(origin + performance.now());
      });
    }
  } as typeof WebSocket;
  new MutationObserver(() => {
    w.bench.lastChange = origin + performance.now(); // the bench waits for QUIET_MS of none before a call
    // The panel's marked text: the minimal page's <p> itself; the softphone's caller name, a new element
    // for each call inside a panel that stays between calls (dormant: laid out, hidden, unmarked).
    const panel = document.querySelector('[data-testid="incoming-panel"][elementtiming="incoming-call"], [data-testid="incoming-panel"] [elementtiming="incoming-call"]');
    if (panel && !panel.hasAttribute('data-bench')) {
      const stamps: PanelStamps = { inserted: origin + performance.now(), painted: [] };
      panel.setAttribute('data-bench', String(w.bench.panels.push(stamps) - 1));
      requestAnimationFrame(() => {
        stamps.frame = origin + performance.now();
        requestAnimationFrame(() => (stamps.raf = origin + performance.now()));
      });
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as unknown as Array<{ identifier: string; renderTime: number; element: Element | null }>) {
      if (entry.identifier !== 'incoming-call') continue;
      const index = entry.element?.closest('[data-bench]')?.getAttribute('data-bench');
      const stamps = index === null || index === undefined ? undefined : w.bench.panels[Number(index)];
      if (stamps && entry.renderTime > 0) stamps.painted.push(origin + entry.renderTime);
      else w.bench.unmatched++;
    }
  }).observe({ type: 'element', buffered: true });
}

async function main(): Promise<void> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'ring-ratio-bench-'));
  const hostProcess = await spawnBrowserHost([join(root, 'out/main/browser-host.js')], { ...process.env, AESTHETIX_USER_DATA_DIR: userDataDir, NODE_ENV: 'test' });
  const host = hostProcess.child;
  process.once('exit', () => host.kill('SIGTERM')); // also when the bench dies
  host.stderr!.pipe(process.stderr);
  const sandboxHost = hostProcess.embedded!.sandboxHost;
  const [sandboxName, sandboxPort] = sandboxHost.split(':');
  const { accountSid, authToken } = SANDBOX_TWILIO_CREDENTIALS;
  const auth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const sandbox = <T>(method: string, path: string, body?: unknown, form = false) =>
    new Promise<T>((ok, fail) => {
      const payload = body === undefined ? undefined : form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body);
      const headers = { Authorization: auth, 'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json' };
      const req = httpsRequest({ host: sandboxName, port: Number(sandboxPort), method, path, rejectUnauthorized: false, headers }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => ((res.statusCode ?? 500) < 300 ? ok(JSON.parse(text || '{}') as T) : fail(new Error(`${path}: ${res.statusCode} ${text}`))));
      });
      req.on('error', fail);
      req.end(payload);
    });

  // The minimal page, served on loopback.
  const bundle = await build({
    stdin: { contents: MINIMAL_ENTRY, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  const pageServer = createServer((req, res) => {
    if (req.url === '/minimal.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>minimal</title><script type="module" src="/minimal.js"></script>');
  });
  await new Promise<void>((ok) => pageServer.listen(0, '127.0.0.1', ok));
  const minimalUrl = `http://127.0.0.1:${(pageServer.address() as { port: number }).port}/`;

  const browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP voice-js.roaming.twilio.com ${sandboxHost}`],
  });
  const newContext = async (): Promise<BrowserContext> => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 900, height: 800 } });
    await context.addInitScript(instrument);
    const incomingWav = readFileSync(join(root, 'resources/sounds/incoming.wav'));
    const refused: string[] = [];
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (isLocalUrl(url)) return route.continue();
      // The SDK's default sounds, as an instant CDN would serve them (the minimal page's best case).
      if (url.startsWith('https://sdk.twilio.com/js/client/sounds/')) return route.fulfill({ status: 200, contentType: 'audio/wav', body: incomingWav });
      refused.push(url);
      return route.abort();
    });
    return context;
  };

  const softphone = await (await newContext()).newPage();
  await softphone.goto(hostProcess.url);
  await softphone.getByTestId('phone-status').filter({ hasText: 'Ready for calls' }).waitFor({ timeout: 120_000 });

  const minimal = await (await newContext()).newPage();
  await minimal.goto(minimalUrl);
  const { token } = await sandbox<{ token: string }>('POST', '/sandbox/tokens', { identity: MINIMAL_IDENTITY });
  await minimal.waitForFunction(() => typeof (window as unknown as { startMinimal?: unknown }).startMinimal === 'function');
  await minimal.evaluate((t) => (window as unknown as { startMinimal(t: string): Promise<void> }).startMinimal(t), token);

  type Bench = { bench: { panels: PanelStamps[]; invites: number[]; unmatched: number; lastChange: number } };
  const panels = (page: typeof softphone) => page.evaluate(() => (window as unknown as Bench).bench.panels.length);
  /** Calls whose paint entry was missing, duplicated or earlier than the DOM insert (the instrument's soundness). */
  const unsound = { missing: 0, duplicate: 0, beforeInsert: 0 };
  /** Rings one page, returns invite → painted (ms), and waits until the ringing is gone again. */
  const ringOnce = async (
    page: typeof softphone,
    place: () => Promise<string>,
  ): Promise<{ total: number; inPage: number; toDom: number; toFrame: number; frameToPaint: number; rafTotal: number } | null> => {
    const before = await sandbox<Array<{ seq: number }>>('GET', '/sandbox/events?since=0').then((e) => e.at(-1)?.seq ?? 0);
    const count = await panels(page);
    // Checked on a timer, as every wait here: the page stays idle while it is watched.
    await page.waitForFunction((q) => performance.timeOrigin + performance.now() - (window as unknown as Bench).bench.lastChange >= q, QUIET_MS, { timeout: 30_000, polling: POLL_MS });
    const callSid = await place();
    await page.waitForFunction((n) => (window as unknown as Bench).bench.panels[n]?.raf !== undefined, count, { timeout: 30_000, polling: POLL_MS });
    // The paint entry is delivered a frame or so after the paint; one that never comes is counted, not waited for.
    const entered = await page
      .waitForFunction((n) => (window as unknown as Bench).bench.panels[n]!.painted.length > 0, count, { timeout: 5_000, polling: POLL_MS })
      .then(() => true)
      .catch(() => false);
    const events = await sandbox<Array<{ type: string; message?: string; at: number }>>('GET', `/sandbox/events?since=${before}`);
    const invite = events.find((e) => e.type === 'signal.out' && e.message === 'invite');
    await sandbox('POST', `/sandbox/calls/${callSid}/hangup`, { by: 'party' });
    await page.waitForFunction(() => !document.querySelector('[data-testid="incoming-panel"]'), undefined, { timeout: 30_000, polling: POLL_MS });
    const { stamps, received } = await page.evaluate((n) => {
      const { bench } = window as unknown as Bench;
      return { stamps: bench.panels[n]!, received: bench.invites.at(-1) ?? NaN };
    }, count);
    if (!entered) unsound.missing++;
    if (stamps.painted.length > 1) unsound.duplicate++;
    const painted = stamps.painted[0];
    if (painted !== undefined && painted < stamps.inserted) unsound.beforeInsert++;
    if (!invite || painted === undefined) return null;
    return {
      total: painted - invite.at,
      inPage: painted - received,
      toDom: stamps.inserted - received,
      toFrame: stamps.frame! - stamps.inserted,
      frameToPaint: painted - stamps.frame!,
      rafTotal: stamps.raf! - invite.at,
    };
  };
  const ringSoftphone = (i: number) => async () =>
    (await sandbox<{ callSid: string }>('POST', '/sandbox/calls', { from: `+1213555${String(2000 + i)}`, to: PRACTICE_NUMBER })).callSid;
  const ringMinimal = () => async () =>
    (
      await sandbox<{ sid: string }>(
        'POST',
        `/2010-04-01/Accounts/${accountSid}/Calls.json`,
        { To: `client:${MINIMAL_IDENTITY}`, From: PRACTICE_NUMBER, Twiml: '<Response><Pause length="60"/></Response>' },
        true,
      )
    ).sid;

  const loadBefore = load();
  type Figure = NonNullable<Awaited<ReturnType<typeof ringOnce>>>;
  const figures: Record<'softphone' | 'minimal', Figure[]> = { softphone: [], minimal: [] };
  // One warm-up call each (first-call costs: code paths, sound decoding), not counted.
  await ringOnce(softphone, ringSoftphone(999));
  await ringOnce(minimal, ringMinimal());
  Object.assign(unsound, { missing: 0, duplicate: 0, beforeInsert: 0 });
  for (let i = 0; i < CALLS; i++) {
    // Alternate which page goes first so neither always rings right after the other.
    const order = i % 2 === 0 ? (['softphone', 'minimal'] as const) : (['minimal', 'softphone'] as const);
    for (const side of order) {
      const figure = side === 'softphone' ? await ringOnce(softphone, ringSoftphone(i)) : await ringOnce(minimal, ringMinimal());
      if (figure !== null) figures[side].push(figure);
    }
  }

  const of = (side: 'softphone' | 'minimal', key: keyof Figure) => figures[side].map((f) => f[key]);
  const p5095 = (side: 'softphone' | 'minimal', key: keyof Figure) => `p50 ${ms(pct(of(side, key), 50))}, p95 ${ms(pct(of(side, key), 95))}`;
  const ratio = (key: keyof Figure, p: number) => (pct(of('softphone', key), p) / pct(of('minimal', key), p)).toFixed(2);
  console.log(`\nRing ratio (issue #21): sandbox invite → ringing UI painted, ${CALLS} interleaved calls each, each page quiet for ${QUIET_MS} ms before its call; ${cpus().length} cores, load ${loadBefore} → ${load()}`);
  console.log(`  painted = the browser's paint time of the panel's text (Element Timing renderTime)`);
  console.log(`  softphone     ${p5095('softphone', 'total')}, max ${ms(Math.max(...of('softphone', 'total')))}  (${figures.softphone.length} calls)`);
  console.log(`  minimal page  ${p5095('minimal', 'total')}, max ${ms(Math.max(...of('minimal', 'total')))}  (${figures.minimal.length} calls)`);
  console.log(`  of which in the page (invite frame received → painted): softphone ${p5095('softphone', 'inPage')}; minimal ${p5095('minimal', 'inPage')}`);
  console.log(`  of which frame received → panel in the DOM: softphone ${p5095('softphone', 'toDom')}; minimal ${p5095('minimal', 'toDom')}`);
  console.log(`  then panel in the DOM → its frame's rendering starts (1st rAF): softphone ${p5095('softphone', 'toFrame')}; minimal ${p5095('minimal', 'toFrame')}`);
  console.log(`  then that rAF → painted: softphone ${p5095('softphone', 'frameToPaint')}; minimal ${p5095('minimal', 'frameToPaint')}`);
  // In an idle page a change is drawn at once (no display tick to wait for): what the softphone could
  // reach with a frame as light as the minimal page's one line: its own insert, then the minimal
  // page's insert → frame start and frame start → painted.
  const floor = pct(of('softphone', 'toDom'), 50) + pct(of('minimal', 'toFrame'), 50) + pct(of('minimal', 'frameToPaint'), 50);
  console.log(
    `  floor (p50, estimate): softphone's DOM insert ${ms(pct(of('softphone', 'toDom'), 50))} + the minimal page's insert → frame start ${ms(pct(of('minimal', 'toFrame'), 50))} and frame → painted ${ms(pct(of('minimal', 'frameToPaint'), 50))} = ${ms(floor)} in the page, vs the minimal page's ${ms(pct(of('minimal', 'inPage'), 50))}: in-page ratio with the minimal page's frame ≈ ${(floor / pct(of('minimal', 'inPage'), 50)).toFixed(2)}`,
  );
  console.log(`  instrument check: ${unsound.missing} calls without a paint entry, ${unsound.duplicate} with more than one, ${unsound.beforeInsert} painted before the DOM insert`);
  console.log(`  former instrument (second rAF after the DOM insert): softphone ${p5095('softphone', 'rafTotal')}; minimal ${p5095('minimal', 'rafTotal')}; ratio p50 ${ratio('rafTotal', 50)}, p95 ${ratio('rafTotal', 95)}`);
  console.log(`  ratio         p50 ${ratio('total', 50)}, p95 ${ratio('total', 95)}  (aim ≤ 0.8 at both)`);

  await browser.close();
  pageServer.close();
  host.kill('SIGTERM');
  await new Promise((r) => host.once('exit', r));
  await rm(userDataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
