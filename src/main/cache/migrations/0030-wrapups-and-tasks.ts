import type { Migration } from './types';

/**
 * Wrap-ups: calls that ended and await a disposition, so one survives a crash, a reload or a second
 * call. Keyed by the Twilio call SID, which the softphone knows the moment the call ends; the cloud
 * call id is filled in when known. 'chosen' means a disposition was picked but not yet committed
 * (the undo window). A committed wrap-up is deleted.
 *
 * Tasks: local to the desktop for now (no cloud entity yet).
 */
export const migration0030: Migration = {
  version: 30,
  name: 'wrapups-and-tasks',
  up(db) {
    db.exec(`
      CREATE TABLE wrapups (
        twilio_call_sid TEXT PRIMARY KEY,
        call_id TEXT,
        ended_at TEXT NOT NULL,
        location_id TEXT,
        disposition_id TEXT,
        note TEXT,
        state TEXT NOT NULL CHECK (state IN ('pending', 'chosen')),
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX wrapups_call ON wrapups (call_id) WHERE call_id IS NOT NULL;

      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        due TEXT,
        done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
        contact_id TEXT,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX tasks_open ON tasks (due) WHERE done = 0;
    `);
  },
};
