import { MAX_PUSH_BATCH } from '../../shared/cloud';
import type { CallCache } from '../cache/cache';
import type { SyncStore } from './sync-store';

/** The latest instant a JavaScript Date can hold: "every row, however far off its retry". */
const LATEST_DATE_MS = 8.64e15;

/** The sync engine's view of the SQLite cache. */
export function cacheSyncStore(cache: CallCache): SyncStore {
  return {
    getCursor: () => cache.getCursor(),
    applyPull: (page) => {
      cache.applyPull(page);
    },
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
    nextDueAt: () => {
      const waiting = cache.outbox.peekBatch(MAX_PUSH_BATCH, LATEST_DATE_MS);
      return waiting.length ? Math.min(...waiting.map((entry) => entry.nextAttemptAt)) : undefined;
    },
  };
}
