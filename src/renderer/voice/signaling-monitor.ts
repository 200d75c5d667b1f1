/**
 * Sees the Twilio SDK's signaling socket, which the SDK keeps private.
 *
 * Why: a Device that says `registered` may sit on a socket the edge stopped talking to (sleep, NAT
 * rebinding, a half-dead proxy). The edge sends a `"\n"` heartbeat about every 5 s and the SDK
 * itself only gives up after 15 s of silence, and its public events say nothing meanwhile. The age
 * of the last frame received is the one honest signal of health, and it costs nothing to read:
 * unlike an unregister/register probe, it never leaves the identity unregistered.
 *
 * How: the SDK's `wstransport` captures `const WebSocket = globalThis.WebSocket` when its module is
 * evaluated. `installSignalingMonitor()` replaces `globalThis.WebSocket` with a transparent subclass
 * before that happens (see `signaling-monitor-install.ts`, the first import of `twilio-device.ts`).
 * The subclass adds its own `open`/`message`/`close` listeners only to sockets whose URL path ends
 * in `/signal`; every other socket (the app's bridge socket, …) is the plain base class behaviour.
 * It never changes data, sends nothing, and a failing subscriber cannot disturb the socket. It reads
 * one kind of frame: the edge's `invite`, so the ringing call can be shown before the SDK's
 * `incoming` (see `SignalingInvite`).
 */

export type SignalingEventType = 'open' | 'frame' | 'invite' | 'close';

export interface SignalingEvent {
  type: SignalingEventType;
  /** Which signaling socket (1, 2, …): a repaired Device opens a new one. */
  socket: number;
  /** `now()` of the monitor (ms since the epoch by default). */
  at: number;
  /** `invite` only (after that frame's `frame` event): the incoming call the edge announced. */
  invite?: SignalingInvite;
}

/**
 * An incoming call as the edge's `invite` frame names it. The SDK emits `incoming` only after it has
 * built its Call and its ringtone has started playing (or 2 s passed); the engine shows the ringing
 * call from this frame at once and attaches the SDK's Call when it comes.
 */
export interface SignalingInvite {
  callSid: string;
  from: string;
  to: string;
  customParameters: Record<string, string>;
}

/** The SDK's reading of `Params` (lib/twilio/util.ts queryToJson): values decoded, `+` as space. */
function customParameters(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof query !== 'string') return out;
  for (const pair of query.split('&')) {
    const [key, value] = pair.split('=');
    if (!key) continue;
    try {
      out[key] = decodeURIComponent((value ?? '').replace(/\+/g, '%20'));
    } catch {
      out[key] = value ?? '';
    }
  }
  return out;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The incoming call a received frame announces, or null. Pure. Only frames that mention "invite"
 * are parsed; an invite the SDK would refuse as malformed (no callsid or sdp) announces nothing.
 */
export function parseInvite(data: unknown): SignalingInvite | null {
  if (typeof data !== 'string' || !data.includes('"invite"')) return null;
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return null;
  }
  if (!message || typeof message !== 'object') return null;
  const { type, payload } = message as { type?: unknown; payload?: Record<string, unknown> };
  if (type !== 'invite' || !payload || typeof payload !== 'object' || !text(payload.callsid) || !text(payload.sdp)) return null;
  const parameters = (payload.parameters && typeof payload.parameters === 'object' ? payload.parameters : {}) as Record<string, unknown>;
  return {
    callSid: text(parameters.CallSid) || text(payload.callsid),
    from: text(parameters.From),
    to: text(parameters.To),
    customParameters: customParameters(parameters.Params),
  };
}

/** What the watchdog reads; the fake in `testing/` implements the same. */
export interface SignalingSource {
  /** When the last frame (heartbeat or message) arrived on any signaling socket; null before the first. */
  readonly lastFrameAt: number | null;
  /** True while at least one signaling socket is open. */
  readonly isOpen: boolean;
  /** Calls `listener` on every open, frame and close of a signaling socket; returns the unsubscribe. */
  subscribe(listener: (event: SignalingEvent) => void): () => void;
}

export interface SignalingMonitor extends SignalingSource {
  /** How many signaling sockets were created since install (0 means the monitor cannot see the SDK). */
  readonly socketsSeen: number;
}

type WebSocketClass = typeof WebSocket;

/** Marks a monitored class, so installing twice (or after a hot reload) returns the same monitor. */
const MONITOR = Symbol.for('aesthetix.signalingMonitor');

/** `wss://host/signal` (with or without a query): the SDK always builds this path for its edge. */
export function isSignalingUrl(url: string): boolean {
  try {
    return new URL(url).pathname.endsWith('/signal');
  } catch {
    return false;
  }
}

class Monitor implements SignalingMonitor {
  lastFrameAt: number | null = null;
  socketsSeen = 0;
  private readonly open = new Set<number>();
  private readonly listeners = new Set<(event: SignalingEvent) => void>();

  constructor(private readonly now: () => number) {}

  get isOpen(): boolean {
    return this.open.size > 0;
  }

  subscribe(listener: (event: SignalingEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  track(socket: WebSocket): void {
    const id = ++this.socketsSeen;
    socket.addEventListener('open', () => {
      this.open.add(id);
      this.emit('open', id);
    });
    socket.addEventListener('message', (event: MessageEvent) => {
      this.lastFrameAt = this.now();
      this.emit('frame', id);
      const invite = parseInvite(event.data);
      if (invite) this.emit('invite', id, invite);
    });
    socket.addEventListener('close', () => {
      this.open.delete(id);
      this.emit('close', id);
    });
  }

  private emit(type: SignalingEventType, socket: number, invite?: SignalingInvite): void {
    const event: SignalingEvent = { type, socket, at: this.now(), ...(invite ? { invite } : {}) };
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('[voice] signaling monitor listener failed', error);
      }
    }
  }
}

/** The subclass and its monitor, without touching any global (for tests and for `install`). */
export function createSignalingMonitor(Base: WebSocketClass, now: () => number = Date.now): { WebSocket: WebSocketClass; monitor: SignalingMonitor } {
  const monitor = new Monitor(now);
  class MonitoredWebSocket extends Base {
    constructor(...args: ConstructorParameters<WebSocketClass>) {
      super(...args);
      if (isSignalingUrl(this.url)) monitor.track(this);
    }
  }
  // Looks like the real thing to anyone who inspects it (`WebSocket.name`, the static constants are inherited).
  Object.defineProperty(MonitoredWebSocket, 'name', { value: Base.name });
  Object.defineProperty(MonitoredWebSocket, MONITOR, { value: monitor });
  return { WebSocket: MonitoredWebSocket, monitor };
}

/**
 * Replaces `target.WebSocket` with the monitored subclass and returns the monitor; installing twice
 * returns the first monitor. Null when there is no WebSocket (then nothing is changed). Must run
 * before `@twilio/voice-sdk` is evaluated, or the SDK keeps the unmonitored class.
 */
export function installSignalingMonitor(target: { WebSocket?: WebSocketClass } = globalThis, now: () => number = Date.now): SignalingMonitor | null {
  const current = target.WebSocket;
  if (typeof current !== 'function') return null;
  const existing = (current as unknown as Record<symbol, SignalingMonitor | undefined>)[MONITOR];
  if (existing) return existing;
  const { WebSocket: Monitored, monitor } = createSignalingMonitor(current, now);
  target.WebSocket = Monitored;
  return monitor;
}
