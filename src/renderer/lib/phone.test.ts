import { describe, expect, it } from 'vitest';
import { dtmfDigits, formatAsYouType, formatPhone, parseDialTarget } from './phone';

describe('phone helpers', () => {
  it('formats home-country numbers nationally and others internationally', () => {
    expect(formatPhone('+14155550123')).toBe('(415) 555-0123');
    expect(formatPhone('+442071838750')).toBe('+44 20 7183 8750');
    expect(formatPhone('not a number')).toBe('not a number');
    expect(formatPhone(null)).toBe('');
  });

  it('gives the same text for a number formatted again (remembered), per country', () => {
    expect(formatPhone('+14155550123')).toBe('(415) 555-0123');
    expect(formatPhone('+14155550123')).toBe('(415) 555-0123');
    expect(formatPhone('+14155550123', 'GB')).toBe('+1 415 555 0123');
    expect(formatPhone('+442071838750', 'GB')).toBe('020 7183 8750');
    for (let i = 0; i < 1_200; i++) formatPhone(`+1415555${String(i).padStart(4, '0')}`);
    expect(formatPhone('+442071838750', 'GB')).toBe('020 7183 8750');
  });

  it('formats while typing', () => {
    expect(formatAsYouType('4155550')).toBe('(415) 555-0');
  });

  it.each([
    ['(415) 555-0123', '+14155550123'],
    ['415.555.0123', '+14155550123'],
    ['+1 415 555 0123', '+14155550123'],
    ['Call (415) 555-0123 ext 4', '+14155550123'],
    ['+44 20 7183 8750', '+442071838750'],
  ])('accepts %s as %s', (input, e164) => {
    expect(parseDialTarget(input)).toMatchObject({ ok: true, e164 });
  });

  it.each([
    ['', 'Enter a phone number.'],
    ['911', 'That number is too short.'],
    ['hello there', 'That number is too short.'],
    ['+1 000 000 0000', 'That is not a valid phone number. Check the digits and the country code.'],
  ])('refuses %j', (input, reason) => {
    expect(parseDialTarget(input)).toEqual({ ok: false, reason });
  });

  it('keeps only DTMF characters', () => {
    expect(dtmfDigits('1a2*#9 ')).toBe('12*#9');
  });
});
