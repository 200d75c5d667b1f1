import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/cache-fixtures';
import { schemaVersion } from './index';
import { openAt } from './test-helpers';

describe('migration 0220 agent calls', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('applies on a 210 file with calls (kept, no agent record) and refuses a record that is not JSON', () => {
    const before = openAt(tmp.file, 210);
    before.exec(`
      INSERT INTO calls (id, account_id, direction, from_number, to_number, remote_number, rang_user_ids, status, started_at, started_ms, recordings, seq, sort_key)
        VALUES ('c1', 'acc', 'inbound', '+1', '+2', '+1', '[]', 'completed', 'x', 0, '[]', 7, 42);`);
    before.close();
    const db = openAt(tmp.file, 220);
    expect(schemaVersion(db)).toBe(220);
    expect(db.prepare(`SELECT id, agent_json FROM calls`).all()).toEqual([{ id: 'c1', agent_json: null }]);
    expect(() => db.prepare(`UPDATE calls SET agent_json = '{"summary":"x"}' WHERE id = 'c1'`).run()).not.toThrow();
    expect(() => db.prepare(`UPDATE calls SET agent_json = 'not json' WHERE id = 'c1'`).run()).toThrow(/CHECK/);
    db.close();
  });
});
