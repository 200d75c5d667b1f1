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
