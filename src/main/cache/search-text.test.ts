import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMatchQuery as build, callSortKeyBase, digitSuffixes, phoneSearchText, sortKeyFloor } from './search-text';
import { indexTokens } from './search-tokens';

// A table shaped like the real search tables (contentless, detail=column, the same tokenizer).
const db = new Database(':memory:');
db.exec(`CREATE VIRTUAL TABLE t USING fts5 (name, content = '', contentless_delete = 1, detail = column, tokenize = 'unicode61 remove_diacritics 2')`);
db.prepare('INSERT INTO t (rowid, name) VALUES (1, ?)').run('Émile Zoë aᦰb');
afterAll(() => db.close());
const buildMatchQuery = (input: string) => build(input, (text) => indexTokens(db, text));
const codeUnit = fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)), fc.integer({ min: 0, max: 0x10ffff }).map((point) => String.fromCodePoint(point)));
const matches = (input: string): number[] => {
  const query = buildMatchQuery(input);
  return query === null ? [] : (db.prepare('SELECT rowid FROM t WHERE t MATCH ?').all(query) as { rowid: number }[]).map((r) => r.rowid);
};

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
    expect(buildMatchQuery('Jane Do')).toBe('"jane"* "do"*');
    expect(buildMatchQuery('jane" OR x NEAR(')).toBe('"jane"* "or"* "x"* "near"*');
    expect(buildMatchQuery('  ')).toBeNull();
    expect(buildMatchQuery('"*()')).toBeNull();
  });

  it('splits words where the index does, so a query is never a phrase FTS5 refuses (aᦰb)', () => {
    // U+19B0 is a letter to JavaScript and a separator to SQLite's unicode61.
    expect(buildMatchQuery('aᦰb')).toBe('"a"* "b"*');
    expect(matches('aᦰb')).toEqual([1]);
    expect(matches('emile')).toEqual([1]);
    expect(matches('ZOE')).toEqual([1]);
    for (const input of ['\u0345', '😀', 'x\u00ADy', 'ǅ', 'a\u200db', 'ꭰꭱ', '\uD800', 'e\u0301'.repeat(40), '"', '*', 'NEAR(a b)', '^a', 'a:b', '-x']) {
      expect(() => matches(input), JSON.stringify(input)).not.toThrow();
    }
  });

  it('builds a query FTS5 accepts for any input at all', () => {
    fc.assert(
      // Whole graphemes, and any code units at all (lone surrogates, unassigned and private-use code points).
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: codeUnit, maxLength: 40 }), (a, b) => {
        matches(a);
        matches(b);
        matches(`${a}${b}`);
      }),
      { numRuns: 500 },
    );
  }, 30_000);

  it('orders sort keys by start second', () => {
    const a = callSortKeyBase(Date.parse('2025-01-01T00:00:00Z'), 'zzz');
    const b = callSortKeyBase(Date.parse('2025-01-01T00:00:01Z'), 'aaa');
    expect(a).toBeLessThan(b);
    expect(sortKeyFloor(Date.parse('2025-01-01T00:00:01Z'))).toBeLessThanOrEqual(b);
    expect(sortKeyFloor(Date.parse('2025-01-01T00:00:01Z'))).toBeGreaterThan(a);
  });
});
