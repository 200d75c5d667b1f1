// Test support: real @twilio/voice-sdk Devices in headless Chromium, talking to a sandbox.
// Every request that is not to loopback is blocked and recorded, so tests can assert none.
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { HARNESS_SCRIPT, harnessHtml } from './harness-page';
import { waitForEvent } from '../../shared/time/wait-for-event';

const ROOT = new URL('../../../', import.meta.url).pathname;
export const SDK_BUNDLE = join(ROOT, 'node_modules/@twilio/voice-sdk/dist/twilio.min.js');
const SOUNDS = join(ROOT, 'resources/sounds');

export interface HarnessEvent {
  type: string;
  at: number;
  deviceId?: string;
  callId?: string;
  callSid?: string;
  [key: string]: unknown;
}

export interface BrowserOptions {
  /** Extra Chromium flags, e.g. a --host-resolver-rules mapping. */
  extraArgs?: string[];
  /** Another build of the SDK (e.g. an older release fetched into .tmp); default: the pinned one. */
  sdkBundle?: string;
  /**
   * Twilio hostnames a --host-resolver-rules flag sends to the sandbox: requests to them are let
   * through (to loopback) and listed in `mappedRequests` instead of being blocked.
   */
  mappedHosts?: readonly string[];
}

function serveHarness(sdkBundle: string): Promise<Server> {
  if (!existsSync(sdkBundle)) throw new Error(`SDK bundle missing: ${sdkBundle}`);
  const bundle = readFileSync(sdkBundle);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/' || path === '/index.html') return res.writeHead(200, { 'content-type': 'text/html' }).end(harnessHtml());
    if (path === '/twilio.min.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    if (path === '/harness.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(HARNESS_SCRIPT);
    const sound = /^\/sounds\/([a-z0-9]+\.wav)$/.exec(path);
    if (sound && existsSync(join(SOUNDS, sound[1] ?? ''))) return res.writeHead(200, { 'content-type': 'audio/wav' }).end(readFileSync(join(SOUNDS, sound[1] ?? '')));
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class SdkBrowser extends EventEmitter<{ event: [HarnessEvent] }> {
  readonly events: HarnessEvent[] = [];
  /** Requests to anything but loopback (blocked). Twilio hostnames mapped by a resolver rule are listed separately. */
  readonly nonLoopbackRequests: string[] = [];
  /** Requests to Twilio hostnames that the resolver rules map to the sandbox (allowed). */
  readonly mappedRequests: string[] = [];

  private constructor(
    private readonly browser: Browser,
    private readonly context: BrowserContext,
    readonly page: Page,
    private readonly server: Server,
    private readonly userDataDir: string,
  ) {
    super();
    this.setMaxListeners(0);
  }

  static async launch(opts: BrowserOptions = {}): Promise<SdkBrowser> {
    const server = await serveHarness(opts.sdkBundle ?? SDK_BUNDLE);
    const mapped = new Set(opts.mappedHosts ?? []);
    const userDataDir = mkdtempSync(join(tmpdir(), 'sandbox-chromium-'));
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--ignore-certificate-errors',
        '--allow-loopback-in-peer-connection', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
        '--autoplay-policy=no-user-gesture-required', `--disk-cache-dir=${join(userDataDir, 'cache')}`, ...(opts.extraArgs ?? []),
      ],
    });
    const context = await browser.newContext({ ignoreHTTPSErrors: true, permissions: ['microphone'] });
    const page = await context.newPage();
    const harness = new SdkBrowser(browser, context, page, server, userDataDir);
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (LOOPBACK.has(url.hostname)) return route.continue();
      if (mapped.has(url.hostname)) {
        harness.mappedRequests.push(route.request().url());
        return route.continue();
      }
      harness.nonLoopbackRequests.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    await page.exposeFunction('harnessEvent', (json: string) => {
      const event = JSON.parse(json) as HarnessEvent;
      harness.events.push(event);
      harness.emit('event', event);
    });
    page.on('pageerror', (e) => harness.events.push({ type: 'page.error', at: Date.now(), message: String(e) }));
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => 'harness' in globalThis && 'Twilio' in globalThis);
    return harness;
  }

  /** Waits for the first matching event logged after `since` (an index into `events`). */
  waitFor(predicate: (e: HarnessEvent) => boolean, opts: { timeoutMs?: number; since?: number } = {}): Promise<HarnessEvent> {
    return waitForEvent<HarnessEvent>(this, 'event', predicate, {
      past: this.events.slice(opts.since ?? 0),
      timeoutMs: opts.timeoutMs ?? 15_000,
      timeoutMessage: () => `timed out waiting for browser event (${predicate.toString().slice(0, 160)}); last: ${JSON.stringify(this.events.slice(-5))}`,
    });
  }

  /** Runs harness.<method>(...args) in the page. */
  call<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
    return this.page.evaluate(([m, a]) => (globalThis as unknown as { harness: Record<string, (...x: unknown[]) => unknown> }).harness[m as string]!(...(a as unknown[])), [method, args] as const) as Promise<T>;
  }

  async createDevice(deviceId: string, token: string, edgeHost: string | null, extra: Record<string, unknown> = {}): Promise<void> {
    const options = edgeHost ? { chunderw: edgeHost, eventgw: edgeHost, publishEvents: false, ...extra } : { publishEvents: false, ...extra };
    await this.call('createDevice', deviceId, token, options);
  }

  async registerDevice(deviceId: string): Promise<void> {
    const since = this.events.length;
    await this.call('register', deviceId);
    await this.waitFor((e) => e.type === 'device.registered' && e.deviceId === deviceId, { since });
  }

  audioStats(
    callId: string,
  ): Promise<{ packetsReceived: number; packetsSent: number; totalAudioEnergy: number; audioLevel: number; iceState: string; codec: string; inboundCodec: string; outboundCodec: string } | null> {
    return this.call('audioStats', callId);
  }

  /** Resolves once the call's RTP stats show audible received audio (checked in the page; WebRTC has no event for it). */
  async waitForInboundAudio(callId: string, minEnergy = 0.0005, timeoutMs = 10_000): Promise<void> {
    const ok = await this.call<boolean>('waitForInboundAudio', callId, minEnergy, timeoutMs);
    if (!ok) throw new Error(`no inbound audio on ${callId}: ${JSON.stringify(await this.audioStats(callId))}`);
  }

  /** Resolves once the call has received at least `minPackets` RTP packets in total. */
  async waitForPackets(callId: string, minPackets: number, timeoutMs = 10_000): Promise<void> {
    const ok = await this.call<boolean>('waitForPackets', callId, minPackets, timeoutMs);
    if (!ok) throw new Error(`fewer than ${minPackets} packets on ${callId}: ${JSON.stringify(await this.audioStats(callId))}`);
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    await this.browser.close().catch(() => undefined);
    await new Promise((r) => this.server.close(r));
    rmSync(this.userDataDir, { recursive: true, force: true });
  }
}
