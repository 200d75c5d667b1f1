import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../src/main/hosts/browser/server';
import { createCore } from '../../src/main/core';
import { testCorePorts, testHost } from '../support/core-ports';

let host: BrowserHost;
let rendererDir: string;
let userDataDir: string;

beforeAll(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  userDataDir = await mkdtemp(join(tmpdir(), 'userdata-'));
  host = await startBrowserHost({
    rendererDir,
    createCore: (isTrustedSender) =>
      createCore({
        appVersion: '0.0.0-test',
        // A remote cloud that is never reached: this test is about the bridge, not the cloud.
        env: { AESTHETIX_CLOUD_URL: 'http://127.0.0.1:9' },
        platform: 'test',
        isTrustedSender,
        userDataDir,
        ports: testCorePorts(),
        host: testHost,
        log: () => {},
      }),
  });
});

afterAll(async () => {
  await host.close();
  await rm(rendererDir, { recursive: true, force: true });
  await rm(userDataDir, { recursive: true, force: true });
});

/** Opens the bridge socket and resolves with the HTTP status of a refusal, or 101 when accepted. */
function connect(opts: { secret?: string; origin?: string; path?: string }): Promise<{ status: number; ws?: WebSocket }> {
  const url = new URL(opts.path ?? '/bridge', host.origin.replace('http', 'ws'));
  if (opts.secret !== undefined) url.searchParams.set('secret', opts.secret);
  const ws = new WebSocket(url, { headers: opts.origin === undefined ? {} : { Origin: opts.origin } });
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ status: 0 }));
  });
}

function call(ws: WebSocket, channel: string, input?: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const id = Math.floor(Math.random() * 1e9);
    ws.on('message', function onMessage(data) {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'result' && frame.id === id) {
        ws.off('message', onMessage);
        resolve(frame.result);
      }
    });
    ws.send(JSON.stringify({ type: 'invoke', id, channel, input }));
  });
}

