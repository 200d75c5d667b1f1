import type { SignalingEvent, SignalingInvite, SignalingSource } from '../signaling-monitor';

/** The signaling monitor as the engine sees it, with the socket's life in the test's hands. */
export class FakeSignaling implements SignalingSource {
  lastFrameAt: number | null = null;
  private socket = 0;
  private openSocket: number | null = null;
  private readonly listeners = new Set<(event: SignalingEvent) => void>();

  constructor(private readonly now: () => number) {}

  get isOpen(): boolean {
    return this.openSocket !== null;
  }

  subscribe(listener: (event: SignalingEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A new socket opens (a Device registering). */
  open(): void {
    this.openSocket = ++this.socket;
    this.emit('open');
  }

  /** A heartbeat or message arrives. */
  frame(): void {
    if (this.openSocket === null) return;
    this.lastFrameAt = this.now();
    this.emit('frame');
  }

  /** The edge's `invite` frame arrives (the monitor emits `frame`, then `invite`). */
  invite(invite: SignalingInvite): void {
    this.frame();
    if (this.openSocket !== null) this.emit('invite', this.openSocket, invite);
  }

  close(): void {
    const socket = this.openSocket;
    if (socket === null) return;
    this.openSocket = null;
    this.emit('close', socket);
  }

  private emit(type: SignalingEvent['type'], socket = this.openSocket ?? this.socket, invite?: SignalingInvite): void {
    const event: SignalingEvent = { type, socket, at: this.now(), ...(invite ? { invite } : {}) };
    for (const listener of [...this.listeners]) listener(event);
  }
}
