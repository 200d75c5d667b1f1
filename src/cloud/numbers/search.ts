import type { z } from 'zod';
import type { AvailableNumber, NumberSearchResult, SearchSuggestion, numberSearchQuerySchema } from '../../shared/cloud/numbers';
import type { Principal } from '../context';
import { ApiError } from '../errors';
import type { NumbersDeps } from './deps';
import { areaCodeOf, containsPattern, keypadDigits, matchesNumber } from './number-match';
import { accountCountry, priceFor } from './prices';
import { ALWAYS, NANP_OVERLAYS, nearbyCodes, plan, type SuggestionQuery } from './suggestions';
import { TwilioNumberError } from './twilio-numbers';

export type SearchQuery = z.output<typeof numberSearchQuerySchema>;

/**
 * Searches Twilio's inventory with the seed's filters (digits or a phrase matching the first, last
 * or any part of the number; capabilities; type), with the price of that country and type, and —
 * when nothing matched — suggestions that were checked to have numbers.
 */
export async function searchAvailable(deps: NumbersDeps, principal: Principal, query: SearchQuery): Promise<NumberSearchResult> {
  const { db } = deps.ctx;
  const [home, price] = await Promise.all([accountCountry(db, principal.accountId), priceFor(db, query.country, query.type)]);
  const numbers = await find(deps, query);
  const suggestions = numbers.length > 0 ? [] : await suggest(deps, query);
  return { numbers, price, international: query.country !== home, suggestions };
}

/** One search: Twilio asked with `Contains`, its answer checked against the exact filter. Twilio's refusals become problems. */
async function find(deps: NumbersDeps, query: SuggestionQuery & { limit?: number }, options: { quiet?: boolean } = {}): Promise<AvailableNumber[]> {
  const digits = keypadDigits(query.match ?? '');
  const limit = query.limit ?? 20;
  try {
    const found = await deps.provider().search({
      country: query.country,
      type: query.type,
      contains: containsPattern(digits, query.matchAt, query.country) ?? undefined,
      voice: query.voice,
      sms: query.sms,
      mms: query.mms,
      // A little more than asked for: the exact check may drop a few.
      limit: Math.min(50, limit * 2),
    });
    return found
      .filter((n) => matchesNumber(n.phoneNumber, digits, query.matchAt))
      .filter((n) => (!query.voice || n.capabilities.voice) && (!query.sms || n.capabilities.sms) && (!query.mms || n.capabilities.mms))
      .slice(0, limit);
  } catch (error) {
    if (options.quiet) return [];
    if (error instanceof TwilioNumberError) {
      // A country or type Twilio does not sell (404), or an area code with no stock: simply nothing.
      if (error.kind === 'not-found' || error.kind === 'no-stock') return [];
      if (error.kind === 'not-configured') throw new ApiError('TWILIO_NOT_CONFIGURED', error.message);
      if (error.kind === 'unreachable') throw new ApiError('TWILIO_REQUEST_FAILED', 'Twilio could not be reached to search for numbers. Try again in a moment.');
      throw new ApiError('VALIDATION_FAILED', `Twilio could not run this search: ${error.message}`);
    }
    throw error;
  }
}

const MAX_SUGGESTION_SEARCHES = 6;

async function suggest(deps: NumbersDeps, query: SearchQuery): Promise<SearchSuggestion[]> {
  const digits = keypadDigits(query.match ?? '');
  const areaCode = areaCodeOf(query.country, digits, query.matchAt);
  const hasTollFree = (await priceFor(deps.ctx.db, query.country, 'toll-free')) !== null;
  const { searches, nearbyOf } = plan(
    { country: query.country, type: query.type, matchAt: query.matchAt, ...(query.match ? { match: query.match } : {}), voice: query.voice, sms: query.sms, mms: query.mms },
    areaCode,
    hasTollFree,
  );
  const tried = searches.slice(0, MAX_SUGGESTION_SEARCHES);
  const [counts, nearby] = await Promise.all([
    Promise.all(tried.map((s) => find(deps, { ...s.query, limit: 20 }, { quiet: true }).then((found) => found.length))),
    nearbyOf ? nearbySuggestions(deps, query, nearbyOf) : Promise.resolve([]),
  ]);
  const checked: SearchSuggestion[] = tried.flatMap((s, i) => (counts[i]! > 0 ? [{ kind: s.kind, label: s.label, query: s.query, available: counts[i]! }] : []));
  // Overlays first, then nearby codes, then toll-free and broader searches.
  const overlays = checked.filter((s) => s.kind === 'overlay');
  const rest = checked.filter((s) => s.kind !== 'overlay');
  return [...overlays, ...nearby, ...rest, ...ALWAYS];
}

/** Numbers near the sold-out code (Twilio's NearNumber), grouped by their area code. */
async function nearbySuggestions(deps: NumbersDeps, query: SearchQuery, areaCode: string): Promise<SearchSuggestion[]> {
  let found: AvailableNumber[];
  try {
    found = await deps.provider().search({ country: query.country, type: 'local', nearNumber: `+1${areaCode}2000000`, distance: 25, voice: query.voice, sms: query.sms, mms: query.mms, limit: 50 });
  } catch {
    return []; // best effort: a suggestion that cannot be checked is not offered
  }
  const exclude = new Set([areaCode, ...(NANP_OVERLAYS[areaCode] ?? [])]);
  return nearbyCodes(found, exclude)
    .slice(0, 3)
    .map((c) => ({
      kind: 'nearby' as const,
      label: `Nearby area code ${c.code}${c.locality ? ` (${c.locality})` : ''}`,
      query: { country: query.country, type: 'local' as const, match: c.code, matchAt: 'first' as const, ...(query.voice ? { voice: true } : {}), ...(query.sms ? { sms: true } : {}), ...(query.mms ? { mms: true } : {}) },
      available: c.count,
    }));
}
