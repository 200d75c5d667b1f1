// Every event the sandbox produces, in order: tests wait on it, the CLI streams it, and the
// protocol-sequence test reads signaling frames from it.
import { EventEmitter } from 'node:events';
import { waitForEvent } from '../../shared/time/wait-for-event';

export interface SandboxEvent {
  seq: number;
  at: number;
  type: string;
  [key: string]: unknown;
}

export type EventPredicate = (event: SandboxEvent) => boolean;

export class EventLog extends EventEmitter<{ event: [SandboxEvent] }> {
  private readonly events: SandboxEvent[] = [];
  private seq = 0;

  constructor(private readonly limit = 50_000) {
    super();
    this.setMaxListeners(0);
  }

  emitEvent(type: string, data: Record<string, unknown> = {}): SandboxEvent {
    // High-resolution wall clock, comparable with performance.timeOrigin + now() in a browser.
    const event: SandboxEvent = { ...data, seq: ++this.seq, at: performance.timeOrigin + performance.now(), type };
    this.events.push(event);
    if (this.events.length > this.limit) this.events.splice(0, this.events.length - this.limit);
    this.emit('event', event);
    return event;
  }

  all(filter?: EventPredicate): SandboxEvent[] {
    return filter ? this.events.filter(filter) : [...this.events];
  }

  /** Resolves with the first matching event, including ones already logged after `sinceSeq`. */
  waitFor(predicate: EventPredicate, opts: { timeoutMs?: number; sinceSeq?: number } = {}): Promise<SandboxEvent> {
    const sinceSeq = opts.sinceSeq ?? 0;
    return waitForEvent<SandboxEvent>(this, 'event', predicate, {
      past: this.events.filter((e) => e.seq > sinceSeq),
      timeoutMs: opts.timeoutMs ?? 15_000,
      timeoutMessage: () => `timed out waiting for sandbox event (${predicate.toString().slice(0, 120)})`,
    });
  }

  get lastSeq(): number {
    return this.seq;
  }
}
