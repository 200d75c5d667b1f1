import type { Clock } from '../../shared/time/clock';

/** Main's clock (the port is src/shared/time/clock.ts). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    // A pending refresh or retry must never keep a quitting process alive.
    timer.unref();
    return { timer };
  },
  clearTimeout: (handle) => clearTimeout(handle.timer as ReturnType<typeof setTimeout>),
};
