/**
 * Runs `run` once the next frame has been painted (a task after that frame), and returns the cancel.
 * For work that must not delay a screen that has to appear at once: moving focus forces style and
 * layout, and the ringing panel must be painted first (issue #21).
 */
export function afterPaint(run: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(run, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}

/**
 * Runs `run` once the next frame is on screen, and returns the cancel: in a task after the frame
 * that follows it has begun. `afterPaint` runs as soon as the page has handed its frame to the
 * compositor, while that frame is still being rastered and displayed on the same few cores; work
 * here (the SDK's invite handling, focus, the screen pop's lookup) leaves that frame alone (issue #21).
 */
export function afterPresented(run: () => void): () => void {
  let next: (() => void) | undefined;
  const frame = requestAnimationFrame(() => {
    next = afterPaint(run);
  });
  return () => {
    cancelAnimationFrame(frame);
    next?.();
  };
}
