import type { CacheQueryWorker } from '../../cache/query-worker-client';
import type { NamespaceHandlers } from '../router';

/** Full-text search runs on the query worker, off the main event loop (ARCHITECTURE principle 5). */
export function searchHandlers(deps: { queries: Pick<CacheQueryWorker, 'search'> }): NamespaceHandlers<'search'> {
  return {
    'search.query': (input) => deps.queries.search(input),
  };
}
