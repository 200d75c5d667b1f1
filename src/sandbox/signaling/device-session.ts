// One signaling WebSocket from one SDK Device: authenticates `listen`, answers `register`,
// keeps heartbeats flowing, and hands call frames to the call engine.
import type { WebSocket } from 'ws';
import type { TokenCheck, VerifiedToken } from '../auth/access-token';
import type { EventLog } from '../events/event-log';
import { HOME_REGION } from '../tls/twilio-hostnames';
import { clientMessageSchema, PSTREAM_VERSION, type ClientMessage, type EdgeMessageType } from './pstream-messages';

export interface SessionHooks {
  verifyToken(jwt: string): TokenCheck;
  onCallFrame(session: DeviceSession, message: Exclude<ClientMessage, { type: 'listen' | 'register' }>): void;
  onRegistrationChange(session: DeviceSession): void;
  onClosed(session: DeviceSession): void;
}

export interface SessionTimings {
  heartbeatMs: number;
  /** The edge this socket reached (from its Host), reported in `connected` as Twilio does. */
  edge?: string;
}

let nextSessionId = 1;

export class DeviceSession {
  readonly id = `ds${nextSessionId++}`;
  token: VerifiedToken | null = null;
  registered = false;
  heartbeatsStopped = false;
  private heartbeat: NodeJS.Timeout;
  private expiry: NodeJS.Timeout | null = null;
  private open = true;

  constructor(
    private readonly socket: WebSocket,
    private readonly hooks: SessionHooks,
    private readonly events: EventLog,
    private readonly timings: SessionTimings,
  ) {
    this.heartbeat = setInterval(() => {
      if (!this.heartbeatsStopped && this.open) socket.send('\n');
    }, timings.heartbeatMs);
    socket.on('message', (data, isBinary) => this.receive(isBinary ? '' : data.toString()));
    socket.on('close', () => this.closed());
    socket.on('error', () => this.closed());
    events.emitEvent('signal.connect', { session: this.id });
  }

  get identity(): string | null {
    return this.token?.identity ?? null;
  }

  /** Can ring: authenticated, registered, and allowed incoming calls by its token. */
  get reachable(): boolean {
    return this.open && this.registered && this.token !== null && this.token.incomingAllowed;
  }

  send(type: EdgeMessageType, payload: Record<string, unknown>): void {
    if (!this.open) return;
    this.events.emitEvent('signal.out', { session: this.id, identity: this.identity, message: type, callsid: payload.callsid });
    this.socket.send(JSON.stringify({ type, version: PSTREAM_VERSION, payload }));
  }

  sendError(code: number, message: string, callsid?: string): void {
    this.send('error', { ...(callsid ? { callsid } : {}), error: { code, message } });
  }

  /** Fault: the token expires now, as if its exp had passed. */
  expireToken(): void {
    if (!this.token) return;
    this.token = null;
    this.registered = false;
    this.sendError(31205, 'JWT Token Expired');
    this.hooks.onRegistrationChange(this);
  }

  /** Fault: the connection drops without a close handshake. */
  drop(): void {
    this.socket.terminate();
    this.closed();
  }

  close(): void {
    this.socket.close();
    this.closed();
  }

  private receive(text: string): void {
    if (text === '\n') return; // heartbeat echo from the client
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.events.emitEvent('signal.invalid', { session: this.id, reason: 'not JSON' });
      return;
    }
    const parsed = clientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.events.emitEvent('signal.invalid', { session: this.id, reason: parsed.error.message.slice(0, 300), raw });
      return;
    }
    const message = parsed.data;
    this.events.emitEvent('signal.in', { session: this.id, identity: this.identity, message: message.type, callsid: 'callsid' in message.payload ? message.payload.callsid : undefined });
    switch (message.type) {
      case 'listen':
        return this.listen(message.payload.token);
      case 'register':
        return this.register(message.payload.media.audio === true);
      default:
        if (!this.token) return this.sendError(31204, 'Invalid token: not authenticated', 'callsid' in message.payload ? message.payload.callsid : undefined);
        return this.hooks.onCallFrame(this, message);
    }
  }

  private listen(jwt: string): void {
    const check = this.hooks.verifyToken(jwt);
    if (!check.ok) {
      this.token = null;
      this.events.emitEvent('device.auth-failed', { session: this.id, code: check.code, reason: check.message });
      return this.sendError(check.code, check.message);
    }
    const identityChanged = this.token !== null && this.token.identity !== check.token.identity;
    this.token = check.token;
    if (identityChanged) this.registered = false;
    this.scheduleExpiry();
    const ttl = Math.max(0, Math.floor((check.token.expiresAt - Date.now()) / 1000));
    // As Twilio: the AWS-style region name, the home region (the SDK posts Insights to
    // eventgw.<home>.twilio.com) and the edge actually reached.
    this.send('connected', {
      region: 'US_EAST_VIRGINIA',
      home: HOME_REGION,
      edge: this.timings.edge ?? 'ashburn',
      gateway: 'sandbox.gll',
      token: { identity: check.token.identity, ttl },
    });
    this.events.emitEvent('device.connected', { session: this.id, identity: check.token.identity, ttl });
  }

  private register(audio: boolean): void {
    if (!this.token) return this.sendError(31204, 'Invalid token: register before listen');
    if (audio) {
      this.registered = true;
      this.send('ready', {});
      this.events.emitEvent('device.registered', { session: this.id, identity: this.identity });
    } else {
      this.registered = false;
      this.send('offline', {});
      this.events.emitEvent('device.unregistered', { session: this.id, identity: this.identity });
    }
    this.hooks.onRegistrationChange(this);
  }

  private scheduleExpiry(): void {
    if (this.expiry) clearTimeout(this.expiry);
    const token = this.token;
    if (!token) return;
    // setTimeout overflows past ~24.8 days; tokens never live that long.
    this.expiry = setTimeout(() => this.expireToken(), Math.min(token.expiresAt - Date.now(), 2 ** 31 - 1));
  }

  private closed(): void {
    if (!this.open) return;
    this.open = false;
    this.registered = false;
    clearInterval(this.heartbeat);
    if (this.expiry) clearTimeout(this.expiry);
    this.events.emitEvent('signal.disconnect', { session: this.id, identity: this.identity });
    this.hooks.onClosed(this);
  }
}
