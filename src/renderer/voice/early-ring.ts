import { isLive, type CallState } from './call-machine';
import type { SdkCallStatus } from './sdk-port';

/**
 * Ringing from the signaling invite. The SDK emits `incoming` only after it has built its Call and
 * its ringtone has started (or 2 s passed); the engine shows the call from the edge's `invite` frame
 * at once (`SignalingInvite`) and attaches the SDK's Call when `incoming` comes. What the
 * receptionist did meanwhile is in the call's state; this decides what the SDK's Call must then do.
 * Pure.
 *   - `reject`   rejected, sent to voicemail or hung up before the SDK had the call;
 *   - `canceled` the caller gave up before `incoming` (the SDK still emits it, with a closed Call);
 *   - `accept`   answered before the SDK had the call;
 *   - `ring`     still ringing: just listen.
 */
export function arrivalAction(call: CallState | undefined, sdkStatus: SdkCallStatus): 'reject' | 'canceled' | 'accept' | 'ring' {
  if (!call || !isLive(call)) return 'reject';
  if (sdkStatus === 'closed') return 'canceled';
  return call.phase.name === 'connecting' ? 'accept' : 'ring';
}

/** How long an invite's call waits for the SDK's Call before it is given up (its ringtone wait is 2 s). */
export const EARLY_RING_TIMEOUT_MS = 10_000;
