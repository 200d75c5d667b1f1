import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  BRIDGE_FRAGMENT_KEY,
  BRIDGE_PATH,
  BRIDGE_SECRET_PARAM,
  bridgeClientFrameSchema,
  type BridgeServerFrame,
} from '../../../shared/ipc';
import { buildCsp } from '../../../shared/security/csp';
import type { Core } from '../../core';
import { createSenderPolicy, type SenderPolicy } from '../../ipc/router';
import { serveStatic } from './static-files';

export interface BrowserHostOptions {
  rendererDir: string;
  /** Builds the main-process services once the host knows which senders to trust. */
  createCore(isTrustedSender: SenderPolicy): Core | Promise<Core>;
  port?: number;
  /** Only loopback addresses are accepted: the bridge carries the receptionist's session. */
  host?: '127.0.0.1' | '::1' | 'localhost';
  secret?: string;
}

export interface BrowserHost {
  /** Open this in Chromium: it carries the bridge secret in its fragment. */
  url: string;
  origin: string;
  secret: string;
  core: Core;
  close(): Promise<void>;
}

const MAX_FRAME_BYTES = 1024 * 1024;

function sameSecret(given: string | null, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuseUpgrade(socket: Socket, status: 401 | 403 | 404, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Runs the main-process services under plain Node and serves the built renderer to any Chromium on
 * loopback, with the IPC contract carried on an authenticated WebSocket. Used by E2E tests and on
 * machines without a display or an Electron binary.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const bindHost = options.host ?? '127.0.0.1';
  const sockets = new Map<number, WebSocket>();
  let nextSocketId = 1;
  let origin = '';

  const policy = createSenderPolicy({
    isOwnWindow: (id) => sockets.has(id),
    isOwnPage: (url) => url.origin === origin,
  });
  const core = await options.createCore(policy);

  const server: Server = createServer((req, res) => {
    const headers = {
      'Content-Security-Policy': buildCsp({ connect: [origin, ...core.connectOrigins()] }),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
    };
    // Refuse requests addressed to another host name (DNS-rebinding protection).
    if (req.headers.host !== new URL(origin).host) {
      res.writeHead(421, headers).end('Misdirected request');
      return;
    }
    serveStatic(options.rendererDir, req, res, headers).catch(() => {
      if (!res.headersSent) res.writeHead(500, headers);
      res.end();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== BRIDGE_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (req.headers.origin !== origin || req.headers.host !== new URL(origin).host) {
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    if (!sameSecret(url.searchParams.get(BRIDGE_SECRET_PARAM), secret)) {
      return refuseUpgrade(socket, 401, 'Unauthorized');
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  const send = (ws: WebSocket, frame: BridgeServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };

  const removeSink = core.events.addSink((event, payload) => {
    for (const ws of sockets.values()) send(ws, { type: 'event', event, payload });
  });

  function attach(ws: WebSocket): void {
    const id = nextSocketId++;
    sockets.set(id, ws);
    ws.on('close', () => sockets.delete(id));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'Text frames only');
      let frame;
      try {
        frame = bridgeClientFrameSchema.parse(JSON.parse(data.toString()));
      } catch {
        return ws.close(1007, 'Malformed frame');
      }
      const sender = { id, isMainFrame: true, frameUrl: origin };
      void core.router
        .dispatch(frame.channel, sender, frame.input)
        .then((result) => send(ws, { type: 'result', id: frame.id, result }));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${hostPart}:${address.port}`;

  return {
    url: `${origin}/#${BRIDGE_FRAGMENT_KEY}=${secret}`,
    origin,
    secret,
    core,
    async close() {
      removeSink();
      for (const ws of sockets.values()) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.dispose();
    },
  };
}
