import { describe, expect, it } from 'vitest';
import { addDays, bucketFor, bucketKey, bucketKeys, daysBetween, isLocalDate, isTimeZone, localDateOf, localParts, offsetLookup, resolveRange, startOfLocalDate, weekdayOf, weekStartOf, zoneOffsetMs } from './dates';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('local dates', () => {
  it('accepts real calendar dates only', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2023-02-29')).toBe(false);
    expect(isLocalDate('2024-13-01')).toBe(false);
    expect(isLocalDate('2024-1-01')).toBe(false);
  });
  it('does date arithmetic across months, years and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(daysBetween('2024-01-01', '2024-12-31')).toBe(365);
    expect(weekdayOf('2024-03-10')).toBe(6); // a Sunday
    expect(weekStartOf('2024-03-10')).toBe('2024-03-04');
    expect(weekStartOf('2024-03-04')).toBe('2024-03-04');
  });
  it('knows time zones', () => {
    expect(isTimeZone('America/Los_Angeles')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('instants and zones', () => {
  it('gives the offset in force, DST included', () => {
    expect(zoneOffsetMs(Date.parse('2024-01-15T12:00:00Z'), 'America/Los_Angeles')).toBe(-8 * 3_600_000);
    expect(zoneOffsetMs(Date.parse('2024-07-15T12:00:00Z'), 'America/Los_Angeles')).toBe(-7 * 3_600_000);
    expect(zoneOffsetMs(Date.parse('2024-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
    expect(zoneOffsetMs(Date.parse('2024-01-15T12:00:00Z'), 'Australia/Lord_Howe')).toBe(11 * 3_600_000);
    expect(zoneOffsetMs(Date.parse('2024-07-15T12:00:00Z'), 'Australia/Lord_Howe')).toBe(10.5 * 3_600_000);
  });

  it('the cached lookup agrees with the direct one around every change of a year', () => {
    for (const tz of ['America/Los_Angeles', 'Europe/London', 'Australia/Lord_Howe', 'America/Santiago']) {
      const lookup = offsetLookup(tz);
      for (let t = Date.parse('2024-01-01T00:00:00Z'); t < Date.parse('2025-01-01T00:00:00Z'); t += 97 * 60_000 + 13_000) {
        if (lookup(t) !== zoneOffsetMs(t, tz)) throw new Error(`${tz} ${iso(t)}: ${lookup(t)} != ${zoneOffsetMs(t, tz)}`);
      }
      // Every quarter hour of the days with a change.
      for (const day of ['2024-03-10', '2024-04-07', '2024-09-08', '2024-10-27', '2024-11-03']) {
        for (let t = Date.parse(`${day}T00:00:00Z`) - 86_400_000; t < Date.parse(`${day}T00:00:00Z`) + 2 * 86_400_000; t += 900_000) {
          if (lookup(t) !== zoneOffsetMs(t, tz)) throw new Error(`${tz} ${iso(t)}: ${lookup(t)} != ${zoneOffsetMs(t, tz)}`);
          if (lookup(t - 1) !== zoneOffsetMs(t - 1, tz)) throw new Error(`${tz} ${iso(t - 1)}`);
        }
      }
    }
  }, 60_000);

  // Table: zone, date, its first instant (checked against PostgreSQL's `date::timestamp AT TIME ZONE` in the integration test).
  it.each([
    ['America/Los_Angeles', '2024-03-10', '2024-03-10T08:00:00.000Z'], // DST starts at 02:00 that day
    ['America/Los_Angeles', '2024-03-11', '2024-03-11T07:00:00.000Z'],
    ['America/Los_Angeles', '2024-11-03', '2024-11-03T07:00:00.000Z'],
    ['America/Los_Angeles', '2024-11-04', '2024-11-04T08:00:00.000Z'],
    ['Europe/London', '2024-03-31', '2024-03-31T00:00:00.000Z'],
    ['Europe/London', '2024-04-01', '2024-03-31T23:00:00.000Z'],
    ['Asia/Kolkata', '2024-06-01', '2024-05-31T18:30:00.000Z'],
    ['Australia/Lord_Howe', '2024-04-07', '2024-04-06T13:00:00.000Z'],
    // Midnight does not exist here: clocks jump from 24:00 to 01:00; the day starts after the gap.
    ['America/Santiago', '2024-09-08', '2024-09-08T04:00:00.000Z'],
    // Midnight happens twice here (01:00 → 00:00): the day starts at the first one.
    ['America/Havana', '2024-11-03', '2024-11-03T04:00:00.000Z'],
  ])('%s %s starts at %s', (tz, date, expected) => {
    const start = startOfLocalDate(date, tz);
    expect(iso(start)).toBe(expected);
    expect(localDateOf(start, tz)).toBe(date);
    expect(localDateOf(start - 1, tz)).toBe(addDays(date, -1));
  });

  it('splits an instant into local date, weekday and hour', () => {
    const ms = Date.parse('2024-03-10T10:30:00Z');
    expect(localParts(ms, zoneOffsetMs(ms, 'America/Los_Angeles'))).toEqual({ date: '2024-03-10', weekday: 6, hour: 3 });
  });
});

describe('ranges and buckets', () => {
  it.each([
    ['today', '2024-03-10', '2024-03-10'],
    ['yesterday', '2024-03-09', '2024-03-09'],
    ['last7', '2024-03-04', '2024-03-10'],
    ['last30', '2024-02-10', '2024-03-10'],
    ['thisMonth', '2024-03-01', '2024-03-10'],
  ] as const)('%s on 2024-03-10 is %s … %s', (preset, from, to) => {
    expect(resolveRange(preset, '2024-03-10')).toEqual({ from, to });
  });
  it('a custom range is taken as given and needs both ends', () => {
    expect(resolveRange('custom', '2024-03-10', { from: '2023-01-01', to: '2023-01-31' })).toEqual({ from: '2023-01-01', to: '2023-01-31' });
    expect(() => resolveRange('custom', '2024-03-10', { from: '2023-01-01' })).toThrow(RangeError);
  });
  it('hours for two days, days for a quarter, weeks beyond', () => {
    expect(bucketFor({ from: '2024-03-10', to: '2024-03-11' })).toBe('hour');
    expect(bucketFor({ from: '2024-03-10', to: '2024-03-12' })).toBe('day');
    expect(bucketFor({ from: '2024-01-01', to: '2024-03-31' })).toBe('day');
    expect(bucketFor({ from: '2024-01-01', to: '2024-04-02' })).toBe('week');
  });
  it('lists every bucket of a range, so charts show empty ones', () => {
    expect(bucketKeys('hour', { from: '2024-03-10', to: '2024-03-10' })).toHaveLength(24);
    expect(bucketKeys('day', { from: '2024-02-27', to: '2024-03-02' })).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
    expect(bucketKeys('week', { from: '2024-03-06', to: '2024-03-20' })).toEqual(['2024-03-04', '2024-03-11', '2024-03-18']);
    expect(bucketKey('hour', { date: '2024-03-10', hour: 7 })).toBe('2024-03-10T07');
    expect(bucketKey('week', { date: '2024-03-10', hour: 7 })).toBe('2024-03-04');
  });
});
