import { describe, expect, it } from 'vitest';
import { pgTimestampToIso, pgTimestampToIsoViaDate } from './database';

describe('pgTimestampToIso', () => {
  it('rewrites UTC timestamps exactly as Date#toISOString would (milliseconds truncated)', () => {
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const samples = ['2024-05-01 09:30:00+00', '2024-05-01 09:30:00.5+00', '2024-05-01 09:30:00.12+00', '2024-05-01 09:30:00.999999+00', '0001-01-01 00:00:00+00', '9999-12-31 23:59:59.999999+00', '2024-02-29 12:00:00.000001+00'];
    for (let i = 0; i < 5000; i++) {
      const digits = random(7);
      const fraction = digits === 0 ? '' : `.${pad(random(10 ** digits), digits)}`;
      samples.push(`${pad(1 + random(9999), 4)}-${pad(1 + random(12), 2)}-${pad(1 + random(28), 2)} ${pad(random(24), 2)}:${pad(random(60), 2)}:${pad(random(60), 2)}${fraction}+00`);
    }
    for (const text of samples) expect(pgTimestampToIso(text), text).toBe(pgTimestampToIsoViaDate(text));
    expect(pgTimestampToIso('2024-05-01 09:30:00.123456+00')).toBe('2024-05-01T09:30:00.123Z');
  });
  it('converts other forms through Date', () => {
    expect(pgTimestampToIso('2024-05-01 09:30:00+02')).toBe('2024-05-01T07:30:00.000Z');
    expect(pgTimestampToIso('2024-05-01 09:30:00.25')).toBe('2024-05-01T09:30:00.250Z');
    expect(pgTimestampToIso('infinity')).toBe('infinity');
    expect(pgTimestampToIso('2024-05-01 09:30:00+05:30')).toBe('2024-05-01T04:00:00.000Z');
  });
});
