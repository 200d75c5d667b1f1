import { describe, expect, it } from 'vitest';
import { numberKind } from './number-kind';

describe('numberKind: what a number is, from the number itself', () => {
  it.each([
    ['+14245550102', 'US', { ok: true, country: 'US', type: 'local' }],
    ['+18885550199', 'US', { ok: true, country: 'US', type: 'toll-free' }],
    ['+18335550123', 'US', { ok: true, country: 'US', type: 'toll-free' }],
    // NANP toll-free is shared: a Canadian practice's 800 number is Canadian.
    ['+18005550123', 'CA', { ok: true, country: 'CA', type: 'toll-free' }],
    ['+14165550123', 'CA', { ok: true, country: 'CA', type: 'local' }],
    ['+14165550123', 'US', { ok: true, country: 'CA', type: 'local' }],
    ['+442071838750', 'US', { ok: true, country: 'GB', type: 'local' }],
    ['+447400123456', 'GB', { ok: true, country: 'GB', type: 'mobile' }],
    // +44 7911 is Guernsey's: the same calling code, another country.
    ['+447911123456', 'GB', { ok: true, country: 'GG', type: 'mobile' }],
    ['+448001234567', 'GB', { ok: true, country: 'GB', type: 'toll-free' }],
    // A UK freephone number is not the US's however the practice is set up.
    ['+448001234567', 'US', { ok: true, country: 'GB', type: 'toll-free' }],
  ] as const)('%s for a practice in %s', (number, home, kind) => expect(numberKind(number, home)).toEqual(kind));

  it('refuses what it cannot place: invalid numbers and kinds the app does not sell', () => {
    expect(numberKind('+11235550123', 'US')).toEqual({ ok: false, reason: 'unrecognised' }); // no area code 123
    expect(numberKind('+19005550123', 'US')).toEqual({ ok: false, reason: 'unrecognised' }); // premium rate
  });
});
