import type { Migration } from './types';

/**
 * Manual Actions tasks as the cloud syncs them (replacing migration 30's local placeholder table,
 * which no code ever wrote). `server_json` is the cloud's last row; the other columns are the
 * effective task: the cloud's row with this desk's unsent claim / start / finish folded on top
 * (overlay.ts), so working the queue offline shows at once. Calls get the task outcome for History.
 *
 * Numbered 210, not in the 100–190 range WAVE2-CONTRACTS.md gave tasks: a cache already at 200
 * (reporting) would never run a migration numbered below it.
 */
export const migration0210: Migration = {
  version: 210,
  name: 'tasks',
  up(db) {
    db.exec(`
      DROP TABLE tasks;
      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('call', 'sms')),
        contact_id TEXT NOT NULL,
        title TEXT NOT NULL,
        message TEXT,
        from_number_id TEXT,
        assigned_user_id TEXT,
        workflow_id TEXT,
        workflow_name TEXT,
        run_id TEXT,
        status TEXT NOT NULL CHECK (status IN ('queued', 'in_progress', 'completed', 'skipped', 'cancelled', 'expired')),
        reason TEXT,
        created_at TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        started_by TEXT,
        finished_at TEXT,
        call_id TEXT,
        call_outcome TEXT,
        disposition_id TEXT,
        note TEXT,
        server_json TEXT NOT NULL,
        seq INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX tasks_open ON tasks (created_ms, id) WHERE status IN ('queued', 'in_progress');
      ALTER TABLE calls ADD COLUMN task_id TEXT;
      ALTER TABLE calls ADD COLUMN task_outcome TEXT;
    `);
  },
};
