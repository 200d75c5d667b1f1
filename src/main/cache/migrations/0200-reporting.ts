import type { Migration } from './types';

/**
 * Offline Call Reporting: the practice's time zone, each team's lead and each call's source, as the
 * cloud now sends them. Rows pulled before this version are not pulled again, so they get what the
 * cloud's own migration gave them: the first location's time zone, no lead, source `softphone`.
 */
export const migration0200: Migration = {
  version: 200,
  name: 'reporting',
  up(db) {
    db.exec(`
      ALTER TABLE accounts ADD COLUMN timezone TEXT NOT NULL DEFAULT 'America/Los_Angeles';
      UPDATE accounts SET timezone = coalesce(
        (SELECT l.timezone FROM locations l WHERE l.account_id = accounts.id ORDER BY l.rowid LIMIT 1), timezone);
      ALTER TABLE teams ADD COLUMN lead_user_id TEXT;
      ALTER TABLE calls ADD COLUMN source TEXT NOT NULL DEFAULT 'softphone'
        CHECK (source IN ('softphone', 'manual_task', 'workflow', 'external'));
    `);
  },
};
