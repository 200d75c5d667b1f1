import type { Migration } from './types';

/**
 * The outbox of mutations waiting for the cloud. `seq` gives the push order; `target_id` is the call
 * or notification a mutation changes locally (its pending value survives pulls); `state` is
 * 'pending' until the cloud applies it (row deleted) or refuses it for good ('rejected', kept until
 * the user has been told). Times are epoch milliseconds.
 */
export const migration0020: Migration = {
  version: 20,
  name: 'outbox',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        idempotency_key TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        target_id TEXT,
        created_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'rejected'))
      ) STRICT;
      CREATE INDEX outbox_due ON outbox (state, next_attempt_at, seq);
      CREATE INDEX outbox_target ON outbox (target_id, seq) WHERE target_id IS NOT NULL;
    `);
  },
};
