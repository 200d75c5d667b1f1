// Test support: a loopback HTTP server standing in for the cloud API's webhook endpoints. It
// checks every request with twilio.validateRequest and records it.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import twilio from 'twilio';
import { waitForEvent } from '../../shared/time/wait-for-event';

export interface WebhookHit {
  path: string;
  method: string;
  params: Record<string, string>;
  signatureValid: boolean;
  at: number;
}

export type WebhookHandler = (hit: WebhookHit) => string | { status: number; body?: string | Buffer; contentType?: string };

export class WebhookApp extends EventEmitter<{ hit: [WebhookHit] }> {
  readonly hits: WebhookHit[] = [];
  private readonly handlers = new Map<string, WebhookHandler>();

  private constructor(
    private readonly server: Server,
    private readonly authToken: string,
  ) {
    super();
    this.setMaxListeners(0);
  }

  static async start(authToken: string): Promise<WebhookApp> {
    const server = createServer();
    const app = new WebhookApp(server, authToken);
    server.on('request', (req, res) => void app.handle(req).then(({ status, body, contentType }) => res.writeHead(status, { 'content-type': contentType }).end(body)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return app;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /** Serve this path with TwiML (or a status, or any body such as audio); unknown paths get an empty <Response/>. */
  route(path: string, handler: WebhookHandler | string): this {
    this.handlers.set(path, typeof handler === 'string' ? () => handler : handler);
    return this;
  }

  waitForHit(predicate: (h: WebhookHit) => boolean, timeoutMs = 15_000): Promise<WebhookHit> {
    return waitForEvent<WebhookHit>(this, 'hit', predicate, {
      past: this.hits,
      timeoutMs,
      timeoutMessage: () => `no webhook hit matched; got ${this.hits.map((h) => h.path).join(', ')}`,
    });
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: string | Buffer; contentType: string }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', this.baseUrl);
    const body = Buffer.concat(chunks).toString('utf8');
    const params = Object.fromEntries(Object.entries(req.method === 'GET' ? Object.fromEntries(url.searchParams) : parseQuery(body)).map(([k, v]) => [k, String(v)]));
    const signature = String(req.headers['x-twilio-signature'] ?? '');
    const signatureValid = twilio.validateRequest(this.authToken, signature, url.toString(), req.method === 'GET' ? {} : params);
    const hit: WebhookHit = { path: url.pathname, method: req.method ?? '', params, signatureValid, at: Date.now() };
    this.hits.push(hit);
    this.emit('hit', hit);
    const handler = this.handlers.get(url.pathname);
    const result = handler ? handler(hit) : '<Response/>';
    return typeof result === 'string'
      ? { status: 200, body: result, contentType: 'text/xml' }
      : { status: result.status, body: result.body ?? '', contentType: result.contentType ?? 'text/xml' };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}
