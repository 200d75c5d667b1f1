import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/cache-fixtures';
import { schemaVersion } from './index';
import { openAt } from './test-helpers';

describe('migration 0200 reporting', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('applies on an empty file', () => {
    const db = openAt(tmp.file, 200);
    expect(schemaVersion(db)).toBe(200);
    const columns = (table: string) => (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]);
    expect(columns('accounts')).toContain('timezone');
    expect(columns('teams')).toContain('lead_user_id');
    expect(columns('calls')).toContain('source');
    db.close();
  });

  it('keeps the rows of the previous version: the time zone comes from the first location, calls are softphone calls', () => {
    const before = openAt(tmp.file, 40);
    before.exec(`
      INSERT INTO accounts (id, name, seq) VALUES ('acc', 'Spa', 3);
      INSERT INTO locations (id, account_id, name, timezone, seq) VALUES ('loc1', 'acc', 'One', 'America/New_York', 4), ('loc2', 'acc', 'Two', 'Europe/London', 5);
      INSERT INTO teams (id, account_id, name, member_ids, seq) VALUES ('t1', 'acc', 'Front Desk', '["u1"]', 6);
      INSERT INTO calls (id, account_id, direction, from_number, to_number, remote_number, rang_user_ids, status, started_at, started_ms, recordings, seq, sort_key)
        VALUES ('c1', 'acc', 'inbound', '+1', '+2', '+1', '[]', 'completed', 'x', 0, '[]', 7, 42);`);
    before.close();

    const db = openAt(tmp.file, 200);
    expect(db.prepare(`SELECT id, name, timezone, seq FROM accounts`).all()).toEqual([{ id: 'acc', name: 'Spa', timezone: 'America/New_York', seq: 3 }]);
    expect(db.prepare(`SELECT id, lead_user_id, member_ids FROM teams`).all()).toEqual([{ id: 't1', lead_user_id: null, member_ids: '["u1"]' }]);
    expect(db.prepare(`SELECT id, source, sort_key FROM calls`).all()).toEqual([{ id: 'c1', source: 'softphone', sort_key: 42 }]);
    expect(() => db.prepare(`UPDATE calls SET source = 'fax'`).run()).toThrow(/CHECK/);
    db.close();
  });
});
