import { describe, expect, it } from 'vitest';
import { DtmfDetector, parseTelephoneEvent } from './dtmf';

describe('RFC 4733 DTMF', () => {
  it('parses event, end bit and duration', () => {
    expect(parseTelephoneEvent(Uint8Array.from([11, 0x8a, 0x03, 0x20]))).toEqual({ digit: '#', end: true, durationUnits: 800 });
    expect(parseTelephoneEvent(Uint8Array.from([99, 0, 0, 0]))).toBeNull();
  });

  it('reports one digit per event timestamp', () => {
    const digits: string[] = [];
    const detector = new DtmfDetector((d) => digits.push(d));
    for (const [event, ts] of [[1, 100], [1, 100], [1, 100], [2, 900], [2, 900], [10, 1700]] as const) {
      detector.handle(Uint8Array.from([event, 0, 0, 160]), ts);
    }
    expect(digits.join('')).toBe('12*');
  });
});
