import type { CallbackUrls } from './callback-urls';
import type { NumberRoute } from './routing-cache';
import { webhookPaths, type DialCompleteParams } from './webhook-params';

/**
 * A number's settings for the <Dial> of its call: caller ID, ring timeout, recording, callbacks,
 * and whisper / call connect. `callId` null (the voice fallback: no row yet): the <Dial> ends at
 * the fallback's own action, and whisper and call connect, which read the row, are left out.
 */
export function dialSettings(urls: CallbackUrls, number: NumberRoute, callId: string | null) {
  const whisper = callId !== null && (number.whisperMessage || number.callConnect);
  return {
    callerId: number.callerIdMode === 'number' ? number.number : undefined,
    timeoutSeconds: number.ringTimeoutSeconds,
    record: number.recordCalls,
    actionUrl: callId === null ? urls.url(webhookPaths.fallbackDialDone) : urls.url(webhookPaths.dialComplete, { callId }),
    statusUrl: urls.url(webhookPaths.status),
    recordingUrl: urls.url(webhookPaths.recording),
    whisperUrl: whisper ? urls.url(webhookPaths.whisper, { callId }) : undefined,
  };
}

/** Whether a <Dial> ended with the caller connected (not when call connect's key press never came). */
export function dialConnected(p: DialCompleteParams): boolean {
  return (p.DialCallStatus === 'completed' || p.DialCallStatus === 'answered') && p.DialBridged !== 'false';
}
