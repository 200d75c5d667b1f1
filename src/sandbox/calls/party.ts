// The far side of one call leg, as the sandbox sees it: a browser Device (media over WebRTC) or a
// scripted PSTN phone (virtual audio). Both hear an AudioSource, speak frames, press digits, and
// keep a timeline of what they heard and said so tests can ask "did the caller hear the
// receptionist?", "which prompt did the callee hear, how often, and was it after the beep?".
import { EventEmitter } from 'node:events';
import { silence, speechSource, toneSource, type AudioSource } from '../media/audio-source';
import { AudioMeter, type EnergyReport } from '../media/audio-meter';
import type { MediaClock, Ticking } from '../media/media-clock';
import type { MediaFarEnd } from '../media/far-end';
import { decodeMulaw } from '../media/pcmu';
import type { DeviceSession } from '../signaling/device-session';
import type { EventLog } from '../events/event-log';

/** What an audio file turned out to be when the sandbox fetched it for <Play> or a relay `play`. */
export interface FetchedMedia {
  contentType: string;
  bytes: number;
  durationMs: number;
  /** Hex SHA-256 of the body: tests compare it with the file they served. */
  sha256: string;
  format: 'wav' | 'mp3' | 'other';
  bitrateKbps?: number;
}

/** One thing this party heard: a <Say>, a <Play>, an agent's spoken reply, played digits. */
export interface HeardItem {
  seq: number;
  kind: 'say' | 'play' | 'agent' | 'digits';
  /** Say / agent text, or the digits. */
  text?: string;
  /** Play / relay play source URL. */
  url?: string;
  media?: FetchedMedia;
  /** Milliseconds since this party joined the call (answer for a callee, start for a caller). */
  startedAtMs: number;
  endedAtMs: number | null;
  /** False when it was cut short (a key, a hang-up, an interruption, a redirect). */
  completed: boolean | null;
}

/** One line this party spoke (scripted lines; a Device's speech is only measured as energy). */
export interface SpokenLine {
  text: string;
  startedAtMs: number;
  endedAtMs: number | null;
}

export interface HeardReport {
  say: string[];
  play: string[];
  /** Digits the other side pressed, as delivered to this party. */
  digits: string;
  energy: EnergyReport;
  /** Everything heard, in order, with timings. */
  timeline: HeardItem[];
}

export interface PartyEvents {
  /** One 20 ms PCMU frame this party said. */
  audio: [pcmu: Buffer];
  /** A digit this party pressed. */
  digit: [digit: string];
  /** This party finished saying a line (what speech recognition would transcribe). */
  speech: [text: string];
  /** This party started saying a line. */
  'speech-start': [text: string];
  /** A heard item started / ended. */
  'heard-start': [item: HeardItem];
  'heard-end': [item: HeardItem];
}

/** Marks the end of something heard. Idempotent. */
export interface HeardHandle {
  readonly item: HeardItem;
  end(completed: boolean): void;
}

export abstract class Party extends EventEmitter<PartyEvents> {
  abstract readonly kind: 'device' | 'scripted';
  readonly say: string[] = [];
  readonly play: string[] = [];
  readonly timeline: HeardItem[] = [];
  readonly spoken: SpokenLine[] = [];
  digitsHeard = '';
  /** Counters the party script waits on ("after the other side's next reply"). */
  heardStarted = 0;
  heardEnded = 0;
  readonly joinedAt = Date.now();

  constructor() {
    super();
    this.setMaxListeners(0);
  }

  abstract hear(source: AudioSource): void;
  abstract heardEnergy(): EnergyReport;
  abstract spokeEnergy(): EnergyReport;
  /** Settles after this party has heard `count` more 20 ms frames. */
  abstract waitHeardFrames(count: number): Promise<void>;
  /** Settles when this party first hears / says something audible. */
  abstract audible(which: 'heard' | 'spoke'): Promise<void>;
  abstract close(): Promise<void>;

  sinceJoinedMs(): number {
    return Date.now() - this.joinedAt;
  }

  /** Starts a timeline entry (and the say/play lists older tests read). */
  startHearing(entry: Pick<HeardItem, 'kind' | 'text' | 'url' | 'media'>): HeardHandle {
    const item: HeardItem = { ...entry, seq: this.timeline.length + 1, startedAtMs: this.sinceJoinedMs(), endedAtMs: null, completed: null };
    this.timeline.push(item);
    if (item.kind === 'say' && item.text !== undefined) this.say.push(item.text);
    if (item.kind === 'play' && item.url !== undefined) this.play.push(item.url);
    this.heardStarted++;
    this.emit('heard-start', item);
    return {
      item,
      end: (completed) => {
        if (item.endedAtMs !== null) return;
        item.endedAtMs = this.sinceJoinedMs();
        item.completed = completed;
        this.heardEnded++;
        this.emit('heard-end', item);
      },
    };
  }

