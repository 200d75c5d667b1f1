import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDuration } from './format';

describe('formatDuration', () => {
  it('writes m:ss, h:mm:ss past an hour, nothing when unknown', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(null)).toBe('');
    expect(formatDuration(-3)).toBe('');
  });
});

describe('formatDateTime / formatDate', () => {
  it('uses the time zone it is given (the practice’s), and survives an unknown zone', () => {
    const at = `${new Date().getFullYear()}-03-10T23:30:00Z`;
    expect(formatDateTime(at, 'America/Los_Angeles')).toMatch(/Mar 10.*4:30/);
    expect(formatDateTime(at, 'Asia/Tokyo')).toMatch(/Mar 11.*8:30/);
    expect(formatDateTime(at, 'Not/AZone')).not.toBe('');
    expect(formatDate('2024-03-10T12:00:00Z', 'UTC')).toMatch(/Mar 10, 2024/);
    expect(formatDateTime('not a date')).toBe('');
  });
});
