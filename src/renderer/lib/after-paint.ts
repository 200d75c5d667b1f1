import { useEffect, useState } from 'react';

/**
 * The waiters for the next frame registered in the current task, and their one animation frame
 * callback. The waiters are this file's own (they set a timer or join the next batch): none throws.
 */
let batch: { waiters: Set<() => void>; frame: number } | null = null;

/**
 * Runs `run` at the start of the next frame (an animation frame callback), and returns the cancel.
 * Every waiter of a task shares one callback: a ring's commit registers about nine (the status
 * pill, the announcement, focus, the taskbar title…), and Blink runs each callback with a microtask
 * checkpoint of its own at the start of the very frame that paints the ringing panel (ring bench
 * trace: ten callbacks took 0.3-0.8 ms of that frame, the minimal page's one 0.1 ms; issue #21).
 */
function atNextFrame(run: () => void): () => void {
  let current = batch;
  if (!current) {
    const created = { waiters: new Set<() => void>(), frame: 0 };
    created.frame = requestAnimationFrame(() => {
      if (batch === created) batch = null;
      for (const waiter of created.waiters) waiter();
    });
    current = batch = created;
    // The next task starts a batch of its own: a frame that never comes (a mocked one) holds back one task's waiters at most.
    queueMicrotask(() => {
      if (batch === created) batch = null;
    });
  }
  const { waiters, frame } = current;
  waiters.add(run); // each caller here passes a closure of its own: one entry per registration
  return () => {
    if (!waiters.delete(run) || waiters.size > 0) return;
    // Nobody waits any more: no frame is asked for on their behalf.
    cancelAnimationFrame(frame);
    if (batch === current) batch = null;
  };
}

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

/** The `afterPresented` waiters registered in the current task, and how to stop waiting for them all. */
let presented: { waiters: Set<() => void>; cancel: () => void } | null = null;

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
  const batch = presented ?? startPresentedBatch();
  const waiter = () => run(); // one entry per registration, even of the same function
  batch.waiters.add(waiter);
  return () => {
    if (batch.waiters.delete(waiter) && batch.waiters.size === 0) batch.cancel();
  };
}

function startPresentedBatch(): NonNullable<typeof presented> {
  const waiters = new Set<() => void>();
  let next: (() => void) | undefined;
  const cancel = () => {
    cancelFrame();
    next?.();
    clearTimeout(limit);
    if (presented === batch) presented = null;
  };
  const runAll = () => {
    cancel();
    for (const waiter of waiters) {
      try {
        waiter();
      } catch (error) {
        queueMicrotask(() => {
          throw error; // reported as uncaught, as it would have been in a task of its own; the others still run
        });
      }
    }
    waiters.clear();
  };
  const cancelFrame = atNextFrame(() => {
    next = afterPaint(runAll);
  });
  const limit = setTimeout(runAll, PRESENTED_LIMIT_MS);
  const batch = { waiters, cancel };
  presented = batch;
  // The next task starts a batch of its own.
  queueMicrotask(() => {
    if (presented === batch) presented = null;
  });
  return batch;
}

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
