import { describe, expect, it } from 'vitest';
import { daysLeft, HOLD_DAYS, releaseDueAt, restoreDecision } from './lifecycle-rules';

const deleted = new Date('2025-03-01T15:00:00Z');
const due = releaseDueAt(deleted);
const at = (days: number, hours = 0): Date => new Date(deleted.getTime() + days * 86_400_000 + hours * 3_600_000);

describe('the 10-day hold', () => {
  it('is due ten days after the deletion', () => {
    expect(HOLD_DAYS).toBe(10);
    expect(due.toISOString()).toBe('2025-03-11T15:00:00.000Z');
  });

  it.each([
    [0, 0, 10],
    [0, 1, 10],
    [1, 0, 9],
    [8, 12, 2],
    [9, 0, 1],
    [9, 23, 1],
    [10, 0, 0],
    [11, 0, 0],
  ])('day %i + %ih → %i days left', (days, hours, left) => expect(daysLeft(due, at(days, hours))).toBe(left));
});

describe('restoreDecision', () => {
  it.each([
    ['held, just deleted', 'held', 0, { ok: true }],
    ['held, day 9', 'held', 9, { ok: true }],
    ['held, the last minute of day 10', 'held', 10 - 1 / 1440, { ok: true }],
    ['held, exactly 10 days', 'held', 10, { ok: false, reason: 'window-passed' }],
    ['held, day 11 (job not run yet)', 'held', 11, { ok: false, reason: 'window-passed' }],
    ['released on deletion', 'released', 1, { ok: false, reason: 'released' }],
    ['live number', 'active', 1, { ok: false, reason: 'active' }],
  ] as const)('%s', (_name, status, day, expected) => {
    expect(restoreDecision({ status, releaseDueAt: status === 'active' ? null : due }, at(day))).toEqual(expected);
  });

  it('a held number without a due date is never restorable (the schema forbids it; the rule does not trust that)', () => {
    expect(restoreDecision({ status: 'held', releaseDueAt: null }, at(1))).toEqual({ ok: false, reason: 'window-passed' });
  });
});
