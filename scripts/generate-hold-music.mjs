// Writes resources/sounds/hold.wav: a 12 s loop for callers on hold, synthesised here (no samples,
// nothing licensed). 8 kHz mono 16-bit PCM. A soft pad (C – Am – F – G, 3 s each) under a slow bell
// arpeggio; every partial is an integer number of Hz, so each completes whole cycles in 12 s and
// the loop has no seam. No gaps: the level stays even, as a phone line likes it.
// Run: node scripts/generate-hold-music.mjs
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';

const RATE = 8000;
const SECONDS = 12;
const N = RATE * SECONDS;
const CHORD_S = 3;
// Frequencies rounded to whole Hz (≤ 3 cents off equal temperament at these pitches).
const chords = [
  [131, 165, 196, 262], // C
  [110, 131, 165, 220], // Am
  [87, 110, 131, 175], // F
  [98, 123, 147, 196], // G
];
const arps = [
  [523, 659, 784, 659, 523, 392],
  [440, 523, 659, 523, 440, 330],
  [349, 440, 523, 440, 349, 262],
  [392, 494, 587, 494, 392, 294],
];
const out = new Float64Array(N);
const TAU = 2 * Math.PI;

// Pad: each chord fades in/out with raised-cosine windows that overlap 0.5 s, wrapping around.
for (let c = 0; c < chords.length; c++) {
  const start = c * CHORD_S - 0.25;
  const length = CHORD_S + 0.5;
  for (let i = 0; i < length * RATE; i++) {
    const t = start + i / RATE;
    const n = ((Math.round(t * RATE) % N) + N) % N;
    const x = i / (length * RATE);
    const fade = 0.25 / length;
    const env = x < fade ? 0.5 - 0.5 * Math.cos((Math.PI * x) / fade) : x > 1 - fade ? 0.5 - 0.5 * Math.cos((Math.PI * (1 - x)) / fade) : 1;
    let v = 0;
    for (const f of chords[c]) v += Math.sin(TAU * f * (n / RATE)) + 0.3 * Math.sin(TAU * 2 * f * (n / RATE));
    out[n] += 0.09 * env * v;
  }
}
// Bells: a note every 0.5 s, quick attack, exponential decay (wraps around the loop end).
for (let c = 0; c < arps.length; c++) {
  arps[c].forEach((f, k) => {
    const start = Math.round((c * CHORD_S + k * 0.5) * RATE);
    for (let i = 0; i < 1.2 * RATE; i++) {
      const n = (start + i) % N;
      const t = i / RATE;
      const env = Math.min(1, t / 0.01) * Math.exp(-t * 3.2);
      out[n] += 0.22 * env * (Math.sin(TAU * f * (n / RATE)) + 0.25 * Math.sin(TAU * 2 * f * (n / RATE)));
    }
  });
}
// Normalise to about −14 dBFS RMS, peaks kept below full scale.
let sum = 0;
let peak = 0;
for (const v of out) {
  sum += v * v;
  peak = Math.max(peak, Math.abs(v));
}
const gain = Math.min(0.2 / Math.sqrt(sum / N), 0.95 / peak);
const pcm = Buffer.alloc(44 + N * 2);
pcm.write('RIFF', 0);
pcm.writeUInt32LE(36 + N * 2, 4);
pcm.write('WAVEfmt ', 8);
pcm.writeUInt32LE(16, 16);
pcm.writeUInt16LE(1, 20);
pcm.writeUInt16LE(1, 22);
pcm.writeUInt32LE(RATE, 24);
pcm.writeUInt32LE(RATE * 2, 28);
pcm.writeUInt16LE(2, 32);
pcm.writeUInt16LE(16, 34);
pcm.write('data', 36);
pcm.writeUInt32LE(N * 2, 40);
for (let n = 0; n < N; n++) pcm.writeInt16LE(Math.round(Math.max(-1, Math.min(1, out[n] * gain)) * 32767), 44 + n * 2);
const target = new URL('../resources/sounds/hold.wav', import.meta.url);
writeFileSync(target, pcm);
console.log(`hold.wav: ${SECONDS} s, ${RATE} Hz mono, rms ${(20 * Math.log10(Math.sqrt(sum / N) * gain)).toFixed(1)} dBFS, ${pcm.length} bytes`);
