import { describe, expect, it } from 'vitest';
import { formatMicros, parsePriceArgs, PriceArgsError, toMicros } from './price-cli-args';

describe('price CLI arguments', () => {
  it.each([
    ['1.50', 1_500_000],
    ['1.5', 1_500_000],
    ['0.0085', 8_500],
    ['17', 17_000_000],
    ['0.000001', 1],
  ])('%s → %i micros', (text, micros) => expect(toMicros(text, 'x')).toBe(micros));

  it.each(['-1', '1.0000001', 'abc', '', '1,50', '1e3'])('refuses %s', (text) => expect(() => toMicros(text, 'x')).toThrow(PriceArgsError));

  it.each([
    [1_500_000, '1.50'],
    [8_500, '0.0085'],
    [17_000_000, '17.00'],
    [1, '0.000001'],
  ])('formats %i as %s', (micros, text) => expect(formatMicros(micros)).toBe(text));

  it('parses list and set', () => {
    expect(parsePriceArgs([])).toEqual({ command: 'list' });
    expect(parsePriceArgs(['set', 'US', 'toll-free', '--monthly', '2.50', '--inbound', '0.025', '--outbound', '0.016'])).toEqual({
      command: 'set', country: 'US', numberType: 'toll-free', currency: 'USD', monthlyFeeMicros: 2_500_000, inboundPerMinuteMicros: 25_000, outboundPerMinuteMicros: 16_000,
    });
    expect(parsePriceArgs(['set', 'GB', 'mobile', '--monthly', '1', '--inbound', '0', '--outbound', '0.05', '--currency', 'GBP'])).toMatchObject({ currency: 'GBP' });
  });

  it.each([
    [['remove']],
    [['set', 'us', 'local']],
    [['set', 'US', 'premium']],
    [['set', 'US', 'local', '--monthly', '1']],
    [['set', 'US', 'local', '--monthly', '1', '--inbound', '0', '--outbound', '0', '--currency', 'usd']],
    [['set', 'US', 'local', '--fee', '1']],
  ])('refuses %j with a reason', (argv) => expect(() => parsePriceArgs(argv)).toThrow(PriceArgsError));
});