  /** Digits played to this party (<Play digits>, SendDigits, a relay `sendDigits`). */
  hearDigits(digits: string): void {
    const clean = digits.replace(/[^0-9*#A-D]/g, '');
    this.digitsHeard += clean;
    this.startHearing({ kind: 'digits', text: clean }).end(true);
  }

  heard(): HeardReport {
    return { say: [...this.say], play: [...this.play], digits: this.digitsHeard, energy: this.heardEnergy(), timeline: this.timeline.map((i) => ({ ...i })) };
  }
}

export class DeviceParty extends Party {
  readonly kind = 'device';

  constructor(
    public session: DeviceSession,
    /** The callsid the SDK knows this call by (a TJS… id for calls the device placed). */
    public readonly deviceCallSid: string,
    readonly farEnd: MediaFarEnd,
    events: EventLog,
    callSid: string,
  ) {
    super();
    farEnd.on('audio', (_pcm, pcmu) => this.emit('audio', pcmu));
    farEnd.on('digit', (digit) => {
      this.emit('digit', digit);
      events.emitEvent('media.dtmf', { callSid, digit });
    });
  }

  get identity(): string {
    return this.session.identity ?? '';
  }

  hear(source: AudioSource): void {
    this.farEnd.setSource(source);
  }

  heardEnergy(): EnergyReport {
    return this.farEnd.sentMeter.report();
  }

  spokeEnergy(): EnergyReport {
    return this.farEnd.meter.report();
  }

  audible(which: 'heard' | 'spoke'): Promise<void> {
    return (which === 'heard' ? this.farEnd.sentMeter : this.farEnd.meter).firstAudible;
  }

  waitHeardFrames(count: number): Promise<void> {
    return this.farEnd.sentMeter.waitFrames(count);
  }

  close(): Promise<void> {
    return this.farEnd.close();
  }
}

export type VoiceKind = 'speech' | 'tone' | 'silence';

export function voiceSource(kind: VoiceKind): AudioSource {
  return kind === 'speech' ? speechSource() : kind === 'tone' ? toneSource(523) : silence;
}

/** A phone on the public network, driven by a script instead of a person. */
export class ScriptedParty extends Party implements Ticking {
  readonly kind = 'scripted';
  private incoming: AudioSource = silence;
  private readonly heardMeter = new AudioMeter();
  private readonly spokeMeter = new AudioMeter();
  /** What it sends when it is not saying a line: continuous speech, a tone, or silence. */
  private background: AudioSource;
  /** A line, a greeting or a beep being said right now, replacing the background. */
  private foreground: AudioSource | null = null;
  private readonly closed = new AbortController();
  talking = false;

  constructor(
    readonly number: string,
    voice: VoiceKind,
    private readonly clock: MediaClock,
  ) {
    super();
    this.background = voiceSource(voice);
    clock.add(this);
  }

  setVoice(source: AudioSource): void {
    this.background = source;
  }

  hear(source: AudioSource): void {
    this.incoming = source;
  }

  press(digits: string): void {
    for (const d of digits) this.emit('digit', d);
  }

  /** Sends `source` instead of the background for `ms` (a voicemail greeting, a beep). */
  async send(source: AudioSource, ms: number): Promise<void> {
    this.foreground = source;
    await abortableDelay(ms, this.closed.signal);
    if (this.foreground === source) this.foreground = null;
  }

  /** Says one line: speech-like audio for `ms`, then the line counts as said (what an ASR would hear). */
  async speak(text: string, ms: number): Promise<void> {
    const line: SpokenLine = { text, startedAtMs: this.sinceJoinedMs(), endedAtMs: null };
    this.spoken.push(line);
    this.emit('speech-start', text);
    await this.send(speechSource(), ms);
    if (this.closed.signal.aborted) return;
    line.endedAtMs = this.sinceJoinedMs();
    this.emit('speech', text);
  }

  get isClosed(): boolean {
    return this.closed.signal.aborted;
  }

  tick(): void {
    const heard = this.incoming.nextFrame();
    this.heardMeter.add(decodeMulaw(heard));
    if (!this.talking) return;
    const frame = (this.foreground ?? this.background).nextFrame();
    this.spokeMeter.add(decodeMulaw(frame));
    this.emit('audio', frame);
  }

  heardEnergy(): EnergyReport {
    return this.heardMeter.report();
  }

  spokeEnergy(): EnergyReport {
    return this.spokeMeter.report();
  }

  audible(which: 'heard' | 'spoke'): Promise<void> {
    return (which === 'heard' ? this.heardMeter : this.spokeMeter).firstAudible;
  }

  waitHeardFrames(count: number): Promise<void> {
    return this.heardMeter.waitFrames(count);
  }

  async close(): Promise<void> {
    this.talking = false;
    this.closed.abort();
    this.clock.remove(this);
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
