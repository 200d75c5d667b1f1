import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/cache-fixtures';
import { schemaVersion } from './index';
import { openAt } from './test-helpers';

const outboxIndexes = (db: ReturnType<typeof openAt>) =>
  db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL ORDER BY name").pluck().all();

describe('migration 0230 lean outbox indexes', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('drops outbox_due and outbox_owner on a 220 file, keeps its rows, outbox_target and the key’s uniqueness', () => {
    const before = openAt(tmp.file, 220);
    expect(outboxIndexes(before)).toEqual(['outbox_due', 'outbox_owner', 'outbox_target']);
    before.exec(`INSERT INTO outbox (idempotency_key, type, payload, target_id, created_at, next_attempt_at) VALUES ('key-0001', 'call.setNote', '{}', 'call:c1', 1, 1)`);
    before.close();
    const db = openAt(tmp.file, 230);
    expect(schemaVersion(db)).toBe(230);
    expect(outboxIndexes(db)).toEqual(['outbox_target']);
    expect(db.prepare('SELECT idempotency_key FROM outbox').pluck().all()).toEqual(['key-0001']);
    expect(() =>
      db.prepare(`INSERT INTO outbox (idempotency_key, type, payload, created_at, next_attempt_at) VALUES ('key-0001', 'call.setNote', '{}', 2, 2)`).run(),
    ).toThrow(/UNIQUE/);
    db.close();
  });
});
