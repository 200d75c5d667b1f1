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
 *
 * Our frame first (issue #21): on an invite the monitor may hold the SDK's own listeners of that
 * socket (`FrameGate`) until the ringing panel the invite put on screen has been painted, so the
 * SDK's invite handling (its Call, its ringtone) runs after that frame instead of before it. Every
 * event the SDK is given — that invite, frames received meanwhile, a close — reaches it exactly once
 * and in the order the socket received it. Only listeners added with `addEventListener` after the
 * socket was created are held (the SDK's `wstransport`); `on…` handler properties are not.
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

/**
 * Calls `release` once the frame that paints what the invite put on screen has been painted.
 * Calling it at once (e.g. in a hidden page, where no frame comes) holds nothing.
 */
export type HoldScheduler = (release: () => void) => void;

/** The default: nothing is held, the SDK sees each event as the socket delivers it. */
const holdNothing: HoldScheduler = (release) => release();

/** The events of a signaling socket whose delivery to the SDK is held and kept in order. */
const GATED_EVENTS = new Set(['open', 'message', 'close', 'error']);

/** What a listener throws is reported as the browser would, and the rest are still delivered. */
function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === 'function') report(error);
  else console.error(error);
}

/**
 * One socket's events for its held listeners: delivered straight through while open; while held (and
 * until what was queued is delivered) queued, then delivered one event per task in arrival order —
 * each to all its listeners, as the socket's own dispatch would — so what one event starts
 * (promises) settles before the next, as with the socket's own tasks.
 */
class FrameGate {
  private readonly queue: Array<{ event: Event; runs: Array<() => void> }> = [];
  private held = false;
  private drainTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly scheduleRelease: HoldScheduler) {}

  /** `run` gives `event` to one held listener, now or in its turn. */
  deliver(event: Event, run: () => void): void {
    if (!this.held && this.queue.length === 0) return run();
    const last = this.queue.at(-1);
    if (last?.event === event) last.runs.push(run);
    else this.queue.push({ event, runs: [run] });
  }

  hold(): void {
    if (this.held) return;
    this.held = true;
    this.scheduleRelease(() => this.release());
  }

  private release(): void {
    if (!this.held) return;
    this.held = false;
    this.drain();
  }

  private drain(): void {
    this.drainTimer = null;
    if (this.held) return;
    const next = this.queue.shift();
    if (!next) return;
    for (const run of next.runs) {
      try {
        run();
      } catch (error) {
        reportListenerError(error);
      }
    }
    if (this.queue.length > 0 && !this.held && this.drainTimer === null) this.drainTimer = setTimeout(() => this.drain(), 0);
  }
}

type Listener = EventListenerOrEventListenerObject;

/**
 * From now on, listeners added to `socket` for its gated events are called through `gate`. A listener
 * removed while its events are queued gets none of them (its owner has let the socket go).
 */
function gateListeners(socket: WebSocket, gate: FrameGate): void {
  const add = socket.addEventListener;
  const remove = socket.removeEventListener;
  /** The wrapper of each held listener, by type and capture (the DOM's own identity of a listener). */
  const wrappers = new Map<string, Map<Listener, EventListener>>();
  const keyOf = (type: string, options?: boolean | EventListenerOptions) => `${type}|${typeof options === 'boolean' ? options : Boolean(options?.capture)}`;
  socket.addEventListener = function (this: WebSocket, type: string, listener: Listener | null, options?: boolean | AddEventListenerOptions) {
    if (!listener) return; // as the DOM does
    if (!GATED_EVENTS.has(type)) return add.call(socket, type, listener, options);
    const key = keyOf(type, options);
    const byListener = wrappers.get(key) ?? new Map<Listener, EventListener>();
    wrappers.set(key, byListener);
    if (byListener.has(listener)) return; // the DOM ignores a second identical registration
    const once = typeof options === 'object' && options.once === true;
    const wrapper: EventListener = (event) => {
      if (once) byListener.delete(listener);
      gate.deliver(event, () => {
        if (!once && byListener.get(listener) !== wrapper) return;
        if (typeof listener === 'function') listener.call(socket, event);
        else listener.handleEvent(event);
      });
    };
    byListener.set(listener, wrapper);
    add.call(socket, type, wrapper, options);
  } as typeof socket.addEventListener;
  socket.removeEventListener = function (this: WebSocket, type: string, listener: Listener | null, options?: boolean | EventListenerOptions) {
    if (!listener) return; // as the DOM does
    const byListener = wrappers.get(keyOf(type, options));
    const wrapper = byListener?.get(listener);
    if (!byListener || !wrapper) return remove.call(socket, type, listener, options);
    byListener.delete(listener);
    remove.call(socket, type, wrapper, options);
  } as typeof socket.removeEventListener;
}

class Monitor implements SignalingMonitor {
  lastFrameAt: number | null = null;
  socketsSeen = 0;
  private readonly open = new Set<number>();
  private readonly listeners = new Set<(event: SignalingEvent) => void>();

  constructor(
    private readonly now: () => number,
    private readonly holdScheduler: HoldScheduler,
  ) {}

  get isOpen(): boolean {
    return this.open.size > 0;
  }

  subscribe(listener: (event: SignalingEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  track(socket: WebSocket): void {
    const id = ++this.socketsSeen;
    const gate = new FrameGate(this.holdScheduler);
    // The monitor's own listeners come first and are never held: it sees every event as it arrives.
    socket.addEventListener('open', () => {
      this.open.add(id);
      this.emit('open', id);
    });
    socket.addEventListener('message', (event: MessageEvent) => {
      this.lastFrameAt = this.now();
      this.emit('frame', id);
      const invite = parseInvite(event.data);
      if (invite) {
        this.emit('invite', id, invite);
        gate.hold(); // the SDK's listeners, next in this dispatch, get this invite after the panel's paint
      }
    });
    socket.addEventListener('close', () => {
      this.open.delete(id);
      this.emit('close', id);
    });
    gateListeners(socket, gate);
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

/**
 * The subclass and its monitor, without touching any global (for tests and for `install`).
 * `hold` decides how long the SDK's listeners wait after an invite (by default not at all).
 */
export function createSignalingMonitor(
  Base: WebSocketClass,
  now: () => number = Date.now,
  hold: HoldScheduler = holdNothing,
): { WebSocket: WebSocketClass; monitor: SignalingMonitor } {
  const monitor = new Monitor(now, hold);
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
export function installSignalingMonitor(
  target: { WebSocket?: WebSocketClass } = globalThis,
  now: () => number = Date.now,
  hold: HoldScheduler = holdNothing,
): SignalingMonitor | null {
  const current = target.WebSocket;
  if (typeof current !== 'function') return null;
  const existing = (current as unknown as Record<symbol, SignalingMonitor | undefined>)[MONITOR];
  if (existing) return existing;
  const { WebSocket: Monitored, monitor } = createSignalingMonitor(current, now, hold);
  target.WebSocket = Monitored;
  return monitor;
}
