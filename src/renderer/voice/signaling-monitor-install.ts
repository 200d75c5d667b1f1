/**
 * Side effect on import: puts the signaling monitor in place. `twilio-device.ts` imports this module
 * FIRST, before `@twilio/voice-sdk`, because the SDK captures `globalThis.WebSocket` once, when its
 * `wstransport` module is evaluated (ES modules evaluate in import order, and bundlers keep it).
 * Null when the environment has no WebSocket (then the watchdog falls back to probing).
 */
import { afterPresented } from '../lib/after-paint';
import { installSignalingMonitor, type HoldScheduler, type SignalingMonitor } from './signaling-monitor';

/**
 * The longest the SDK waits for the ringing panel's paint: a window that draws no frame while it
 * says it is visible must not keep the SDK (and its ringtone) waiting.
 */
export const HOLD_LIMIT_MS = 100;

/**
 * The SDK handles an invite once the frame that paints the ringing panel is on screen (issue #21:
 * our frame first; its raster and display are not left competing with the SDK for the CPU), or at
 * once in a hidden page, where no frame is drawn and the ringtone is what counts.
 */
export const untilPanelPainted: HoldScheduler = (release) => {
  if (typeof document === 'undefined' || document.visibilityState !== 'visible') return release();
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    cancelPaint();
    clearTimeout(limit);
    release();
  };
  const cancelPaint = afterPresented(once);
  const limit = setTimeout(once, HOLD_LIMIT_MS);
};

export const signalingMonitor: SignalingMonitor | null = installSignalingMonitor(globalThis, Date.now, untilPanelPainted);
