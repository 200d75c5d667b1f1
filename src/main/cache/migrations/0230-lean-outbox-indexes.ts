import type { Migration } from './types';

/**
 * Two of the outbox's four indexes go: `outbox_due` (state, next_attempt_at, seq) and `outbox_owner`
 * (owner_user, owner_cloud, state, seq). Each was one more B-tree page written in every outbox
 * write's commit (a disposition's durable path, issue #21); the outbox is a short queue of unsent
 * rows (applied rows are deleted), so `peekBatch`, `pendingCount`, `nextDueAt` and `makeAllDue` scan
 * it in seq order instead. `outbox_target` stays: it orders a row's mutations and folds them (overlay.ts).
 */
export const migration0230: Migration = {
  version: 230,
  name: 'lean-outbox-indexes',
  up(db) {
    db.exec(`DROP INDEX IF EXISTS outbox_due; DROP INDEX IF EXISTS outbox_owner;`);
  },
};
