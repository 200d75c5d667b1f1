import { useEffect, useState } from 'react';

/**
 * Waiters registered in one task that share one wait. The first registration of a task starts it
 * (`begin` gets the function that runs them all, in the order they came, and returns how to stop
 * the wait); a registration in a later task starts another; the wait is stopped once every waiter
 * of its batch has cancelled. A waiter that throws does not stop the others: its error is thrown
 * again in a microtask, reported as uncaught as it would have been in a task of its own.
 */
function perTaskBatch(begin: (runAll: () => void) => () => void): (run: () => void) => () => void {
  let open: { waiters: Set<() => void>; stop: () => void } | null = null;
  const start = () => {
    const waiters = new Set<() => void>();
    const batch = {
      waiters,
      stop: () => {
        stopWait();
        if (open === batch) open = null;
      },
    };
    const stopWait = begin(() => {
      if (open === batch) open = null;
      for (const waiter of waiters) {
        try {
          waiter();
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      }
      waiters.clear();
    });
    open = batch;
    // The next task starts a batch of its own: a wait that never ends (a mocked frame) holds back one task's waiters at most.
    queueMicrotask(() => {
      if (open === batch) open = null;
    });
    return batch;
  };
  return (run) => {
    const batch = open ?? start();
    const waiter = () => run(); // one entry per registration, even of the same function
    batch.waiters.add(waiter);
    return () => {
      if (batch.waiters.delete(waiter) && batch.waiters.size === 0) batch.stop();
    };
  };
}

/**
 * Runs `run` at the start of the next frame (an animation frame callback), and returns the cancel.
 * Every waiter of a task shares one callback: a ring's commit registers about nine (the status
 * pill, the announcement, focus, the taskbar title…), and Blink runs each callback with a microtask
 * checkpoint of its own at the start of the very frame that paints the ringing panel (ring bench
 * trace: ten callbacks took 0.3-0.8 ms of that frame, the minimal page's one 0.1 ms; issue #21).
 */
const atNextFrame = perTaskBatch((runAll) => {
  const frame = requestAnimationFrame(runAll);
  return () => cancelAnimationFrame(frame);
});

/**
 * Runs `run` once the next frame has been painted (a task after that frame), and returns the cancel.
 * For work that must not delay a screen that has to appear at once: moving focus forces style and
 * layout, and the ringing panel must be painted first (issue #21).
 */
export function afterPaint(run: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancelFrame = atNextFrame(() => {
    timer = setTimeout(run, 0);
  });
  return () => {
    cancelFrame();
    if (timer !== undefined) clearTimeout(timer);
  };
}

/**
 * The longest `afterPresented` waits: a window that says it is visible but draws no frame (occluded,
 * throttled) must not hold back what waits for the paint, e.g. the ringing title on the taskbar.
 */
export const PRESENTED_LIMIT_MS = 100;

/**
 * Runs `run` once the next frame is on screen, and returns the cancel: in a task after the frame
 * that follows it has begun. `afterPaint` runs as soon as the page has handed its frame to the
 * compositor, while that frame is still being rastered and displayed on the same few cores; work
 * here (the SDK's invite handling, focus, the screen pop's lookup) leaves that frame alone (issue #21).
 * In a hidden page (no frames are drawn) it runs in the next task; at most PRESENTED_LIMIT_MS later
 * in any case.
 *
 * The waiters of a task share one limit timer, one frame wait and one task, in which they run in
 * the order they came: a ring registers about nine, and their timers were a fifth of the ring's
 * path from the invite to the panel in the DOM (ring bench CPU profile).
 */
export function afterPresented(run: () => void): () => void {
  if (typeof document !== 'undefined' && document.visibilityState === 'hidden') {
    const timer = setTimeout(run, 0);
    return () => clearTimeout(timer);
  }
  return whenPresented(run);
}

/** The frame wait (a task after the next frame's paint) and the limit timer, whichever ends first. */
const whenPresented = perTaskBatch((runAll) => {
  let afterFramePainted: (() => void) | undefined;
  const stop = () => {
    stopFrame();
    afterFramePainted?.();
    clearTimeout(limit);
  };
  const finish = () => {
    stop();
    runAll();
  };
  const stopFrame = atNextFrame(() => {
    afterFramePainted = afterPaint(finish);
  });
  const limit = setTimeout(finish, PRESENTED_LIMIT_MS);
  return stop;
});

/**
 * `value` as it was once its latest change had been on screen for a frame (`afterPresented`): for
 * what a ring changes besides the ringing panel (the status bar's ringing pill, the screen reader's
 * announcement), so the ring's own frame lays out and paints the panel alone (issue #21).
 */
export function useAfterPresented<T>(value: T): T {
  const [shown, setShown] = useState(value);
  useEffect(() => afterPresented(() => setShown(value)), [value]);
  return shown;
}
