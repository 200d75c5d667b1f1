// What a far end sends, one 20 ms PCMU frame (160 bytes) at a time.
import { readFileSync } from 'node:fs';
import { encodeMulaw, sineTone } from './pcmu';
import { readWavPcm16Mono8k } from './wav';

export const FRAME_SAMPLES = 160;
const SILENCE = Buffer.alloc(FRAME_SAMPLES, 0xff);

export interface AudioSource {
  readonly kind: string;
  nextFrame(): Buffer;
}

export const silence: AudioSource = { kind: 'silence', nextFrame: () => SILENCE };

/** Loops PCMU encoded audio. */
export class LoopSource implements AudioSource {
  private offset = 0;
  constructor(
    readonly kind: string,
    private readonly pcmu: Buffer,
  ) {}

  nextFrame(): Buffer {
    if (this.pcmu.length < FRAME_SAMPLES) return SILENCE;
    if (this.offset + FRAME_SAMPLES > this.pcmu.length) this.offset = 0;
    const frame = this.pcmu.subarray(this.offset, this.offset + FRAME_SAMPLES);
    this.offset += FRAME_SAMPLES;
    return frame;
  }
}

export function toneSource(frequencyHz = 440): AudioSource {
  return new LoopSource(`tone:${frequencyHz}`, encodeMulaw(sineTone(frequencyHz, 1000)));
}

let speechCache: Buffer | null = null;
/** The speech-like sample shipped in resources/sandbox (8 kHz mono WAV). */
export function speechSource(): AudioSource {
  speechCache ??= encodeMulaw(readWavPcm16Mono8k(readFileSync(speechSamplePath())));
  return new LoopSource('speech', speechCache);
}

export function speechSamplePath(): string {
  return new URL('../../../resources/sandbox/speech-like-8k.wav', import.meta.url).pathname;
}

/** Frames pushed by another leg (bridging, echo); silence when it runs dry. */
export class RelaySource implements AudioSource {
  private readonly queue: Buffer[] = [];
  constructor(readonly kind: string) {}

  push(frame: Buffer): void {
    // Keep latency bounded when the producer runs ahead of the 20 ms clock.
    if (this.queue.length > 10) this.queue.shift();
    this.queue.push(frame);
  }

  nextFrame(): Buffer {
    return this.queue.shift() ?? SILENCE;
  }
}
