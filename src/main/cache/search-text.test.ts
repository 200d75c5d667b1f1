import { describe, expect, it } from 'vitest';
import { buildMatchQuery, callSortKeyBase, digitSuffixes, phoneSearchText, sortKeyFloor } from './search-text';

describe('search text', () => {
  it('indexes every digit suffix of at least three digits', () => {
    expect(digitSuffixes('14155550123')).toEqual(['14155550123', '4155550123', '155550123', '55550123', '5550123', '550123', '50123', '0123', '123']);
    expect(digitSuffixes('12')).toEqual(['12']);
    expect(phoneSearchText(['+14155550123', null, 'client:rita'])).toContain('5550123');
  });

  it('turns formatted phone input into one digit-prefix token', () => {
    expect(buildMatchQuery('(415) 555-0123')).toBe('"4155550123"*');
    expect(buildMatchQuery('+1 415 555 0123')).toBe('"14155550123"*');
    expect(buildMatchQuery('5550123')).toBe('"5550123"*');
  });

  it('turns words into required prefixes and cannot be used to inject FTS5 syntax', () => {
    expect(buildMatchQuery('Jane Do')).toBe('"Jane"* "Do"*');
    expect(buildMatchQuery('jane" OR x NEAR(')).toBe('"jane"* "OR"* "x"* "NEAR"*');
    expect(buildMatchQuery('  ')).toBeNull();
    expect(buildMatchQuery('"*()')).toBeNull();
  });

  it('orders sort keys by start second', () => {
    const a = callSortKeyBase(Date.parse('2025-01-01T00:00:00Z'), 'zzz');
    const b = callSortKeyBase(Date.parse('2025-01-01T00:00:01Z'), 'aaa');
    expect(a).toBeLessThan(b);
    expect(sortKeyFloor(Date.parse('2025-01-01T00:00:01Z'))).toBeLessThanOrEqual(b);
    expect(sortKeyFloor(Date.parse('2025-01-01T00:00:01Z'))).toBeGreaterThan(a);
  });
});
