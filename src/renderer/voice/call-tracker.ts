import { isLive, type CallError, type CallEvent, type CallState, type RejectReason } from './call-machine';
import type { VoiceLog } from './engine-ports';
import type { SdkCall, SdkError } from './sdk-port';

/** An SDK error (or anything thrown) as the call machine's CallError. */
export function toCallError(error: unknown): CallError {
  if (error && typeof error === 'object') {
    const e = error as SdkError;
    const message = e.message || e.description || 'The call failed';
    return { code: typeof e.code === 'number' ? e.code : null, message };
  }
  return { code: null, message: String(error) };
}

/** Errors and disconnects of one call collected within one turn of the event loop. */
export interface PendingEnd {
  errors: CallError[];
  disconnected: boolean;
  transportClosed: boolean;
}

/** What one turn's pieces of an ending mean, given what is known of the call then. Pure. */
export function endingEvents(pending: PendingEnd, call: { localHangup: boolean; live: boolean; sdkClosed: boolean }, at: number): CallEvent[] {
  const error = pending.errors.at(-1) ?? null;
  if (pending.disconnected) return [{ type: 'disconnected', at, by: call.localHangup ? 'local' : 'remote', error }];
  // Closed with no `disconnect` (a lost socket without a reconnect token): the call is over.
  if (call.live && call.sdkClosed) return [{ type: 'failed', at, error: error ?? { code: null, message: 'The connection to the call was lost' } }];
  // Still up: the errors were not fatal.
  return pending.errors.map((e) => ({ type: 'error', at, error: e }));
}

/** The SDK's `cancel`: the caller gave up, unless we sent the call on (the cloud's redirect cancels our leg). */
export const cancelEvent = (rejectReason: RejectReason | null, at: number): CallEvent =>
  rejectReason ? { type: 'rejected', at, reason: rejectReason } : { type: 'canceled', at };

/** Everything the engine keeps about one call besides its CallState: one record per call. */
interface CallRecord {
  /** The SDK's call, from when the SDK has it until the call stops being live. */
  sdk: SdkCall | null;
  /** Removes the engine's listeners from `sdk`. */
  detach: (() => void) | null;
  /** The receptionist (or stop()) hung up: its disconnect is `local`. */
  localHangup: boolean;
  /** Why we declined it, so the SDK's `reject`/`cancel` ends it with that reason. */
  rejectReason: RejectReason | null;
  /** An ending being collected this turn (see `collectEnd`). */
  pendingEnd: PendingEnd | null;
}

export interface CallTrackerPorts {
  now(): number;
  /** The call as the engine holds it: not yet done, or the one that ended last. */
  find(id: string): CallState | undefined;
  /** Feeds one event to the call's state machine. */
  apply(id: string, event: CallEvent): void;
  /** SDK traffic for a call proves the signaling connection alive (the watchdog's evidence). */
  evidence(): void;
  log: VoiceLog;
}

/**
 * The SDK calls behind the engine's calls: listens to each SdkCall, turns its events into the call
 * machine's events, and remembers per call what those events need (local hangup, reject reason,
 * an ending collected in pieces).
 */
export class SdkCallTracker {
  private readonly records = new Map<string, CallRecord>();

  constructor(private readonly ports: CallTrackerPorts) {}

  private record(id: string): CallRecord {
    let record = this.records.get(id);
    if (!record) {
      record = { sdk: null, detach: null, localHangup: false, rejectReason: null, pendingEnd: null };
      this.records.set(id, record);
    }
    return record;
  }

  /** The SDK has a call for `id`: listen to it until it is released. */
  track(id: string, sdk: SdkCall): void {
    const record = this.record(id);
    record.detach?.();
    record.sdk = sdk;
    record.detach = this.listen(id, sdk);
  }

  sdkCall(id: string): SdkCall | undefined {
    return this.records.get(id)?.sdk ?? undefined;
  }

  /** The engine's id of a tracked SDK call (the Device's `error` names the call, not the id). */
  idOf(sdk: SdkCall): string | undefined {
    for (const [id, record] of this.records) if (record.sdk === sdk) return id;
    return undefined;
  }

  markLocalHangup(id: string): void {
    this.record(id).localHangup = true;
  }

  setRejectReason(id: string, reason: RejectReason | null): void {
    this.record(id).rejectReason = reason;
  }

  /** Has `id` any record left (for tests: nothing outlives its call). */
  has(id: string): boolean {
    return this.records.has(id);
  }

