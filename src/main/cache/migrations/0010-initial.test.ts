import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/cache-fixtures';
import { schemaVersion } from './index';
import { isStrict, openAt, tableNames } from './test-helpers';

describe('migration 0010 initial', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: Database.Database;
  beforeEach(() => {
    tmp = tempDir();
    db = openAt(tmp.file, 10);
  });
  afterEach(() => {
    db.close();
    tmp.cleanup();
  });

  it('creates the entity tables, all STRICT, and sets user_version 10', () => {
    expect(schemaVersion(db)).toBe(10);
    const tables = ['accounts', 'calls', 'contacts', 'dispositions', 'locations', 'notifications', 'phone_numbers', 'session', 'sync_state', 'teams', 'users'];
    expect(tableNames(db)).toEqual(tables);
    for (const table of tables) expect(isStrict(db, table), table).toBe(true);
  });

  it('enforces types and checks (STRICT tables refuse a wrong type)', () => {
    expect(() => db.prepare("INSERT INTO accounts (id, name, seq) VALUES ('a', 'n', 'not a number')").run()).toThrow(/cannot store TEXT/);
    expect(() =>
      db.prepare("INSERT INTO teams (id, account_id, name, member_ids, seq) VALUES ('t', 'a', 'n', 'not json', 1)").run(),
    ).toThrow(/CHECK constraint/);
  });

  it('keeps call sort keys unique', () => {
    const insert = db.prepare(`INSERT INTO calls (id, account_id, direction, from_number, to_number, remote_number, rang_user_ids,
      status, started_at, started_ms, recordings, seq, sort_key) VALUES (?, 'a', 'inbound', '+1', '+2', '+1', '[]', 'completed', 'x', 0, '[]', 1, 7)`);
    insert.run('c1');
    expect(() => insert.run('c2')).toThrow(/UNIQUE/);
  });
});
