import { MAX_PUSH_BATCH } from '../../shared/cloud';
import type { CallCache } from '../cache/cache';
import type { SyncStore } from './sync-store';

/** The sync engine's view of the SQLite cache. */
export function cacheSyncStore(cache: CallCache): SyncStore {
  return {
    getCursor: () => cache.getCursor(),
    // The cloud client parsed the page with pullResponseSchema; the cache does not parse it twice.
    applyPull: (page) => {
      cache.applyPullPage(page);
    },
    bulkPull: (active) => cache.bulkPull(active),
    dueOutbox: (limit, now) =>
      cache.outbox.peekBatch(Math.min(limit, MAX_PUSH_BATCH), now).map((entry) => ({
        idempotencyKey: entry.idempotencyKey,
        mutation: entry.mutation,
        attempts: entry.attempts,
      })),
    completeOutbox: (results) => {
      cache.outbox.ack(results);
    },
    deferOutbox: (keys, error, nextAttemptAt) => {
      cache.outbox.markFailed(keys, error, nextAttemptAt);
    },
    pendingCount: () => cache.outbox.pendingCount(),
    nextDueAt: () => cache.outbox.nextDueAt(),
    makeAllDue: (now) => cache.outbox.makeAllDue(now),
  };
}
