// What an audio file is and how long it plays, without decoding it: WAV from its header, MP3 by
// walking its frame headers (the seed's "64 kbps MP3" advice is checkable from the bitrate).

export interface AudioProbe {
  format: 'wav' | 'mp3';
  durationMs: number;
  bitrateKbps?: number;
  /** 8 kHz 16-bit mono WAV samples, which the sandbox can play as they are. */
  pcm8k?: Int16Array;
}

export function probeAudio(body: Buffer): AudioProbe | null {
  if (body.length >= 12 && body.toString('ascii', 0, 4) === 'RIFF' && body.toString('ascii', 8, 12) === 'WAVE') return probeWav(body);
  return probeMp3(body);
}

function probeWav(file: Buffer): AudioProbe | null {
  let offset = 12;
  let byteRate = 0;
  let fmt: { channels: number; rate: number; bits: number; code: number } | null = null;
  while (offset + 8 <= file.length) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && body + 16 <= file.length) {
      fmt = { code: file.readUInt16LE(body), channels: file.readUInt16LE(body + 2), rate: file.readUInt32LE(body + 4), bits: file.readUInt16LE(body + 14) };
      byteRate = file.readUInt32LE(body + 8);
    }
    if (id === 'data') {
      if (!fmt || byteRate === 0) return null;
      const length = Math.min(size, file.length - body);
      const probe: AudioProbe = { format: 'wav', durationMs: Math.round((length / byteRate) * 1000), bitrateKbps: Math.round((byteRate * 8) / 1000) };
      if (fmt.code === 1 && fmt.channels === 1 && fmt.rate === 8000 && fmt.bits === 16) {
        const copy = Buffer.from(file.subarray(body, body + length - (length % 2)));
        probe.pcm8k = new Int16Array(copy.buffer, copy.byteOffset, copy.length / 2);
      }
      return probe;
    }
    offset = body + size + (size % 2);
  }
  return null;
}

const MPEG1_L3_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MPEG2_L3_KBPS = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES = [44100, 48000, 32000];

interface Mp3Frame {
  bytes: number;
  samples: number;
  sampleRate: number;
}

/** Reads one MPEG audio Layer III frame header; null if `at` does not start one. */
export function readMp3Frame(buf: Buffer, at: number): Mp3Frame | null {
  if (at + 4 > buf.length) return null;
  const b1 = buf[at + 1] ?? 0;
  const b2 = buf[at + 2] ?? 0;
  if (buf[at] !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const version = (b1 >> 3) & 3; // 0: MPEG 2.5, 2: MPEG 2, 3: MPEG 1
  const layer = (b1 >> 1) & 3; // 1: Layer III
  const bitrateIndex = (b2 >> 4) & 0xf;
  const rateIndex = (b2 >> 2) & 3;
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const mpeg1 = version === 3;
  const kbps = (mpeg1 ? MPEG1_L3_KBPS : MPEG2_L3_KBPS)[bitrateIndex] ?? 0;
  const sampleRate = (SAMPLE_RATES[rateIndex] ?? 44100) / (mpeg1 ? 1 : version === 2 ? 2 : 4);
  const padding = (b2 >> 1) & 1;
  const bytes = Math.floor(((mpeg1 ? 144 : 72) * kbps * 1000) / sampleRate) + padding;
  return { bytes, samples: mpeg1 ? 1152 : 576, sampleRate };
}

function probeMp3(buf: Buffer): AudioProbe | null {
  let at = 0;
  if (buf.toString('ascii', 0, 3) === 'ID3' && buf.length >= 10) {
    const size = ((buf[6]! & 0x7f) << 21) | ((buf[7]! & 0x7f) << 14) | ((buf[8]! & 0x7f) << 7) | (buf[9]! & 0x7f);
    at = 10 + size + ((buf[5]! & 0x10) !== 0 ? 10 : 0);
  }
  // Tolerate a little junk before the first frame, as players do.
  const limit = Math.min(buf.length, at + 4096);
  while (at < limit && !readMp3Frame(buf, at)) at++;
  let seconds = 0;
  let audioBytes = 0;
  let frames = 0;
  for (let frame = readMp3Frame(buf, at); frame; frame = readMp3Frame(buf, at)) {
    seconds += frame.samples / frame.sampleRate;
    audioBytes += frame.bytes;
    frames++;
    at += frame.bytes;
  }
  if (frames === 0 || seconds === 0) return null;
  return { format: 'mp3', durationMs: Math.round(seconds * 1000), bitrateKbps: Math.round((audioBytes * 8) / seconds / 1000) };
}
