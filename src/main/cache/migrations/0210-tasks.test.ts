import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/cache-fixtures';
import { schemaVersion } from './index';
import { isStrict, openAt } from './test-helpers';

describe('migration 0210 tasks', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('applies on an empty file', () => {
    const db = openAt(tmp.file, 210);
    expect(schemaVersion(db)).toBe(210);
    expect(isStrict(db, 'tasks')).toBe(true);
    const columns = db.prepare(`SELECT name FROM pragma_table_info('calls')`).pluck().all() as string[];
    expect(columns).toEqual(expect.arrayContaining(['task_id', 'task_outcome']));
    db.close();
  });

  it('applies on a 200 file with calls (kept), replaces the unused placeholder table; statuses and types hold', () => {
    const before = openAt(tmp.file, 200);
    before.exec(`
      INSERT INTO calls (id, account_id, direction, from_number, to_number, remote_number, rang_user_ids, status, started_at, started_ms, recordings, seq, sort_key)
        VALUES ('c1', 'acc', 'outbound', '+1', '+2', '+2', '[]', 'completed', 'x', 0, '[]', 7, 42);`);
    before.close();
    const db = openAt(tmp.file, 210);
    expect(db.prepare(`SELECT id, source, task_id, task_outcome FROM calls`).all()).toEqual([{ id: 'c1', source: 'softphone', task_id: null, task_outcome: null }]);
    const insert = (id: string, type: string, status: string) =>
      db.prepare(`INSERT INTO tasks (id, account_id, type, contact_id, title, status, created_at, created_ms, server_json, seq) VALUES (?, 'acc', ?, 'con', 'T', ?, 'x', 0, '{}', 1)`).run(id, type, status);
    expect(() => insert('t1', 'call', 'queued')).not.toThrow();
    expect(() => insert('t2', 'fax', 'queued')).toThrow(/CHECK/);
    expect(() => insert('t3', 'sms', 'parked')).toThrow(/CHECK/);
    db.close();
  });
});
