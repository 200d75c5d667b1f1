import { describe, expect, it } from 'vitest';
import type { SyncStatus } from './sync-status';
import { describeSyncStatus } from './sync-status-label';

const status = (over: Partial<SyncStatus>): SyncStatus => ({ state: 'online', pending: 0, lastError: null, lastSyncedAt: null, failing: false, diskFull: false, ...over });

/** Issue #13 item 7: the status bar tells the truth. */
describe('describeSyncStatus', () => {
  it('says "Saved" only when nothing waits and the last attempt worked', () => {
    expect(describeSyncStatus(status({}))).toEqual({ text: 'Saved', tone: 'ok' });
    expect(describeSyncStatus(status({ pending: 2 }))).toEqual({ text: 'Saving… · 2 waiting', tone: 'busy' });
    expect(describeSyncStatus(status({ pending: 3, failing: true, lastError: 'truncated' }))).toEqual({ text: 'Not saved yet — retrying · 3 waiting', tone: 'error' });
  });
  it('offline, syncing', () => {
    expect(describeSyncStatus(status({ state: 'offline', pending: 1, failing: true })).text).toBe('Offline · 1 waiting');
    expect(describeSyncStatus(status({ state: 'syncing', pending: 4 })).text).toBe('Syncing… · 4 waiting');
  });
  it('a full disk comes first, whatever the network does', () => {
    expect(describeSyncStatus(status({ state: 'offline', diskFull: true, pending: 2 }))).toEqual({ text: 'Disk full — changes cannot be saved · 2 waiting', tone: 'error' });
  });
});