describe('browser host bridge', () => {
  it('accepts our own origin with the per-run secret and serves the contract', async () => {
    const { status, ws } = await connect({ secret: host.secret, origin: host.origin });
    expect(status).toBe(101);
    expect(await call(ws!, 'app.getInfo')).toMatchObject({ ok: true, value: { host: 'browser', cloud: { mode: 'remote', url: 'http://127.0.0.1:9' } } });
    expect(await call(ws!, 'app.openExternal', 'javascript:alert(1)')).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    // A URL the page made up is refused; only the app's own links (help centre, the cloud's pages) go to the OS.
    expect(await call(ws!, 'app.openExternal', 'https://evil.example/login')).toMatchObject({ ok: false, error: { code: 'LINK_NOT_ALLOWED' } });
    expect(await call(ws!, 'app.openExternal', 'http://127.0.0.1:9/calls')).toEqual({ ok: true, value: { opened: false } });
    ws!.close();
  });

  it('searches for text that SQLite and JavaScript split differently without an error (aᦰb)', async () => {
    const { ws } = await connect({ secret: host.secret, origin: host.origin });
    expect(await call(ws!, 'search.query', { query: 'aᦰb' })).toEqual({ ok: true, value: { contacts: [], calls: [] } });
    ws!.close();
  });

  it('refuses a connection without the secret', async () => {
    expect((await connect({ origin: host.origin })).status).toBe(401);
  });

  it('refuses a wrong secret of the right length', async () => {
    const wrong = host.secret.replace(/./, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await connect({ secret: wrong, origin: host.origin })).status).toBe(401);
  });

  it('refuses another origin even with the secret', async () => {
    expect((await connect({ secret: host.secret, origin: 'https://evil.example' })).status).toBe(403);
    expect((await connect({ secret: host.secret, origin: 'http://localhost:1' })).status).toBe(403);
    expect((await connect({ secret: host.secret })).status).toBe(403);
  });

  it('closes a socket that sends a malformed frame', async () => {
    const { ws } = await connect({ secret: host.secret, origin: host.origin });
    const closed = new Promise<number>((resolve) => ws!.once('close', (code) => resolve(code)));
    ws!.send('{"type":"invoke","id":-1}');
    expect(await closed).toBe(1007);
  });

  it('serves the renderer with a strict CSP and refuses other host names and path escapes', async () => {
    const page = await fetch(`${host.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const escape = await fetch(`${host.origin}/..%2f..%2fetc%2fpasswd`);
    expect([400, 404]).toContain(escape.status);
    const post = await fetch(`${host.origin}/`, { method: 'POST' });
    expect(post.status).toBe(405);
  });
});

describe('browser host while its services start', () => {
  /** A host whose core tells its origins at once and is ready only when `release` is called (or fails with `fail`). */
  async function startGated(): Promise<{ started: Promise<BrowserHost>; servable: Promise<string>; release(): void; fail(error: Error): void; dir: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'userdata-gated-'));
    let gate: { release(): void; fail(error: Error): void } = { release: () => undefined, fail: () => undefined };
    const opened = new Promise<void>((resolve, reject) => (gate = { release: resolve, fail: reject }));
    let servableAt: (url: string) => void = () => undefined;
    const servable = new Promise<string>((resolve) => (servableAt = resolve));
    const started = startBrowserHost({
      rendererDir,
      onServable: servableAt,
      createCore: async (isTrustedSender, onConnectOrigins) => {
        onConnectOrigins(['http://127.0.0.1:9', 'https://127.0.0.1:10']);
        await opened;
        return createCore({
          appVersion: '0.0.0-test',
          env: { AESTHETIX_CLOUD_URL: 'http://127.0.0.1:9' },
          platform: 'test',
          isTrustedSender,
          userDataDir: dir,
          ports: testCorePorts(),
          host: testHost,
          log: () => {},
        });
      },
      log: () => {},
    });
    return { started, servable, release: gate.release, fail: gate.fail, dir };
  }

  it('serves the page with the CSP it was told before the core is ready; the bridge opens once it is', async () => {
    const gated = await startGated();
    let ready: BrowserHost | undefined;
    try {
      const url = new URL(await gated.servable);
      const page = await fetch(url.origin);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain('connect-src');
      expect(page.headers.get('content-security-policy')).toContain('https://127.0.0.1:10 wss://127.0.0.1:10');

      // The bridge's upgrade is held, not refused, until the services are ready.
      const secret = url.hash.slice(1).split('=')[1]!;
      const socketUrl = new URL('/bridge', url.origin.replace('http', 'ws'));
      socketUrl.searchParams.set('secret', secret);
      const ws = new WebSocket(socketUrl, { headers: { Origin: url.origin } });
      let opened = false;
      const open = new Promise<void>((resolve, reject) => {
        ws.once('open', () => ((opened = true), resolve()));
        ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(opened).toBe(false);
      gated.release();
      ready = await gated.started;
      await open;
      expect(await call(ws, 'app.getInfo')).toMatchObject({ ok: true, value: { host: 'browser' } });
      ws.close();
    } finally {
      gated.release();
      await (ready ?? (await gated.started.catch(() => undefined)))?.close();
      await rm(gated.dir, { recursive: true, force: true });
    }
  });

  it('refuses the waiting bridge and the page with 503 when the core fails to start, and stops listening', async () => {
    const gated = await startGated();
    try {
      const url = new URL(await gated.servable);
      const secret = url.hash.slice(1).split('=')[1]!;
      const socketUrl = new URL('/bridge', url.origin.replace('http', 'ws'));
      socketUrl.searchParams.set('secret', secret);
      const ws = new WebSocket(socketUrl, { headers: { Origin: url.origin } });
      const refused = new Promise<number>((resolve) => {
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('error', () => resolve(0));
      });
      gated.fail(new Error('the embedded cloud could not start'));
      await expect(gated.started).rejects.toThrow('the embedded cloud could not start');
      expect([0, 503]).toContain(await refused);
      await expect(fetch(url.origin)).rejects.toThrow();
    } finally {
      await rm(gated.dir, { recursive: true, force: true });
    }
  });
});
