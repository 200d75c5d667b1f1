import { describe, expect, it } from 'vitest';
import { OpusCodec } from './opus';
import { rms, sineTone } from './pcmu';

describe('Opus codec', () => {
  it('carries a tone through encode and decode at 8 kHz, 20 ms a packet', () => {
    const codec = new OpusCodec();
    const tone = sineTone(440, 400);
    let outEnergy = 0;
    for (let i = 0; i + 160 <= tone.length; i += 160) {
      const packet = codec.encode(tone.subarray(i, i + 160));
      expect(packet.length).toBeGreaterThan(2);
      expect(packet.length).toBeLessThan(200);
      const pcm = codec.decode(packet);
      expect(pcm.length).toBe(160);
      if (i >= 800) outEnergy += rms(pcm);
    }
    expect(outEnergy / 15).toBeGreaterThan(rms(tone) * 0.5);
    expect(codec.decode(new Uint8Array([1, 2, 3]))).toHaveLength(160);
    codec.dispose();
  });
});
