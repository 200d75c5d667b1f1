import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { BRIDGE_FRAGMENT_KEY, BRIDGE_PATH, BRIDGE_SECRET_PARAM } from '../../../shared/ipc';
import { buildCsp } from '../../../shared/security/csp';
import type { Core } from '../../core';
import { createSenderPolicy, type SenderPolicy } from '../../ipc/router';
import { BridgeClose, DEFAULT_BRIDGE_LIMITS, sendFrame, serveBridgeSocket, type BridgeLimits } from './bridge-socket';
import { StaticFiles } from './static-files';

export interface BrowserHostOptions {
  rendererDir: string;
  /**
   * Builds the main-process services once the host knows which senders to trust. It may tell
   * `onConnectOrigins` the CSP's connect origins before it is ready: the page is served from then
   * on, while the services start (the bridge socket waits for them). Otherwise the page waits.
   */
  createCore(isTrustedSender: SenderPolicy, onConnectOrigins: (origins: string[]) => void): Core | Promise<Core>;
  /** Told the URL to open once the page can be served, possibly before the services are ready. */
  onServable?: (url: string) => void;
  port?: number;
  /** Only loopback addresses are accepted: the bridge carries the receptionist's session. */
  host?: '127.0.0.1' | '::1' | 'localhost';
  secret?: string;
  /** Tests lower these to reach them quickly; the defaults suit a page or two. */
  limits?: Partial<BridgeLimits>;
  log?: (message: string) => void;
}

export interface BrowserHost {
  /** Open this in Chromium: it carries the bridge secret in its fragment. */
  url: string;
  origin: string;
  secret: string;
  core: Core;
  close(): Promise<void>;
}

function sameSecret(given: string | null, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

const REASONS = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' } as const;

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
} as const;
/** For answers that are not the page (nothing in them may run or load anything). */
const REFUSAL_HEADERS = { ...SECURITY_HEADERS, 'Content-Security-Policy': "default-src 'none'" };

