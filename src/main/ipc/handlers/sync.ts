import type { SyncEngine } from '../../sync/sync-engine';
import type { NamespaceHandlers } from '../router';

export function syncHandlers(deps: { sync: SyncEngine }): NamespaceHandlers<'sync'> {
  return {
    'sync.getStatus': () => deps.sync.status,
    'sync.now': async () => {
      await deps.sync.syncNow();
      return deps.sync.status;
    },
  };
}
