import type { CacheQueryWorker } from '../../cache/query-worker-client';
import type { NamespaceHandlers } from '../router';

/** History pages run on the query worker, off the main event loop (ARCHITECTURE principle 5). */
export function historyHandlers(deps: { queries: Pick<CacheQueryWorker, 'history'> }): NamespaceHandlers<'history'> {
  return {
    'history.list': (filters) => deps.queries.history(filters),
  };
}