/** Answers an upgrade we will not accept, then closes the socket once the answer is written. */
function refuseUpgrade(socket: Duplex, status: keyof typeof REASONS): void {
  if (!socket.writable) return void socket.destroy();
  const extra = status === 503 ? 'Retry-After: 1\r\n' : '';
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${REASONS[status]}\r\n${extra}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Runs the main-process services under plain Node and serves the built renderer to any Chromium on
 * loopback, with the IPC contract carried on an authenticated WebSocket. Used by E2E tests and on
 * machines without a display or an Electron binary. Any local process can reach the port, so nothing
 * it sends may end or wedge the host: every socket has an error listener, and connections, requests
 * in flight and message sizes are bounded (bridge-socket.ts).
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const bindHost = options.host ?? '127.0.0.1';
  const limits: BridgeLimits = { ...DEFAULT_BRIDGE_LIMITS, ...options.limits };
  const log = options.log ?? ((message: string) => console.warn(message));
  const sockets = new Map<number, WebSocket>();
  let nextSocketId = 1;
  let origin = '';
  let ownHost = '';
  let openUrl = '';
  /** Upgrades that passed every check and wait for the core. */
  let waitingUpgrades = 0;

  const policy = createSenderPolicy({
    isOwnWindow: (id) => sockets.has(id),
    isOwnPage: (pageUrl) => pageUrl.origin === origin,
  });
  // The page's headers, once the connect origins are known; undefined if the core failed first.
  let pageHeaders: Record<string, string> | undefined;
  let settlePage: (headers: Record<string, string> | undefined) => void = () => undefined;
  const pageServable = new Promise<Record<string, string> | undefined>((resolve) => (settlePage = resolve));
  const tellConnectOrigins = (origins: string[]) => {
    if (pageHeaders) return;
    pageHeaders = { ...SECURITY_HEADERS, 'Content-Security-Policy': buildCsp({ connect: [origin, ...origins] }) };
    settlePage(pageHeaders);
    options.onServable?.(openUrl);
  };

  // The services: started once the listener is up (the page and the senders' policy need its origin).
  let settleCore: { resolve(core: Core): void; reject(error: unknown): void } = { resolve: () => undefined, reject: () => undefined };
  const coreStart = new Promise<Core>((resolve, reject) => (settleCore = { resolve, reject }));

  const staticFiles = new StaticFiles(options.rendererDir);
  const handleRequest = (req: IncomingMessage, res: ServerResponse) => {
    // Refuse requests addressed to another host name (DNS-rebinding protection).
    if (req.headers.host !== ownHost) {
      res.writeHead(421, REFUSAL_HEADERS).end('Misdirected request');
      return;
    }
    void pageServable.then((headers) => {
      if (!headers) return void res.writeHead(503, REFUSAL_HEADERS).end('The softphone could not start.');
      try {
        staticFiles.serve(req, res, headers);
      } catch {
        // A file that could not be read (its permissions, or replaced mid-read by a rebuild).
        if (!res.headersSent) res.writeHead(500, headers);
        res.end();
      }
    });
  };
  const server: Server = createServer(
    {
      // Slow-header connections are dropped quickly, so idle sockets cannot hold every slot for long.
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.headersTimeoutMs * 3,
      connectionsCheckingInterval: Math.min(limits.headersTimeoutMs, 5_000),
    },
    handleRequest,
  );
  // Past this many connections Node closes new ones at once; it also keeps accept() clear of the fd limit.
  server.maxConnections = limits.maxTcpConnections;
  // accept() failures (EMFILE…) arrive here; without a listener they would end the process.
  server.on('error', (error: Error & { code?: string }) => log(`Browser host server error (${error.code ?? error.message})`));

  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A peer that resets the connection while we answer must not take the host with it.
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      return refuseUpgrade(socket, 400);
    }
    if (url.pathname !== BRIDGE_PATH) return refuseUpgrade(socket, 404);
    if (req.headers.origin !== origin || req.headers.host !== ownHost) return refuseUpgrade(socket, 403);
    if (!sameSecret(url.searchParams.get(BRIDGE_SECRET_PARAM), secret)) return refuseUpgrade(socket, 401);
    if (sockets.size + waitingUpgrades >= limits.maxSockets) return refuseUpgrade(socket, 503);
    // The page may be open before the services are ready: its bridge opens when they are.
    waitingUpgrades++;
    void coreStart.then(
      (core) => {
        waitingUpgrades--;
        if (socket.destroyed) return;
        wss.handleUpgrade(req, socket, head, (ws) => attach(ws, core));
      },
      () => {
        waitingUpgrades--;
        refuseUpgrade(socket, 503);
      },
    );
  });

  function attach(ws: WebSocket, core: Core): void {
    // Two upgrades may pass the count check before either completes.
    if (sockets.size >= limits.maxSockets) {
      ws.on('error', () => undefined);
      return ws.close(BridgeClose.tryAgainLater, 'Too many connections');
    }
    const id = nextSocketId++;
    sockets.set(id, ws);
    ws.on('close', () => {
      sockets.delete(id);
      // The page's unsaved edits (app.reportUnsaved) went with its connection.
      core.quit.windowGone(id);
    });
    const sender = { id, isMainFrame: true, frameUrl: origin };
    serveBridgeSocket(ws, { limits, log, dispatch: (channel, input) => core.router.dispatch(channel, sender, input) });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${hostPart}:${address.port}`;
  ownHost = new URL(origin).host;
  openUrl = `${origin}/#${BRIDGE_FRAGMENT_KEY}=${secret}`;

  const stopServing = async () => {
    for (const ws of sockets.values()) ws.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  Promise.resolve()
    .then(() => options.createCore(policy, tellConnectOrigins))
    .then(settleCore.resolve, settleCore.reject);
  let core: Core;
  try {
    core = await coreStart;
  } catch (error) {
    settlePage(undefined);
    await stopServing();
    throw error;
  }
  // A core that never told its origins early: the page is served from now on. One that did must have
  // told the same ones (a page already loaded keeps the CSP it was given).
  const early = pageHeaders?.['Content-Security-Policy'];
  tellConnectOrigins(core.connectOrigins());
  if (early && early !== buildCsp({ connect: [origin, ...core.connectOrigins()] })) log('The CSP told before the start differs from the running services\' origins: reload the page.');
  const removeSink = core.events.addSink((event, payload) => {
    for (const ws of sockets.values()) sendFrame(ws, { type: 'event', event, payload }, limits);
  });

  return {
    url: openUrl,
    origin,
    secret,
    core,
    async close() {
      removeSink();
      await stopServing();
      await core.dispose();
    },
  };
}
