import type { Mutation, MutationResult, PullResponse } from '../../shared/cloud';
import type { DueMutation, SyncStore } from '../sync/sync-store';

/** A SyncStore in memory, for unit tests of the sync engine. */
export class MemorySyncStore implements SyncStore {
  cursor = 0;
  readonly pages: PullResponse[] = [];
  readonly outbox: Array<DueMutation & { nextAttemptAt: number; lastError?: string }> = [];
  readonly completed: MutationResult[] = [];

  enqueue(mutation: Mutation): void {
    if (this.outbox.some((e) => e.idempotencyKey === mutation.idempotencyKey)) return;
    this.outbox.push({ idempotencyKey: mutation.idempotencyKey, mutation, attempts: 0, nextAttemptAt: 0 });
  }
  getCursor() {
    return this.cursor;
  }
  applyPull(page: PullResponse) {
    this.pages.push(page);
    this.cursor = page.cursor;
  }
  dueOutbox(limit: number, now: number) {
    return this.outbox.filter((e) => e.nextAttemptAt <= now).slice(0, limit);
  }
  completeOutbox(results: MutationResult[]) {
    for (const result of results) {
      const index = this.outbox.findIndex((e) => e.idempotencyKey === result.idempotencyKey);
      if (index >= 0) this.outbox.splice(index, 1);
      this.completed.push(result);
    }
  }
  deferOutbox(keys: string[], error: string, nextAttemptAt: number) {
    for (const entry of this.outbox) {
      if (!keys.includes(entry.idempotencyKey)) continue;
      entry.attempts += 1;
      entry.nextAttemptAt = nextAttemptAt;
      entry.lastError = error;
    }
  }
  pendingCount() {
    return this.outbox.length;
  }
  nextDueAt() {
    const times = this.outbox.map((e) => e.nextAttemptAt);
    return times.length ? Math.min(...times) : undefined;
  }
  makeAllDue(now: number) {
    let changed = 0;
    for (const entry of this.outbox) {
      if (entry.nextAttemptAt > now) {
        entry.nextAttemptAt = now;
        changed++;
      }
    }
    return changed;
  }
}

export { emptyPullChanges as emptyChanges } from '../../shared/cloud';
