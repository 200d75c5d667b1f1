// The far side of one call leg, as the sandbox sees it: a browser Device (media over WebRTC) or a
// scripted PSTN phone (virtual audio). Both hear an AudioSource, speak frames, press digits, and
// keep a record of what they heard so tests can ask "did the caller hear the receptionist?".
import { EventEmitter } from 'node:events';
import { silence, speechSource, toneSource, type AudioSource } from '../media/audio-source';
import { AudioMeter, type EnergyReport } from '../media/audio-meter';
import type { MediaClock, Ticking } from '../media/media-clock';
import type { MediaFarEnd } from '../media/far-end';
import { decodeMulaw } from '../media/pcmu';
import type { DeviceSession } from '../signaling/device-session';
import type { EventLog } from '../events/event-log';

export interface HeardReport {
  say: string[];
  play: string[];
  /** Digits the other side pressed, as delivered to this party. */
  digits: string;
  energy: EnergyReport;
}

export interface PartyEvents {
  /** One 20 ms PCMU frame this party said. */
  audio: [pcmu: Buffer];
  /** A digit this party pressed. */
  digit: [digit: string];
}

export abstract class Party extends EventEmitter<PartyEvents> {
  abstract readonly kind: 'device' | 'scripted';
  readonly say: string[] = [];
  readonly play: string[] = [];
  digitsHeard = '';

  abstract hear(source: AudioSource): void;
  abstract heardEnergy(): EnergyReport;
  abstract spokeEnergy(): EnergyReport;
  /** Settles after this party has heard `count` more 20 ms frames. */
  abstract waitHeardFrames(count: number): Promise<void>;
  /** Settles when this party first hears / says something audible. */
  abstract audible(which: 'heard' | 'spoke'): Promise<void>;
  abstract close(): Promise<void>;

  heard(): HeardReport {
    return { say: [...this.say], play: [...this.play], digits: this.digitsHeard, energy: this.heardEnergy() };
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
  private voice: AudioSource;
  talking = false;

  constructor(
    readonly number: string,
    voice: VoiceKind,
    private readonly clock: MediaClock,
  ) {
    super();
    this.voice = voiceSource(voice);
    clock.add(this);
  }

  setVoice(source: AudioSource): void {
    this.voice = source;
  }

  hear(source: AudioSource): void {
    this.incoming = source;
  }

  press(digits: string): void {
    for (const d of digits) this.emit('digit', d);
  }

  tick(): void {
    const heard = this.incoming.nextFrame();
    this.heardMeter.add(decodeMulaw(heard));
    if (!this.talking) return;
    const frame = this.voice.nextFrame();
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
    this.clock.remove(this);
  }
}
