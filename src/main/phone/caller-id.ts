import type { IncomingCall } from '../../shared/cloud';
import type { ScreenPopView } from '../../shared/ipc/views';

const REMEMBERED_POPS = 20;
const MAX_CALLER = 200;
const MAX_DETAIL = 300;

export interface CallerText {
  /** The name when one is known, else the number (or client identity) itself. */
  caller: string;
  /** The number under a name; null when `caller` already is the number. */
  detail: string | null;
}

const clip = (value: string, max: number): string => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

/**
 * Who is on a call, from what main knows: the cloud's screen pop for the call (realtime), else the
 * contact cache by the number the SDK reports. Used by the tray and the ringing alert.
 */
export class CallerId {
  private readonly pops = new Map<string, IncomingCall>();

  constructor(private readonly deps: { findByPhone(number: string): ScreenPopView | null }) {}

  /** A screen pop from the realtime socket (`incoming-call`); the last few are kept. */
  remember(pop: IncomingCall): void {
    this.pops.delete(pop.callId);
    this.pops.set(pop.callId, pop);
    if (this.pops.size > REMEMBERED_POPS) this.pops.delete(this.pops.keys().next().value!);
  }

  describe(call: { cloudCallId: string | null; remote: string | null }): CallerText | null {
    const pop = call.cloudCallId ? this.pops.get(call.cloudCallId) : undefined;
    const number = call.remote ?? pop?.from ?? null;
    if (!number) return null;
    const name = pop?.contact?.name ?? this.cachedName(number);
    return name ? { caller: clip(name, MAX_CALLER), detail: clip(number, MAX_DETAIL) } : { caller: clip(number, MAX_CALLER), detail: null };
  }

  private cachedName(number: string): string | null {
    if (number.startsWith('client:')) return null;
    try {
      return this.deps.findByPhone(number)?.contact?.name ?? null;
    } catch {
      return null; // not a number the cache can look up
    }
  }
}
