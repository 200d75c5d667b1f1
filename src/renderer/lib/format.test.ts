import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatDate, formatDateTime, formatDay, formatDuration } from './format';

// The desk computer is in Los Angeles whatever zone the test machine is in (Node applies a change of
// TZ at once), so a time written in the computer's zone instead of the one asked for shows up.
vi.stubEnv('TZ', 'America/Los_Angeles');
afterAll(() => {
  vi.unstubAllEnvs();
});

describe('formatDuration', () => {
  it('writes m:ss, h:mm:ss past an hour, nothing when unknown', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(null)).toBe('');
    expect(formatDuration(-3)).toBe('');
  });
});

describe('formatDateTime / formatDay / formatDate', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-06-15T12:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('uses the time zone it is given (the practice’s), and survives an unknown zone', () => {
    const at = '2026-03-10T23:30:00Z';
    expect(formatDateTime(at, 'America/Los_Angeles')).toMatch(/^Mar 10, 4:30\sPM$/);
    expect(formatDateTime(at, 'Asia/Tokyo')).toMatch(/^Mar 11, 8:30\sAM$/);
    expect(formatDateTime(at, 'Not/AZone')).toMatch(/^Mar 10, 4:30\sPM$/);
    expect(formatDateTime(at)).toMatch(/^Mar 10, 4:30\sPM$/);
    expect(formatDate('2024-03-10T12:00:00Z', 'UTC')).toBe('Mar 10, 2024');
    expect(formatDateTime('not a date')).toBe('');
    expect(formatDay('not a date')).toBe('');
  });

  it('writes a time from another year in the zone it is given too, with its year', () => {
    expect(formatDateTime('2025-03-10T23:30:00Z', 'Asia/Tokyo')).toMatch(/^Mar 11, 2025, 8:30\sAM$/);
    expect(formatDateTime('2025-03-10T23:30:00Z', 'Not/AZone')).toMatch(/^Mar 10, 2025, 4:30\sPM$/);
    expect(formatDay('2025-03-10T23:30:00Z', 'Asia/Tokyo')).toBe('Mar 11, 2025');
  });

  it('leaves the year out for this year as seen in that zone (New Year’s in Tokyo is still December in Los Angeles)', () => {
    const newYearInTokyo = '2025-12-31T16:00:00Z';
    expect(formatDateTime(newYearInTokyo, 'Asia/Tokyo')).toMatch(/^Jan 1, 1:00\sAM$/);
    expect(formatDay(newYearInTokyo, 'Asia/Tokyo')).toBe('Jan 1');
    expect(formatDateTime(newYearInTokyo)).toMatch(/^Dec 31, 2025, 8:00\sAM$/);
    expect(formatDay(newYearInTokyo)).toBe('Dec 31, 2025');
  });
});
