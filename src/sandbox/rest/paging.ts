// Twilio's 2010-04-01 paging: `PageSize` (default 50, at most 1000), `Page` (0-based) and
// `PageToken` (`PA<sid>` = the page after that record, `PB<sid>` = the page before it), answered
// with `first_page_uri`, `next_page_uri`, `previous_page_uri`, `page`, `page_size`, `start`, `end`
// and `uri`. The official client follows `next_page_uri` until it is null.
import { TwilioRestError } from './errors';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

type Item = Record<string, unknown>;

const idOf = (item: Item, index: number): string => (typeof item.sid === 'string' ? item.sid : String(index));

function pageUri(path: string, filters: URLSearchParams, pageSize: number, pageNumber: number, token?: string): string {
  const q = new URLSearchParams(filters);
  q.set('PageSize', String(pageSize));
  q.set('Page', String(pageNumber));
  if (token) q.set('PageToken', token);
  return `${path}?${q.toString()}`;
}

function nonNegativeInt(raw: string | null, name: string, fallback: number): number {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new TwilioRestError(400, 20001, `Invalid ${name}: ${raw}`);
  return n;
}

/**
 * One page of `items` (already filtered and in the list's order) for the request `url`, in
 * Twilio's envelope. Filters in the query string are carried into every page URI.
 */
export function page(key: string, url: string, items: Item[], _pageSizeHint?: number): Item {
  const [path = '', query = ''] = url.split('?', 2);
  const params = new URLSearchParams(query);
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, nonNegativeInt(params.get('PageSize'), 'PageSize', DEFAULT_PAGE_SIZE)));
  const pageNumber = nonNegativeInt(params.get('Page'), 'Page', 0);
  const token = params.get('PageToken');
  const filters = new URLSearchParams(params);
  for (const k of ['PageSize', 'Page', 'PageToken']) filters.delete(k);

  let start = pageNumber * pageSize;
  const tokenMatch = token ? /^(PA|PB)(.+)$/.exec(token) : null;
  if (token && !tokenMatch) throw new TwilioRestError(400, 20001, `Invalid PageToken: ${token}`);
  if (tokenMatch) {
    const at = items.findIndex((item, i) => idOf(item, i) === tokenMatch[2]);
    // A record deleted since the token was made: fall back to the page number, as offsets would.
    if (at >= 0) start = tokenMatch[1] === 'PA' ? at + 1 : Math.max(0, at - pageSize);
  }
  const slice = items.slice(start, start + pageSize);
  const last = slice.at(-1);
  const first = slice[0];
  const hasNext = start + pageSize < items.length && last !== undefined;
  const hasPrevious = start > 0 && first !== undefined;
  return {
    [key]: slice,
    end: slice.length ? start + slice.length - 1 : start,
    first_page_uri: pageUri(path, filters, pageSize, 0),
    next_page_uri: hasNext ? pageUri(path, filters, pageSize, pageNumber + 1, `PA${idOf(last, start + slice.length - 1)}`) : null,
    page: pageNumber,
    page_size: pageSize,
    previous_page_uri: hasPrevious ? pageUri(path, filters, pageSize, Math.max(0, pageNumber - 1), `PB${idOf(first, start)}`) : null,
    start,
    uri: pageUri(path, filters, pageSize, pageNumber, token ?? undefined),
  };
}
