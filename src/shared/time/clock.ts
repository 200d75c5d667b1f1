/**
 * Time as a port, so timers (token refresh, backoff, watchdogs, the wrap-up's undo window) are
 * tested by moving a manual clock (src/shared/testing/manual-clock.ts) instead of waiting. Each
 * runtime has its own system clock: src/main/os/system-clock.ts, src/renderer/voice/clock.ts.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Opaque to callers: each clock keeps its own timer in it. */
export interface TimerHandle {
  readonly timer: unknown;
}
