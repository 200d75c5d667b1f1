// Writes the audio files the sandbox and the SDK harness ship, so nothing is fetched from a CDN
// and nothing opaque is committed: `npx tsx src/sandbox/tools/generate-sounds.ts`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { encodeWavPcm16Mono8k } from '../media/wav';

const RATE = 8000;

/** A voiced, formant-shaped signal with a syllable rhythm: not words, but speech-like energy. */
export function speechLike(seconds: number, seed = 7): Int16Array {
  let state = seed;
  const random = (): number => ((state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const out = new Int16Array(seconds * RATE);
  const formants = [500, 1500, 2500];
  let phase = 0;
  let syllableEnd = 0;
  let syllableStart = 0;
  let voiced = true;
  for (let i = 0; i < out.length; i++) {
    if (i >= syllableEnd) {
      syllableStart = i;
      voiced = random() > 0.2;
      syllableEnd = i + Math.round(RATE * (0.12 + random() * 0.2));
    }
    const t = i / RATE;
    const f0 = 110 + 30 * Math.sin(2 * Math.PI * 0.7 * t);
    phase += (2 * Math.PI * f0) / RATE;
    const progress = (i - syllableStart) / Math.max(1, syllableEnd - syllableStart);
    const envelope = voiced ? Math.sin(Math.PI * progress) : 0;
    let sample = 0;
    for (let h = 1; h * f0 < 3400; h++) {
      const weight = formants.reduce((w, f) => w + 1 / (1 + ((h * f0 - f) / 150) ** 2), 0.05);
      sample += weight * Math.sin(h * phase);
    }
    out[i] = Math.round(Math.max(-1, Math.min(1, sample * envelope * 0.25)) * 12000);
  }
  return out;
}

function tone(frequencies: number[], ms: number, gapMs = 0, repeats = 1): Int16Array {
  const on = Math.round((RATE * ms) / 1000);
  const off = Math.round((RATE * gapMs) / 1000);
  const out = new Int16Array((on + off) * repeats);
  for (let r = 0; r < repeats; r++) {
    for (let i = 0; i < on; i++) {
      const v = frequencies.reduce((s, f) => s + Math.sin((2 * Math.PI * f * i) / RATE), 0) / frequencies.length;
      out[r * (on + off) + i] = Math.round(v * 6000);
    }
  }
  return out;
}

const DTMF: Record<string, [number, number]> = {
  dtmf1: [697, 1209], dtmf2: [697, 1336], dtmf3: [697, 1477], dtmf4: [770, 1209], dtmf5: [770, 1336],
  dtmf6: [770, 1477], dtmf7: [852, 1209], dtmf8: [852, 1336], dtmf9: [852, 1477], dtmfs: [941, 1209],
  dtmf0: [941, 1336], dtmfh: [941, 1477],
};

function main(): void {
  const root = new URL('../../../resources/', import.meta.url).pathname;
  mkdirSync(`${root}sandbox`, { recursive: true });
  mkdirSync(`${root}sounds`, { recursive: true });
  writeFileSync(`${root}sandbox/speech-like-8k.wav`, encodeWavPcm16Mono8k(speechLike(3)));
  writeFileSync(`${root}sounds/incoming.wav`, encodeWavPcm16Mono8k(tone([440, 480], 1000, 1000)));
  writeFileSync(`${root}sounds/outgoing.wav`, encodeWavPcm16Mono8k(tone([350, 440], 300)));
  writeFileSync(`${root}sounds/disconnect.wav`, encodeWavPcm16Mono8k(tone([480, 620], 250, 100, 2)));
  for (const [name, pair] of Object.entries(DTMF)) writeFileSync(`${root}sounds/${name}.wav`, encodeWavPcm16Mono8k(tone(pair, 120)));
}

if (import.meta.url === `file://${process.argv[1]}`) main();
