import { getBridge } from '../../bridge';
import { useSyncStatus } from './status-store';

/** Loads the sync state and follows it. Resolves with the unsubscribe. */
export async function connectSyncStatus(): Promise<() => void> {
  const bridge = getBridge();
  const off = bridge.on('sync.status', (sync) => useSyncStatus.setState({ sync }));
  const sync = await bridge.sync.getStatus();
  if (sync.ok) useSyncStatus.setState({ sync: sync.value });
  return off;
}
