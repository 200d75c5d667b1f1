import type { MatchAt, NumberType, SearchSuggestion } from '../../shared/cloud/numbers';

/**
 * What to offer when a search finds nothing (seed 001: "try nearby or overlay area codes, use a
 * toll-free number, refresh results, contact support"), pure. `plan` lists the searches worth
 * trying; the search service runs them and keeps those that found numbers.
 */

/** North American overlay codes: areas served by more than one code (public NANPA data; the seed's 310 → 424 among them). */
export const NANP_OVERLAYS: Readonly<Record<string, readonly string[]>> = overlayGroups([
  ['212', '646', '332', '917'], ['718', '347', '929', '917'], ['310', '424'], ['415', '628'], ['213', '323'], ['305', '786'],
  ['818', '747'], ['312', '872'], ['617', '857'], ['214', '469', '972', '945'], ['713', '281', '832', '346'], ['404', '470', '678', '770'],
  ['702', '725'], ['512', '737'], ['303', '720', '983'], ['206', '564'], ['202', '771'], ['619', '858'], ['626', '323'], ['949', '657'],
  ['416', '647', '437'], ['514', '438'], ['604', '778', '236'], ['403', '587', '825'],
]);

function overlayGroups(groups: string[][]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const group of groups) {
    for (const code of group) out[code] = [...new Set([...(out[code] ?? []), ...group.filter((c) => c !== code)])];
  }
  return out;
}

export interface SuggestionQuery {
  country: string;
  type: NumberType;
  match?: string;
  matchAt: MatchAt;
  voice?: boolean;
  sms?: boolean;
  mms?: boolean;
}

export interface PlannedSearch {
  kind: 'overlay' | 'toll-free' | 'broaden';
  label: string;
  query: SuggestionQuery;
}

export interface SuggestionPlan {
  searches: PlannedSearch[];
  /** A sold-out local area code whose neighbours are worth a "near this number" search. */
  nearbyOf: string | null;
}

/** The searches worth trying instead of one that found nothing. */
export function plan(query: SuggestionQuery, areaCode: string | null, hasTollFree: boolean): SuggestionPlan {
  const searches: PlannedSearch[] = [];
  const caps = { ...(query.voice ? { voice: true } : {}), ...(query.sms ? { sms: true } : {}), ...(query.mms ? { mms: true } : {}) };
  if (areaCode && query.type === 'local') {
    for (const code of NANP_OVERLAYS[areaCode] ?? []) {
      searches.push({ kind: 'overlay', label: `Overlay area code ${code} (same area as ${areaCode})`, query: { country: query.country, type: 'local', match: code, matchAt: 'first', ...caps } });
    }
  }
  if (query.type === 'local' && hasTollFree) {
    searches.push({ kind: 'toll-free', label: 'A toll-free number (888, 877 and similar usually have more availability)', query: { country: query.country, type: 'toll-free', matchAt: 'any', ...caps } });
  }
  if (Object.keys(caps).length > 0) {
    searches.push({ kind: 'broaden', label: 'The same search without the capability filters', query: { ...query, voice: undefined, sms: undefined, mms: undefined } });
  }
  // An area code anywhere in the number is not what was asked for; other digits or a phrase may be.
  if (query.match && query.matchAt !== 'any' && !areaCode) {
    searches.push({ kind: 'broaden', label: `“${query.match}” anywhere in the number`, query: { ...query, matchAt: 'any' } });
  }
  return { searches: searches.map(dropUndefined), nearbyOf: areaCode && query.type === 'local' ? areaCode : null };
}

function dropUndefined(s: PlannedSearch): PlannedSearch {
  return { ...s, query: Object.fromEntries(Object.entries(s.query).filter(([, v]) => v !== undefined)) as unknown as SuggestionQuery };
}

/** Nearby area codes seen in a "near this number" search, most numbers first, without the codes already suggested. */
export function nearbyCodes(found: { phoneNumber: string; locality: string | null }[], exclude: ReadonlySet<string>): { code: string; locality: string | null; count: number }[] {
  const byCode = new Map<string, { code: string; locality: string | null; count: number }>();
  for (const n of found) {
    if (!/^\+1\d{10}$/.test(n.phoneNumber)) continue;
    const code = n.phoneNumber.slice(2, 5);
    if (exclude.has(code)) continue;
    const entry = byCode.get(code) ?? { code, locality: n.locality, count: 0 };
    entry.count += 1;
    byCode.set(code, entry);
  }
  return [...byCode.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** The two that are always offered last. */
export const ALWAYS: readonly SearchSuggestion[] = [
  { kind: 'refresh', label: 'Refresh results: availability changes frequently' },
  { kind: 'support', label: 'Ask Aesthetix support for a number that is not listed here' },
];
