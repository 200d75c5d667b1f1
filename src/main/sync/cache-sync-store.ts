import { MAX_PUSH_BATCH } from '../../shared/cloud';
import type { CallCache } from '../cache/cache';
import type { PullWriter } from '../cache/pull-writer-client';
import type { SyncStore } from './sync-store';

/**
 * The sync engine's view of the SQLite cache. A pull of many pages is written by the cache's pull
 * writer thread (started at the bulk pull's start, closed at its end); when that thread cannot start,
 * the pages are written here on the main thread as before.
 */
export function cacheSyncStore(cache: CallCache): SyncStore {
  let writer: PullWriter | undefined;
  let inProcessBulk = false;
  return {
    getCursor: () => cache.getCursor(),
    // The cloud client parsed the page with pullResponseSchema; the cache does not parse it twice.
    applyPull: async (page) => {
      if (writer) await writer.write(page);
      else cache.applyPullPage(page);
    },
    bulkPull: async (active) => {
      if (active) {
        let started: PullWriter | undefined;
        try {
          started = cache.startPullWriter();
          await started.ready;
          writer = started;
        } catch {
          await started?.close();
          inProcessBulk = true;
          cache.bulkPull(true);
        }
        return;
      }
      if (inProcessBulk) {
        inProcessBulk = false;
        cache.bulkPull(false);
      }
      const done = writer;
      writer = undefined;
      if (!done) return;
      await done.close();
      try {
        // A writer thread that died mid-pull could not merge the search index: do it here.
        cache.resumeInterruptedMerging();
      } catch {
        // The next open does it.
      }
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
    nextDueAt: () => cache.outbox.nextDueAt(),
    makeAllDue: (now) => cache.outbox.makeAllDue(now),
  };
}
