// Opus for the far end, through libopus compiled to WebAssembly (opusscript): 20 ms frames of the
// sandbox's 8 kHz mono audio in, Opus packets out, and back. Opus's RTP clock is always 48 kHz.
import { createRequire } from 'node:module';
import type OpusScriptType from 'opusscript';
import { FRAME_SAMPLES } from './audio-source';

let opusScript: typeof OpusScriptType | undefined;

/**
 * opusscript, loaded with the media stack (far-end.ts's preloadMedia, or the first Opus frame)
 * rather than at start: its Emscripten module costs ~35 ms of CPU that a start should not pay
 * before "Ready for calls" (issue #21).
 */
export function opusScriptModule(): typeof OpusScriptType {
  opusScript ??= createRequire(import.meta.url)('opusscript') as typeof OpusScriptType;
  return opusScript;
}

/** RTP timestamp ticks per 20 ms Opus frame. */
export const OPUS_FRAME_TICKS = 960;
const RATE = 8000;

export class OpusCodec {
  private readonly encoder: OpusScriptType;
  private readonly decoder: OpusScriptType;

  constructor() {
    const OpusScript = opusScriptModule();
    this.encoder = new OpusScript(RATE, 1, OpusScript.Application.VOIP);
    this.decoder = new OpusScript(RATE, 1, OpusScript.Application.VOIP);
  }

  encode(pcm: Int16Array): Buffer {
    return this.encoder.encode(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength), FRAME_SAMPLES);
  }

  /** A packet decoded to 8 kHz samples; an undecodable one counts as 20 ms of silence. */
  decode(packet: Uint8Array): Int16Array {
    try {
      const out = this.decoder.decode(Buffer.from(packet));
      return new Int16Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
    } catch {
      return new Int16Array(FRAME_SAMPLES);
    }
  }

  dispose(): void {
    this.encoder.delete();
    this.decoder.delete();
  }
}
