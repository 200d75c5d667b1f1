import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/cache-fixtures';
import { schemaVersion } from './index';
import { openAt } from './test-helpers';

describe('migration 0250 contact assignment overlay', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it("keeps each contact's assignment as the cloud's own value", () => {
    const before = openAt(tmp.file, 240);
    const insert = before.prepare(
      `INSERT INTO contacts (id, account_id, name, tags, assigned_user_id, dnd, created_at, updated_at, seq) VALUES (?, 'acc', ?, '[]', ?, '{}', '2026-01-01', '2026-01-01', 1)`,
    );
    insert.run('con_a', 'Ava', 'usr_maya');
    insert.run('con_b', 'Ben', null);
    before.close();

    const db = openAt(tmp.file, 250);
    expect(schemaVersion(db)).toBe(250);
    expect(db.prepare('SELECT id, assigned_user_id, server_assigned_user_id FROM contacts ORDER BY id').all()).toEqual([
      { id: 'con_a', assigned_user_id: 'usr_maya', server_assigned_user_id: 'usr_maya' },
      { id: 'con_b', assigned_user_id: null, server_assigned_user_id: null },
    ]);
    db.close();
  });
});
