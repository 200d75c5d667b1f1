// Opus for the far end, through libopus compiled to WebAssembly (opusscript): 20 ms frames of the
// sandbox's 8 kHz mono audio in, Opus packets out, and back. Opus's RTP clock is always 48 kHz.
import OpusScript from 'opusscript';
import { FRAME_SAMPLES } from './audio-source';

/** RTP timestamp ticks per 20 ms Opus frame. */
export const OPUS_FRAME_TICKS = 960;
const RATE = 8000;

export class OpusCodec {
  private readonly encoder = new OpusScript(RATE, 1, OpusScript.Application.VOIP);
  private readonly decoder = new OpusScript(RATE, 1, OpusScript.Application.VOIP);

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
