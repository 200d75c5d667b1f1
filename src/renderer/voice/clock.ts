import type { Clock } from '../../shared/time/clock';

export type { Clock, TimerHandle } from '../../shared/time/clock';

/** The renderer's clock: the watchdog and the engine never call `setTimeout`/`Date.now` directly. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => ({ timer: window.setTimeout(callback, ms) }),
  clearTimeout: (handle) => window.clearTimeout(handle.timer as number),
};
