import type { CallbackUrls } from './callback-urls';
import * as twiml from './twiml';
import { webhookPaths } from './webhook-params';

/** The number's voicemail for a call (unanswered inbound calls, and a ringing call a receptionist sends there). */
export function voicemailTwiml(urls: CallbackUrls, callId: string): string {
  return twiml.voicemail({
    greeting: 'Sorry, no one is available to take your call. Please leave a message after the tone.',
    actionUrl: urls.url(webhookPaths.voicemailDone, { callId }),
    recordingUrl: urls.url(webhookPaths.recording, { kind: 'voicemail' }),
  });
}
