/**
 * Time as a port: the watchdog and the engine never call `setTimeout`/`Date.now` directly, so unit
 * tests drive them with a manual clock instead of waiting.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Opaque to callers; the system clock stores the browser's timer id in it. */
export type TimerHandle = { readonly id: number };

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => ({ id: window.setTimeout(callback, ms) }),
  clearTimeout: (handle) => window.clearTimeout(handle.id),
};
