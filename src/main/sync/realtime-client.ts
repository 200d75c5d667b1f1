import WebSocket from 'ws';
import { serverMessageSchema, type ServerMessage } from '../../shared/cloud';
import type { Clock, TimerHandle } from '../../shared/time/clock';
import { backoffDelay } from './backoff';

export type RealtimeState = 'connecting' | 'connected' | 'disconnected';

export interface RealtimeClientOptions {
  url: () => string;
  /** A fresh access token for each (re)connect: tokens are short-lived. */
  accessToken: () => Promise<string>;
  clock: Clock;
  onMessage: (message: ServerMessage) => void;
  onState?: (state: RealtimeState) => void;
  random?: () => number;
  /** Ping this often; a socket silent for twice as long is treated as dead. */
  pingIntervalMs?: number;
  createSocket?: (url: string, token: string) => WebSocket;
}

/**
 * The cloud's realtime socket: pokes ("something you can see changed"), incoming-call screen pops and
 * notifications. Reconnects with backoff and jitter; a socket that goes quiet (sleep, a dead NAT
 * mapping) is detected by ping age rather than waiting for TCP to notice.
 */
export class RealtimeClient {
  private socket: WebSocket | undefined;
  private running = false;
  private attempts = 0;
  private reconnectTimer: TimerHandle | undefined;
  private pingTimer: TimerHandle | undefined;
  private lastHeardAt = 0;
  private state: RealtimeState = 'disconnected';

  constructor(private readonly options: RealtimeClientOptions) {}

  get currentState(): RealtimeState {
    return this.state;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    this.clearTimers();
    this.socket?.terminate();
    this.socket = undefined;
    this.setState('disconnected');
  }

  /** Drop the current socket and connect again now (network change, power resume). */
  reconnectNow(): void {
    if (!this.running) return;
    this.attempts = 0;
    this.socket?.terminate();
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    this.setState('connecting');
    let token: string;
    try {
      token = await this.options.accessToken();
    } catch {
      this.scheduleReconnect();
      return;
    }
    if (!this.running) return;
    const url = this.options.url();
    const socket = this.options.createSocket?.(url, token) ?? new WebSocket(url, { headers: { Authorization: `Bearer ${token}` }, handshakeTimeout: 10_000 });
    this.socket = socket;
    socket.on('open', () => {
      this.attempts = 0;
      this.lastHeardAt = this.options.clock.now();
      this.setState('connected');
      this.schedulePing();
    });
    socket.on('message', (data) => {
      this.lastHeardAt = this.options.clock.now();
      let json: unknown;
      try {
        json = JSON.parse(data.toString());
      } catch {
        return;
      }
      const parsed = serverMessageSchema.safeParse(json);
      if (parsed.success) this.options.onMessage(parsed.data);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.clearTimers();
      this.setState('disconnected');
      this.scheduleReconnect();
    });
  }

  private schedulePing(): void {
    const interval = this.options.pingIntervalMs ?? 25_000;
    this.pingTimer = this.options.clock.setTimeout(() => {
      const socket = this.socket;
      if (!socket || socket.readyState !== WebSocket.OPEN) return;
      if (this.options.clock.now() - this.lastHeardAt > 2 * interval) {
        socket.terminate();
        return;
      }
      socket.send(JSON.stringify({ type: 'ping' }));
      this.schedulePing();
    }, interval);
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    const delay = backoffDelay(this.attempts, this.options.random, 500, 30_000);
    this.attempts += 1;
    this.reconnectTimer = this.options.clock.setTimeout(() => void this.connect(), delay);
  }

  private clearTimers(): void {
    if (this.pingTimer !== undefined) this.options.clock.clearTimeout(this.pingTimer);
    if (this.reconnectTimer !== undefined) this.options.clock.clearTimeout(this.reconnectTimer);
    this.pingTimer = undefined;
    this.reconnectTimer = undefined;
  }

  private setState(state: RealtimeState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onState?.(state);
  }
}
