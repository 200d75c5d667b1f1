import type { Migration } from './types';

/**
 * A wrap-up whose commit waits for its call to arrive from the cloud is marked on its own row
 * (`wrapups.waiting_since`), not by a `commit.<SID>` key in `sync_state`. The commit that deletes the
 * wrap-up then clears the mark in the same transaction (one durable write where there were two: the
 * old marker was cleared by a write and a WAL sync of its own after every disposition), and nothing
 * is left behind: clearing wrote a `commit.<SID>` row with a NULL value for every call ever
 * dispositioned, kept forever. Live marks move to their rows; every old key goes.
 */
export const migration0240: Migration = {
  version: 240,
  name: 'wrapup-waits-for-call',
  up(db) {
    db.exec(`
      ALTER TABLE wrapups ADD COLUMN waiting_since INTEGER;
      UPDATE wrapups SET waiting_since = (SELECT CAST(s.value AS INTEGER) FROM sync_state s
        WHERE s.key = 'commit.' || wrapups.twilio_call_sid AND typeof(s.value) IN ('integer', 'real'));
      DELETE FROM sync_state WHERE substr(key, 1, 7) = 'commit.';
    `);
  },
};
