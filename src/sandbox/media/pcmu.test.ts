import { describe, expect, it } from 'vitest';
import { decodeMulaw, encodeMulaw, linearToMulaw, mulawToLinear, rms, sineTone } from './pcmu';

describe('PCMU', () => {
  it('round-trips within mu-law quantisation error', () => {
    for (const s of [0, 1, -1, 100, -100, 1000, -1000, 8000, -8000, 32000, -32000]) {
      const back = mulawToLinear(linearToMulaw(s));
      expect(Math.abs(back - s)).toBeLessThanOrEqual(Math.max(8, Math.abs(s) * 0.07));
    }
  });

  it('keeps a tone loud and silence quiet', () => {
    const tone = decodeMulaw(encodeMulaw(sineTone(440, 20, 8000)));
    expect(rms(tone)).toBeGreaterThan(5000);
    expect(rms(decodeMulaw(encodeMulaw(new Int16Array(160))))).toBeLessThan(10);
  });
});
