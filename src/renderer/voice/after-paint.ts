import { afterPresented } from '../lib/after-paint';

/**
 * Runs `task` once the frame being drawn now is on screen (`afterPresented`): the work a ring sets
 * off (a spare peer connection: ~4 ms of the main thread plus WebRTC's own threads; the microphone)
 * must not share the few cores with the ringing panel's raster and display. A task right after the
 * frame's main-thread part (rAF + setTimeout, as before) still ran while that frame was being
 * rastered and drawn (trace of the ring bench, issue #21). Returns the cancel.
 */
export function afterFrameOnScreen(task: () => void): () => void {
  if (typeof requestAnimationFrame !== 'function') {
    const timer = setTimeout(task, 0);
    return () => clearTimeout(timer);
  }
  return afterPresented(task);
}
