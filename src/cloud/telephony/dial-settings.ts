import type { CallbackUrls } from './callback-urls';
import type { NumberRoute } from './routing-cache';
import { unseenCallQuery, type UnseenCallRef } from './unseen-call-ref';
import { webhookPaths, type DialCompleteParams } from './webhook-params';

/**
 * A number's settings for the <Dial> of its call: caller ID, ring timeout, recording, callbacks,
 * and whisper / call connect. For the voice fallback's call (no row yet, `unseen`): the <Dial> ends
 * at the fallback's own action, its callbacks say whose call it is (the first to come files it),
 * and whisper and call connect, which read the row, are left out.
 */
export function dialSettings(urls: CallbackUrls, number: NumberRoute, call: { callId: string } | { unseen: UnseenCallRef }) {
  if ('unseen' in call) {
    const query = unseenCallQuery(call.unseen);
    return {
      ...numberDialSettings(number),
      actionUrl: urls.url(webhookPaths.fallbackDialDone),
      statusUrl: urls.url(webhookPaths.status, query),
      recordingUrl: urls.url(webhookPaths.recording, query),
      whisperUrl: undefined,
    };
  }
  const { callId } = call;
  return {
    ...numberDialSettings(number),
    actionUrl: urls.url(webhookPaths.dialComplete, { callId }),
    statusUrl: urls.url(webhookPaths.status),
    recordingUrl: urls.url(webhookPaths.recording),
    whisperUrl: number.whisperMessage || number.callConnect ? urls.url(webhookPaths.whisper, { callId }) : undefined,
  };
}

const numberDialSettings = (number: NumberRoute) => ({
  callerId: number.callerIdMode === 'number' ? number.number : undefined,
  timeoutSeconds: number.ringTimeoutSeconds,
  record: number.recordCalls,
});

/** Whether a <Dial> ended with the caller connected (not when call connect's key press never came). */
export function dialConnected(p: DialCompleteParams): boolean {
  return (p.DialCallStatus === 'completed' || p.DialCallStatus === 'answered') && p.DialBridged !== 'false';
}
