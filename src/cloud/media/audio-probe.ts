/**
 * Length and bitrate of the audio a Voicemail Drop plays, read from the file itself (WAV from its
 * header, MP3 by walking its frames), so the library can say how long a recording is and warn
 * about one a phone line may not play (the seed: convert it to a 64 kbps MP3).
 */
export interface AudioProbe {
  format: 'mp3' | 'wav';
  durationMs: number;
  bitrateKbps: number;
  sampleRate: number;
  channels: number;
}

/** Above this an MP3 may not play through a phone carrier (the seed's advice: 64 kbps or lower). */
export const PHONE_FRIENDLY_MP3_KBPS = 64;
/** A voicemail drop longer than this is unusual (a box may cut it off). */
export const LONG_VOICEMAIL_MS = 120_000;

export function probeWav(bytes: Buffer): AudioProbe | null {
  if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE') return null;
  let offset = 12;
  let format: { channels: number; sampleRate: number; byteRate: number } | null = null;
  let dataBytes: number | null = null;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && body + 16 <= bytes.length) {
      format = { channels: bytes.readUInt16LE(body + 2), sampleRate: bytes.readUInt32LE(body + 4), byteRate: bytes.readUInt32LE(body + 8) };
    } else if (id === 'data') {
      dataBytes = Math.min(size, bytes.length - body);
      break;
    }
    offset = body + size + (size % 2);
  }
  if (!format || dataBytes === null || format.byteRate === 0 || format.sampleRate === 0) return null;
  return {
    format: 'wav',
    durationMs: Math.round((dataBytes / format.byteRate) * 1000),
    bitrateKbps: Math.round((format.byteRate * 8) / 1000),
    sampleRate: format.sampleRate,
    channels: format.channels,
  };
}

const BITRATES: Record<string, number[]> = {
  'v1l1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  'v1l2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  'v1l3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  'v2l1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  'v2l2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  'v2l3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

interface Frame {
  length: number;
  samples: number;
  sampleRate: number;
  bitrateKbps: number;
  channels: number;
}

function frameAt(bytes: Buffer, offset: number): Frame | null {
  if (offset + 4 > bytes.length) return null;
  const b1 = bytes[offset + 1]!;
  const b2 = bytes[offset + 2]!;
  const b3 = bytes[offset + 3]!;
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return null;
  const version = (b1 >> 3) & 3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
  const layerBits = (b1 >> 1) & 3; // 1 = III, 2 = II, 3 = I
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (version === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const layer = 4 - layerBits;
  const bitrateKbps = BITRATES[`${version === 3 ? 'v1' : 'v2'}l${layer}`]![bitrateIndex]!;
  const sampleRate = SAMPLE_RATES[version]![rateIndex]!;
  const padding = (b2 >> 1) & 1;
  const samples = layer === 1 ? 384 : layer === 2 || version === 3 ? 1152 : 576;
  const length = layer === 1 ? Math.floor((12 * bitrateKbps * 1000) / sampleRate + padding) * 4 : Math.floor(((samples / 8) * bitrateKbps * 1000) / sampleRate) + padding;
  const channels = b3 >> 6 === 3 ? 1 : 2;
  return length >= 4 ? { length, samples, sampleRate, bitrateKbps, channels } : null;
}

/** An MP3: an optional ID3v2 tag, then at least two consecutive valid frames. */
export function probeMp3(bytes: Buffer): AudioProbe | null {
  let offset = 0;
  if (bytes.toString('latin1', 0, 3) === 'ID3' && bytes.length >= 10) {
    const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
    offset = 10 + size + ((bytes[5]! & 0x10) !== 0 ? 10 : 0);
  }
  const first = frameAt(bytes, offset);
  if (!first) return null;
  const second = frameAt(bytes, offset + first.length);
  // One frame that fills the file exactly is an MP3 too (a very short clip); otherwise demand two.
  if (!second && offset + first.length !== bytes.length) return null;
  let frames = 0;
  let durationSeconds = 0;
  let bits = 0;
  let frame: Frame | null = first;
  while (frame) {
    frames += 1;
    durationSeconds += frame.samples / frame.sampleRate;
    bits += frame.bitrateKbps * (frame.samples / frame.sampleRate);
    offset += frame.length;
    frame = frameAt(bytes, offset);
  }
  if (frames === 0 || durationSeconds === 0) return null;
  return {
    format: 'mp3',
    durationMs: Math.round(durationSeconds * 1000),
    bitrateKbps: Math.round(bits / durationSeconds),
    sampleRate: first.sampleRate,
    channels: first.channels,
  };
}

/** Advice an admin sees next to an uploaded recording, or null when it is fine for a phone line. */
export function audioWarning(probe: AudioProbe): string | null {
  const notes: string[] = [];
  if (probe.format === 'mp3' && probe.bitrateKbps > PHONE_FRIENDLY_MP3_KBPS) {
    notes.push(`This MP3 is ${probe.bitrateKbps} kbps; if it does not play on a call, convert it to a ${PHONE_FRIENDLY_MP3_KBPS} kbps MP3 (lower is fine) and upload it again.`);
  }
  if (probe.format === 'wav' && probe.bitrateKbps > 256) {
    notes.push(`This WAV is ${probe.bitrateKbps} kbps; a ${PHONE_FRIENDLY_MP3_KBPS} kbps MP3 of it is much smaller and plays as well on a phone line.`);
  }
  if (probe.durationMs > LONG_VOICEMAIL_MS) notes.push(`It lasts ${Math.round(probe.durationMs / 1000)} s; many voicemail boxes stop recording after a minute or two.`);
  return notes.length > 0 ? notes.join(' ') : null;
}
