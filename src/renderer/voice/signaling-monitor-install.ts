/**
 * Side effect on import: puts the signaling monitor in place. `twilio-device.ts` imports this module
 * FIRST, before `@twilio/voice-sdk`, because the SDK captures `globalThis.WebSocket` once, when its
 * `wstransport` module is evaluated (ES modules evaluate in import order, and bundlers keep it).
 * Null when the environment has no WebSocket (then the watchdog falls back to probing).
 */
import { installSignalingMonitor, type SignalingMonitor } from './signaling-monitor';

export const signalingMonitor: SignalingMonitor | null = installSignalingMonitor(globalThis);
