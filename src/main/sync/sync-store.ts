import type { Mutation, MutationResult, PullResponse } from '../../shared/cloud';

/** What the engine sends for one outbox row: a user action due to reach the cloud (the cache's full row is cache/types.ts OutboxEntry). */
export interface DueMutation {
  idempotencyKey: string;
  mutation: Mutation;
  attempts: number;
}

/**
 * What the sync engine needs from the local cache (src/main/cache implements it on SQLite).
 * Every method is one transaction: a crash between two calls loses nothing and duplicates nothing,
 * because the cloud applies each idempotency key at most once.
 */
export interface SyncStore {
  getCursor(): number;
  /** Applies a page of changes (already parsed by the cloud client) and its cursor atomically (maybe on another thread). */
  applyPull(page: PullResponse): void | Promise<void>;
  /**
   * A pull of several pages starts (true) or ends (false): the store may batch its disk work
   * meanwhile, or write on another thread. Ending never fails (what it could not finish, the next open does).
   */
  bulkPull?(active: boolean): void | Promise<void>;
  /** Outbox rows due for sending at `now`, oldest first. */
  dueOutbox(limit: number, now: number): DueMutation[];
  /** Removes rows the cloud answered (applied or permanently rejected). */
  completeOutbox(results: MutationResult[]): void;
  /** Leaves rows in the outbox for a later attempt. */
  deferOutbox(keys: string[], error: string, nextAttemptAt: number): void;
  pendingCount(): number;
  /** When the earliest deferred row becomes due, if any. */
  nextDueAt(): number | undefined;
  /** The connection is back: every waiting row is due at `now` (its own backoff forgotten). */
  makeAllDue(now: number): number;
}
