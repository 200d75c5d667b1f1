import { describe, expect, it } from 'vitest';
import { areaCodeOf, containsPattern, keypadDigits, matchesNumber } from './number-match';

describe('keypadDigits', () => {
  it.each([
    ['FLOWER', '356937'],
    ['glow', '4569'],
    ['Spa 24', '77224'],
    ['(424) 555-01', '42455501'],
    ['1-800-BOTOX', '180026869'],
    ['', ''],
    ['éé', ''],
  ])('%s → %s', (text, digits) => expect(keypadDigits(text)).toBe(digits));
});

describe('containsPattern (what Twilio is asked for)', () => {
  it.each([
    ['424', 'first', 'US', '+1424'],
    ['424', 'last', 'US', '424$'],
    ['424', 'any', 'US', '424'],
    ['20', 'first', 'GB', '+4420'],
    ['7', 'any', 'US', null],
    ['', 'first', 'US', null],
    ['12345678901234', 'first', 'US', '+112345678901234'],
    ['123456789012345', 'first', 'US', '123456789012345'],
    ['123456789012345', 'last', 'US', '123456789012345$'],
    ['1234567890123456', 'last', 'US', '1234567890123456'],
  ] as const)('%s at %s in %s → %s', (digits, at, country, pattern) => expect(containsPattern(digits, at, country)).toBe(pattern));

  it('never exceeds Twilio’s 16 characters', () => {
    for (let n = 2; n <= 20; n += 1) {
      for (const at of ['first', 'last', 'any'] as const) expect(containsPattern('9'.repeat(n), at, 'US')!.length).toBeLessThanOrEqual(16);
    }
  });
});

describe('matchesNumber (the exact check on what Twilio answers)', () => {
  it.each([
    ['+14245550123', '424', 'first', true],
    ['+14245550123', '0123', 'last', true],
    ['+14245550123', '555', 'any', true],
    ['+14245550123', '555', 'first', false],
    ['+14245550123', '424', 'last', false],
    ['+13105554245', '424', 'first', false],
    ['+13105554245', '4245', 'last', true],
    ['+442071234567', '20', 'first', true],
    ['+442071234567', '44', 'first', false],
    ['+14245550123', '14245', 'any', true],
    ['+14245550123', '', 'first', true],
  ] as const)('%s, %s at %s → %s', (e164, digits, at, expected) => expect(matchesNumber(e164, digits, at)).toBe(expected));
});

describe('areaCodeOf', () => {
  it.each([
    ['US', '310', 'first', '310'],
    ['US', '3105', 'first', '310'],
    ['CA', '416', 'first', '416'],
    ['US', '310', 'any', null],
    ['US', '31', 'first', null],
    ['US', '110', 'first', null],
    ['GB', '207', 'first', null],
  ] as const)('%s %s at %s → %s', (country, digits, at, code) => expect(areaCodeOf(country, digits, at)).toBe(code));
});
