import { describe, expect, it } from 'vitest';
import { TWO_FACTOR_RULES as RULES } from '../../shared/cloud/twofa';
import { dailyAttemptsFrom, lockEndsAt, lockedUntilFrom } from './limits';

const minute = 60_000;

describe('wrong-code lock', () => {
  it('is open below the limit', () => {
    expect(lockedUntilFrom([])).toBeNull();
    expect(lockedUntilFrom(Array.from({ length: RULES.maxFailures - 1 }, (_, i) => i * minute))).toBeNull();
  });
  it('locks at the limit until the oldest failure that filled it leaves the window', () => {
    const failures = Array.from({ length: RULES.maxFailures }, (_, i) => i * minute);
    expect(lockedUntilFrom(failures)).toBe(RULES.failureWindowSeconds * 1000);
    expect(lockEndsAt(failures)).toBe(RULES.failureWindowSeconds * 1000);
    // More failures than the limit: it stays locked until enough of the oldest have aged out.
    const more = [...failures, 30 * minute];
    expect(lockedUntilFrom(more)).toBe(minute + RULES.failureWindowSeconds * 1000);
  });
});

describe('daily attempts', () => {
  it('counts attempts in the rolling day and says when a slot frees', () => {
    expect(dailyAttemptsFrom([])).toEqual({ used: 0, resetsAt: null });
    expect(dailyAttemptsFrom([10 * minute, 20 * minute])).toEqual({ used: 2, resetsAt: 10 * minute + RULES.attemptWindowSeconds * 1000 });
    const full = Array.from({ length: RULES.maxAttemptsPerDay + 1 }, (_, i) => i * minute);
    expect(dailyAttemptsFrom(full)).toEqual({ used: RULES.maxAttemptsPerDay + 1, resetsAt: minute + RULES.attemptWindowSeconds * 1000 });
  });
});
