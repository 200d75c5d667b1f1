// What tests read about a call: status, who answered (AMD), and what the far party heard and
// said — and, for a voicemail box, what ended up in the message it recorded.
import type { EnergyReport } from '../media/audio-meter';
import type { AnsweredBy } from './behaviour';
import type { CallLeg } from './call-leg';
import type { HeardItem, HeardReport, SpokenLine } from './party';
import { voicemailWindow } from './party-script';

export interface VoicemailReport {
  greetingMs: number;
  beep: boolean;
  /** Ms after answer from which the box records (after the greeting and its beep). */
  recordsFromMs: number;
  /**
   * Everything heard while the box was recording. `complete` is true only for items that started
   * after the beep and played to the end: a prompt that began during the greeting is clipped.
   */
  recorded: Array<HeardItem & { complete: boolean }>;
}

export interface CallReport {
  callSid: string;
  parentCallSid: string | null;
  from: string;
  to: string;
  direction: string;
  status: string;
  durationSeconds: number;
  partyKind: 'device' | 'scripted' | null;
  /** Answering-machine detection's verdict, if the call asked for it. */
  answeredBy: AnsweredBy | null;
  /** What the party at the far side of this leg heard (Say text, Play URLs, digits, audio energy, timeline). */
  heard: HeardReport | null;
  /** The energy of what that party said (for a Device: what the browser sent). */
  spoke: EnergyReport | null;
  /** Lines a scripted party said. */
  lines: SpokenLine[];
  /** Set when the far party is a voicemail box. */
  voicemail: VoicemailReport | null;
}

export function reportCall(leg: CallLeg): CallReport {
  const party = leg.party;
  return {
    callSid: leg.sid,
    parentCallSid: leg.parentCallSid ?? null,
    from: leg.from,
    to: leg.to,
    direction: leg.direction,
    status: leg.status,
    durationSeconds: leg.durationSeconds,
    partyKind: party?.kind ?? null,
    answeredBy: leg.answeredBy,
    heard: party?.heard() ?? null,
    spoke: party?.spokeEnergy() ?? null,
    lines: party ? party.spoken.map((l) => ({ ...l })) : [],
    voicemail: party && leg.behaviour?.answer === 'voicemail' && leg.answeredAt ? voicemailReport(leg, party.timeline) : null,
  };
}

function voicemailReport(leg: CallLeg, timeline: HeardItem[]): VoicemailReport {
  const window = voicemailWindow(leg.behaviour!);
  const recorded = timeline
    .filter((i) => (i.endedAtMs ?? Number.POSITIVE_INFINITY) > window.recordsFromMs)
    .map((i) => ({ ...i, complete: i.startedAtMs >= window.recordsFromMs && i.completed === true }));
  return { ...window, recorded };
}
