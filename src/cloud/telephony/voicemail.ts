import type { CallbackUrls } from './callback-urls';
import * as twiml from './twiml';
import { webhookPaths } from './webhook-params';

const NO_ONE_AVAILABLE = 'Sorry, no one is available to take your call. Please leave a message after the tone.';

/**
 * The number's voicemail for a call (unanswered inbound calls, and a ringing call a receptionist
 * sends there). `callId` null: the voice fallback's, for a call with no row yet (its recording
 * callback finds the call by CallSid).
 */
export function voicemailTwiml(urls: CallbackUrls, callId: string | null, greeting = NO_ONE_AVAILABLE): string {
  return twiml.voicemail({
    greeting,
    actionUrl: callId === null ? urls.url(webhookPaths.voicemailDone) : urls.url(webhookPaths.voicemailDone, { callId }),
    recordingUrl: urls.url(webhookPaths.recording, { kind: 'voicemail' }),
  });
}
