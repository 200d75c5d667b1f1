/**
 * Runs `task` once the frame being drawn now has been painted: work a ring sets off (the microphone,
 * a spare peer connection) comes after the ringing panel is on screen.
 */
export function afterNextPaint(task: () => void): void {
  if (typeof requestAnimationFrame !== 'function') {
    setTimeout(task, 0);
    return;
  }
  requestAnimationFrame(() => setTimeout(task, 0));
}
