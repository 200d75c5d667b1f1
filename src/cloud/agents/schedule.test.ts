import { describe, expect, it } from 'vitest';
import { answersOnArrival, withinBusinessHours } from './schedule';

const hours = { timeZone: 'America/Los_Angeles', days: [1, 2, 3, 4, 5], opens: '09:00', closes: '18:00' };

describe('agent schedule', () => {
  it.each([
    ['2026-12-01T17:00:00Z', true], // Tue 09:00 in Los Angeles
    ['2026-12-01T16:59:00Z', false], // Tue 08:59
    ['2026-12-02T01:59:00Z', true], // Tue 17:59
    ['2026-12-02T02:00:00Z', false], // Tue 18:00
    ['2026-12-05T20:00:00Z', false], // Sat noon
  ])('%s within hours: %s', (at, expected) => {
    expect(withinBusinessHours(hours, new Date(at))).toBe(expected);
  });

  it('answers always, after hours only outside them, and never on arrival for no-answer', () => {
    const open = new Date('2026-12-01T20:00:00Z');
    const closed = new Date('2026-12-05T20:00:00Z');
    expect(answersOnArrival('always', hours, open)).toBe(true);
    expect(answersOnArrival('after_hours', hours, open)).toBe(false);
    expect(answersOnArrival('after_hours', hours, closed)).toBe(true);
    expect(answersOnArrival('no_answer', hours, closed)).toBe(false);
  });
});
