import { CLOUD_ID_PATTERN } from '../../shared/cloud/ids';

/** A route's file name as the last segment (`/v1/reports/calls.csv`): one dot, then a short lowercase extension. */
const ROUTE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\.[a-z]{2,5}$/;

/**
 * Whether `path` is one the cloud client may request: `/v1/` followed by segments that each match
 * the cloud's id pattern (route words like `calls` and `hold` match it too), except that the last may
 * be a route's file name (`calls.csv`), then an optional query.
 * An id that is `..`, `.`, empty or percent-encoded would let a caller reach another route than
 * the one it meant (`/v1/calls/../hold` is `/v1/hold` once the URL is resolved), so such a path is
 * never sent.
 */
export function isSafeApiPath(path: string): boolean {
  const queryAt = path.indexOf('?');
  const pathname = queryAt < 0 ? path : path.slice(0, queryAt);
  if (path.includes('#')) return false;
  const segments = pathname.split('/');
  if (segments[0] !== '' || segments[1] !== 'v1' || segments.length < 3) return false;
  const last = segments.length - 1;
  return segments.slice(2).every((segment, i) => CLOUD_ID_PATTERN.test(segment) || (i + 2 === last && ROUTE_FILE_NAME.test(segment)));
}
