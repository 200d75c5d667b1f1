// Test support: audio files built in memory (no binary fixtures in the repository).
import { sineTone } from '../media/pcmu';
import { encodeWavPcm16Mono8k } from '../media/wav';

/** A valid MPEG-1 Layer III stream of silent frames (44.1 kHz) lasting about `ms`. */
export function silentMp3(ms: number, kbps: 32 | 64 | 128 = 64): Buffer {
  const index = { 32: 1, 64: 5, 128: 9 }[kbps];
  const frameBytes = Math.floor((144 * kbps * 1000) / 44100);
  const frames = Math.max(1, Math.round(ms / ((1152 / 44100) * 1000)));
  const frame = Buffer.alloc(frameBytes);
  frame.set([0xff, 0xfb, (index << 4) | 0x00, 0xc4]);
  return Buffer.concat(Array.from({ length: frames }, () => frame));
}

/** An 8 kHz mono WAV tone lasting `ms`. */
export function toneWav(ms: number, hz = 660): Buffer {
  return encodeWavPcm16Mono8k(sineTone(hz, ms));
}
