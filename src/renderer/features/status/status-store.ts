import { create } from 'zustand';
import type { SyncStatus } from '../../../shared/ipc/sync-status';

/** Main's sync state: is everything saved, how much is waiting. */
export const useSyncStatus = create<{ sync: SyncStatus | null }>(() => ({ sync: null }));
