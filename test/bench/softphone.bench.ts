/**
 * Softphone benchmark (prints its figures; not a timed test). Runs the real app the way E2E does —
 * the browser host with the embedded cloud API and Twilio sandbox, the renderer in Debian's
 * Chromium with the real Twilio Voice SDK — and measures:
 *   1. sandbox `invite` → ringing panel painted, p50/p95 over 30 calls (aim p95 ≤ 100 ms);
 *   2. global answer hotkey → ICE connected, p50/p95 over the same calls (aim p95 ≤ 150 ms);
 *   3. scrolling a call history of 100,000 calls: frame time p50/p95/max (aim ≤ 16 ms).
 * Run: npm run build:e2e && npx tsx test/bench/softphone.bench.ts (it presses hotkeys through the test.* hooks)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { SANDBOX_TWILIO_CREDENTIALS } from '../../src/cloud/config';
import { spawnBrowserHost } from '../support/browser-host-process';
import { CHROMIUM_ARGS, chromiumExecutable } from '../support/chromium';
import { scrollHistory, seedHistory } from './support/history-seed';

const CALLS = Number(process.env.BENCH_CALLS ?? 30);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 100_000);
const root = resolve(import.meta.dirname, '../..');

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const fmt = (n: number) => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'softphone-bench-'));
  const hostProcess = await spawnBrowserHost([join(root, 'out/main/browser-host.js')], { ...process.env, AESTHETIX_USER_DATA_DIR: userDataDir, NODE_ENV: 'test' });
  const host = hostProcess.child;
  host.stderr!.pipe(process.stderr);
  const url = hostProcess.url;
  const sandboxHost = hostProcess.embedded!.sandboxHost;
  const auth = `Basic ${Buffer.from(`${SANDBOX_TWILIO_CREDENTIALS.accountSid}:${SANDBOX_TWILIO_CREDENTIALS.authToken}`).toString('base64')}`;
  const sandbox = <T>(method: string, path: string, body?: unknown) =>
    new Promise<T>((ok, fail) => {
      const [hostname, port] = sandboxHost.split(':');
      const req = httpsRequest({ host: hostname, port: Number(port), method, path, rejectUnauthorized: false, headers: { Authorization: auth, 'Content-Type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => ((res.statusCode ?? 500) < 300 ? ok(JSON.parse(text || '{}') as T) : fail(new Error(`${path}: ${res.statusCode} ${text}`))));
      });
      req.on('error', fail);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS });
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 900, height: 800 } });
  // Page-side instruments, installed before any page script: ICE state times and panel paint times.
  await context.addInitScript(() => {
    const w = window as unknown as { bench: { ice: number[]; panels: number[] } };
    w.bench = { ice: [], panels: [] };
    const Native = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        this.addEventListener('iceconnectionstatechange', () => {
          if (this.iceConnectionState === 'connected') w.bench.ice.push(performance.timeOrigin + performance.now());
        });
      }
    } as typeof RTCPeerConnection;
    new MutationObserver(() => {
      const panel = document.querySelector('[data-testid="incoming-panel"]');
      if (panel && !panel.hasAttribute('data-bench')) {
        panel.setAttribute('data-bench', '1');
        // The frame after the one that contains the panel: it has been painted.
        requestAnimationFrame(() => requestAnimationFrame(() => w.bench.panels.push(performance.timeOrigin + performance.now())));
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('phone-status').filter({ hasText: 'Ready for calls' }).waitFor({ timeout: 60_000 });

  const ring: number[] = [];
  const answer: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const before = await sandbox<Array<{ seq: number }>>('GET', '/sandbox/events?since=0').then((e) => e.at(-1)?.seq ?? 0);
    const panelsBefore = await page.evaluate(() => (window as unknown as { bench: { panels: number[] } }).bench.panels.length);
    const { callSid } = await sandbox<{ callSid: string }>('POST', '/sandbox/calls', { from: `+1213555${String(1000 + i)}`, to: '+13105550100' });
    await page.waitForFunction((n) => (window as unknown as { bench: { panels: number[] } }).bench.panels.length > n, panelsBefore);
    const events = await sandbox<Array<{ type: string; message?: string; at: number }>>('GET', `/sandbox/events?since=${before}`);
    const invite = events.find((e) => e.type === 'signal.out' && e.message === 'invite');
    const painted = await page.evaluate(() => (window as unknown as { bench: { panels: number[] } }).bench.panels.at(-1)!);
    if (invite) ring.push(painted - invite.at);

    const iceBefore = await page.evaluate(() => (window as unknown as { bench: { ice: number[] } }).bench.ice.length);
    const pressedAt = await page.evaluate(async () => {
      const at = performance.timeOrigin + performance.now();
      await window.softphone!.test.pressHotkey({ kind: 'answer' });
      return at;
    });
    await page.waitForFunction((n) => (window as unknown as { bench: { ice: number[] } }).bench.ice.length > n, iceBefore, { timeout: 20_000 });
    const connected = await page.evaluate(() => (window as unknown as { bench: { ice: number[] } }).bench.ice.at(-1)!);
    answer.push(connected - pressedAt);

    await sandbox('POST', `/sandbox/calls/${callSid}/hangup`, { by: 'party' });
    await page.getByTestId('wrap-up').waitFor();
    await page.getByRole('button', { name: /Skip/ }).click();
    await page.getByLabel('Number or name to call').waitFor();
  }

  // History of 100,000 calls: written straight into this host's local cache, as a pull would.
  const seeded = seedHistory(userDataDir, HISTORY);
  await page.getByRole('tab', { name: 'History' }).click();
  await page.getByTestId('history-list').getByRole('listitem').first().waitFor();
  // ~7 rows per frame: a fast flick, held for 10 seconds.
  const frames = await page.evaluate(scrollHistory, { frames: 600, stepPx: 400 });

  console.log('\nSoftphone benchmark (browser host + embedded cloud + Twilio sandbox, real Twilio SDK in Chromium)');
  console.log(`  sandbox invite → ringing panel painted, ${ring.length} calls: p50 ${fmt(pct(ring, 50))}, p95 ${fmt(pct(ring, 95))}, max ${fmt(Math.max(...ring))}  (aim p95 ≤ 100 ms)`);
  console.log(`  answer hotkey → ICE connected, ${answer.length} calls: p50 ${fmt(pct(answer, 50))}, p95 ${fmt(pct(answer, 95))}, max ${fmt(Math.max(...answer))}  (aim p95 ≤ 150 ms)`);
  console.log(`  history of ${HISTORY.toLocaleString()} calls (seeded in ${(seeded / 1000).toFixed(1)} s), 600 scroll frames: p50 ${fmt(pct(frames.durations, 50))}, p95 ${fmt(pct(frames.durations, 95))}, max ${fmt(Math.max(...frames.durations))}; ${frames.rows} rows in the DOM, scrolled ${Math.round(frames.scrolled)} px  (aim ≤ 16 ms)`);

  await browser.close();
  host.kill('SIGTERM');
  await new Promise((r) => host.once('exit', r));
  await rm(userDataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
