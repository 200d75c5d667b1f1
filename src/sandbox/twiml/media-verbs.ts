// Say, Play, Pause: what the party hears. Say is kept as text; Play as its URL.
import { silence, speechSource, toneSource } from '../media/audio-source';
import { sandboxDelay } from '../context';
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
    party.say.push(node.text);
    s.ctx.events.emitEvent('twiml.say', { callSid: s.leg.sid, text: node.text, voice: node.attrs.voice, language: node.attrs.language });
    party.hear(speechSource());
    await sandboxDelay(s.ctx, Math.max(200, node.text.length * s.ctx.settings.sayMsPerChar), s.signal);
    party.hear(silence);
  }
}

export async function play(s: TwimlSession, node: TwimlNode): Promise<void> {
  const party = s.leg.party;
  if (!party) return;
  if (node.attrs.digits) {
    s.ctx.events.emitEvent('twiml.play-digits', { callSid: s.leg.sid, digits: node.attrs.digits });
    party.digitsHeard += node.attrs.digits.replace(/[^0-9*#A-D]/g, '');
    return;
  }
  for (let i = 0; i < loops(node) && !s.aborted; i++) {
    party.play.push(node.text);
    s.ctx.events.emitEvent('twiml.play', { callSid: s.leg.sid, url: node.text });
    party.hear(toneSource(440));
    await sandboxDelay(s.ctx, 1000, s.signal);
    party.hear(silence);
  }
}

export async function pause(s: TwimlSession, node: TwimlNode): Promise<void> {
  await sandboxDelay(s.ctx, seconds(node.attrs.length, 1) * 1000, s.signal);
}
