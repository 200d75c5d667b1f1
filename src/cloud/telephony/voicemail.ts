import type { CallbackUrls } from './callback-urls';
import * as twiml from './twiml';
import { unseenCallQuery, type UnseenCallRef } from './unseen-call-ref';
import { webhookPaths } from './webhook-params';

const NO_ONE_AVAILABLE = 'Sorry, no one is available to take your call. Please leave a message after the tone.';

/**
 * Whose voicemail it is: the call's row, or — the voice fallback's, answered with no row yet — the
 * caller and the number called, on the recording callback's URL, so a recording that arrives
 * before the call's status callback can still file the call (unseen-call-ref.ts).
 */
export type VoicemailOwner = { callId: string } | UnseenCallRef;

/** The number's voicemail for a call (unanswered inbound calls, and a ringing call a receptionist sends there). */
export function voicemailTwiml(urls: CallbackUrls, owner: VoicemailOwner, greeting = NO_ONE_AVAILABLE): string {
  const known = 'callId' in owner;
  return twiml.voicemail({
    greeting,
    actionUrl: known ? urls.url(webhookPaths.voicemailDone, { callId: owner.callId }) : urls.url(webhookPaths.voicemailDone),
    recordingUrl: urls.url(webhookPaths.recording, { kind: 'voicemail', ...(known ? {} : unseenCallQuery(owner)) }),
  });
}
