import type { PowerPort } from './ports';

/**
 * Wake detection without OS events (the browser host under plain Node): a timer that fires late by
 * far more than its period means the machine was asleep.
 */
export function createDriftWake(periodMs = 2_000, toleranceMs = 8_000, now: () => number = Date.now): PowerPort {
  return {
    onWake(listener) {
      let last = now();
      const timer = setInterval(() => {
        const current = now();
        if (current - last > periodMs + toleranceMs) listener('resume');
        last = current;
      }, periodMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
