// Say, Play, Pause: what the party hears, kept on its timeline. Say is kept as text; Play fetches
// its URL (loopback only), plays for the file's real length, and records what the file was.
import { silence, speechSource } from '../media/audio-source';
import { sandboxDelay } from '../context';
import type { Party } from '../calls/party';
import { audioFetcherFor } from './audio-fetch';
import type { TwimlNode } from './parse-twiml';
import { seconds, type TwimlSession } from './twiml-session';

function loops(node: TwimlNode): number {
  const n = Number(node.attrs.loop ?? '1');
  // loop="0" means "until the call ends" on Twilio; three rounds is plenty for a sandbox.
  return Number.isInteger(n) && n > 0 ? Math.min(n, 10) : 3;
}

export async function say(s: TwimlSession, node: TwimlNode): Promise<void> {
  const party = s.leg.party;
  if (!party) return;
  for (let i = 0; i < loops(node) && !s.aborted; i++) {
    s.ctx.events.emitEvent('twiml.say', { callSid: s.leg.sid, text: node.text, voice: node.attrs.voice, language: node.attrs.language });
    await speakTo(s, party, node.text);
  }
}

/** Speech-like audio for the text's length; the timeline says whether it was heard to the end. */
export async function speakTo(s: TwimlSession, party: Party, text: string): Promise<void> {
  const heard = party.startHearing({ kind: 'say', text });
  party.hear(speechSource());
  await sandboxDelay(s.ctx, Math.max(200, text.length * s.ctx.settings.sayMsPerChar), s.signal);
  party.hear(silence);
  heard.end(!s.aborted);
}

export async function play(s: TwimlSession, node: TwimlNode): Promise<void> {
  const party = s.leg.party;
  if (!party) return;
  if (node.attrs.digits) {
    s.ctx.events.emitEvent('twiml.play-digits', { callSid: s.leg.sid, digits: node.attrs.digits });
    party.hearDigits(node.attrs.digits);
    return;
  }
  const url = s.resolve(node.text);
  const fetched = await audioFetcherFor(s.ctx).fetch(url);
  if (!fetched.ok) {
    // Twilio logs the failure and moves on to the next verb.
    s.ctx.events.emitEvent('call.warning', { callSid: s.leg.sid, code: fetched.code, message: fetched.reason, url });
    s.ctx.events.emitEvent('twiml.play', { callSid: s.leg.sid, url, played: false, reason: fetched.reason });
    return;
  }
  for (let i = 0; i < loops(node) && !s.aborted; i++) {
    s.ctx.events.emitEvent('twiml.play', { callSid: s.leg.sid, url, played: true, loop: i + 1, durationMs: fetched.media.durationMs, sha256: fetched.media.sha256 });
    const heard = party.startHearing({ kind: 'play', url, media: fetched.media });
    party.hear(fetched.source());
    await sandboxDelay(s.ctx, Math.max(20, fetched.media.durationMs), s.signal);
    party.hear(silence);
    heard.end(!s.aborted);
  }
}

export async function pause(s: TwimlSession, node: TwimlNode): Promise<void> {
  await sandboxDelay(s.ctx, seconds(node.attrs.length, 1) * 1000, s.signal);
}