  /**
   * The SDK reports an ending in pieces within one turn: a gateway hangup emits `error` then
   * `disconnect`; a failed getUserMedia emits `disconnect` then `error`; a lost socket without a
   * reconnect token closes the call with no `disconnect` at all. Collect the turn, then decide.
   */
  collectEnd(id: string, sdk: SdkCall, part: { error?: CallError; disconnected?: true; transportClosed?: true }): void {
    const record = this.record(id);
    if (!record.pendingEnd) {
      record.pendingEnd = { errors: [], disconnected: false, transportClosed: false };
      queueMicrotask(() => this.flushEnd(id, sdk));
    }
    const pending = record.pendingEnd;
    if (part.error) pending.errors.push(part.error);
    if (part.disconnected) pending.disconnected = true;
    if (part.transportClosed) pending.transportClosed = true;
  }

  private flushEnd(id: string, sdk: SdkCall): void {
    const record = this.records.get(id);
    const pending = record?.pendingEnd;
    if (!record || !pending) return;
    record.pendingEnd = null;
    const current = this.ports.find(id);
    const live = current !== undefined && isLive(current);
    const events = endingEvents(pending, { localHangup: record.localHangup, live, sdkClosed: live && sdk.status() === 'closed' }, this.ports.now());
    for (const event of events) this.ports.apply(id, event);
  }

  /** After a sleep or a network change: a call the SDK closed without telling us is over. */
  endDeadCalls(calls: readonly CallState[]): void {
    for (const call of calls) {
      const sdk = this.sdkCall(call.id);
      if (isLive(call) && sdk && sdk.status() === 'closed') {
        this.ports.apply(call.id, { type: 'failed', at: this.ports.now(), error: { code: null, message: 'The call was lost while the computer was asleep or offline' } });
      }
    }
  }

  /**
   * Hangs up every SDK call still up (stop()). A held call answered over is no longer the SDK
   * Device's active call, so `device.destroy()` would not end it.
   */
  disconnectAll(): void {
    for (const record of [...this.records.values()]) {
      const sdk = record.sdk;
      if (!sdk || sdk.status() === 'pending' || sdk.status() === 'closed') continue;
      record.localHangup = true;
      try {
        sdk.disconnect();
      } catch (error) {
        this.ports.log('disconnect failed', error);
      }
    }
  }

  /** The call is no longer live: stop listening and let go of the SDK call (returned, for the hold audio). */
  release(id: string): SdkCall | undefined {
    const record = this.records.get(id);
    if (!record) return undefined;
    const sdk = record.sdk ?? undefined;
    record.detach?.();
    record.detach = null;
    record.sdk = null;
    return sdk;
  }

  /** The call is done: nothing of it is kept. */
  forget(id: string): void {
    this.records.get(id)?.detach?.();
    this.records.delete(id);
  }

  private listen(id: string, call: SdkCall): () => void {
    const { ports } = this;
    const now = () => ports.now();
    const sid = () => call.parameters.CallSid ?? null;
    const apply = (event: CallEvent) => ports.apply(id, event);
    const rejectReason = () => this.records.get(id)?.rejectReason ?? null;
    const handlers: Record<string, (...args: never[]) => void> = {
      accept: () => {
        ports.evidence();
        apply({ type: 'accepted', at: now(), callSid: sid() });
      },
      ringing: () => {
        ports.evidence();
        apply({ type: 'remote-ringing', at: now(), callSid: sid() });
      },
      cancel: () => {
        ports.evidence();
        apply(cancelEvent(rejectReason(), now()));
      },
      reject: () => apply({ type: 'rejected', at: now(), reason: rejectReason() ?? 'user' }),
      disconnect: () => {
        ports.evidence();
        this.collectEnd(id, call, { disconnected: true });
      },
      error: (error: SdkError) => this.collectEnd(id, call, { error: toCallError(error) }),
      transportClose: () => this.collectEnd(id, call, { transportClosed: true }),
      reconnecting: (error: SdkError) => apply({ type: 'reconnecting', at: now(), error: error ? toCallError(error) : null }),
      reconnected: () => {
        ports.evidence();
        apply({ type: 'reconnected', at: now() });
      },
      warning: (name: string) => apply({ type: 'warning', at: now(), name }),
      'warning-cleared': (name: string) => apply({ type: 'warning-cleared', at: now(), name }),
      mute: (muted: boolean) => apply({ type: 'mute-changed', muted }),
    };
    for (const [event, handler] of Object.entries(handlers)) call.on(event, handler);
    return () => {
      for (const [event, handler] of Object.entries(handlers)) call.removeListener(event, handler);
    };
  }
}
