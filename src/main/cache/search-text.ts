/**
 * How phone numbers and words become FTS5 tokens, and how a search box string becomes an FTS5 query.
 *
 * Phone numbers are indexed as every suffix of their digits (at least MIN_SUFFIX long), so a prefix
 * query on the searched digits matches any substring of the number: "5550123" finds +14155550123
 * through its suffix token "5550123". Word tokens (names, emails, tags, notes) use unicode61's
 * own tokenising, queried as prefixes.
 */
const MIN_SUFFIX = 3;
const MAX_QUERY_TOKENS = 8;
const MAX_TOKEN_LENGTH = 64;

export function digitsOf(value: string): string {
  return value.replace(/\D+/g, '');
}

/** The suffix tokens of one number's digits, longest first. */
export function digitSuffixes(digits: string): string[] {
  if (digits.length === 0) return [];
  if (digits.length <= MIN_SUFFIX) return [digits];
  const out: string[] = [];
  for (let start = 0; start <= digits.length - MIN_SUFFIX; start++) out.push(digits.slice(start));
  return out;
}

/**
 * The `digits` column text for a row with these phone numbers (E.164, client identities, anything):
 * every suffix of each number, so any part of it matches. `wholeOnly` numbers (a call's own practice
 * line, the same on thousands of calls) are indexed only whole — with and without the country code —
 * which keeps the index small and stops "555" from matching every call on that line.
 */
export function phoneSearchText(numbers: readonly (string | null | undefined)[], wholeOnly: readonly (string | null | undefined)[] = []): string {
  const tokens = new Set<string>();
  for (const number of numbers) {
    if (!number) continue;
    for (const suffix of digitSuffixes(digitsOf(number))) tokens.add(suffix);
  }
  for (const number of wholeOnly) {
    const digits = number ? digitsOf(number) : '';
    if (digits.length === 0) continue;
    tokens.add(digits);
    if (digits.length > 10) tokens.add(digits.slice(-10));
  }
  return [...tokens].join(' ');
}

const PHONE_LIKE = /^[\d\s().+\-/]+$/;

/** Splits text the way the search index does (search-tokens.ts: SQLite's own tokenizer). */
export type Tokenize = (text: string) => string[];

/**
 * The FTS5 MATCH expression for what a receptionist typed, or null when there is nothing to search.
 * A phone-looking input ("(415) 555-0123", "+1 415", "5550123") becomes one digit-prefix token; any
 * other input is split into the index's own tokens, each a prefix, all required. Each token is one
 * index token (never a phrase, which the detail=column tables refuse) and is quoted, so user input
 * can never inject FTS5 syntax.
 */
export function buildMatchQuery(input: string, tokenize: Tokenize): string | null {
  const trimmed = input.trim();
  if (trimmed.length === 0) return null;
  if (PHONE_LIKE.test(trimmed)) {
    const digits = digitsOf(trimmed).slice(0, MAX_TOKEN_LENGTH);
    return digits.length > 0 ? `"${digits}"*` : null;
  }
  // Cut by code points, so a long token never ends in half a surrogate pair.
  const words = tokenize(trimmed).map((token) => [...token].slice(0, MAX_TOKEN_LENGTH).join(''));
  const tokens = [...new Set(words)].filter((token) => token.length > 0).slice(0, MAX_QUERY_TOKENS);
  if (tokens.length === 0) return null;
  return tokens.map((token) => `"${token.replaceAll('"', '""')}"*`).join(' ');
}

/**
 * The order key of a call in history and search: its start second in the high bits and a hash of its
 * id in the low 21 bits. FTS5 can walk its rowids in this order and stop after one page, which is
 * what keeps a search over a million calls fast. The caller probes upwards on a collision.
 */
export function callSortKeyBase(startedMs: number, id: string): number {
  const seconds = Math.min(Math.max(Math.floor(startedMs / 1000), 0), 2 ** 31);
  return seconds * 2 ** 21 + (fnv1a(id) & 0x1fffff);
}

/** The smallest sort key of any call started at or after `ms`. */
export function sortKeyFloor(ms: number): number {
  return Math.min(Math.max(Math.floor(ms / 1000), 0), 2 ** 31) * 2 ** 21;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
