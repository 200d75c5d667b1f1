import type { CallbackUrls } from './callback-urls';
import * as twiml from './twiml';
import { webhookPaths } from './webhook-params';

const NO_ONE_AVAILABLE = 'Sorry, no one is available to take your call. Please leave a message after the tone.';

/**
 * Whose voicemail it is: the call's row, or — the voice fallback's, answered with no row yet — the
 * caller and the number called. Those ride on the recording callback's URL (signed by Twilio with
 * it), so a recording that arrives before the call's status callback can still file the call.
 */
export type VoicemailOwner = { callId: string } | { from: string; to: string };

/** The number's voicemail for a call (unanswered inbound calls, and a ringing call a receptionist sends there). */
export function voicemailTwiml(urls: CallbackUrls, owner: VoicemailOwner, greeting = NO_ONE_AVAILABLE): string {
  const known = 'callId' in owner;
  return twiml.voicemail({
    greeting,
    actionUrl: known ? urls.url(webhookPaths.voicemailDone, { callId: owner.callId }) : urls.url(webhookPaths.voicemailDone),
    recordingUrl: urls.url(webhookPaths.recording, known ? { kind: 'voicemail' } : { kind: 'voicemail', from: owner.from, to: owner.to }),
  });
}
