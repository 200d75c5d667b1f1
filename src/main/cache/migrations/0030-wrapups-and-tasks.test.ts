import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../../test/support/temp-cache';
import { schemaVersion } from './index';
import { isStrict, openAt, tableNames } from './test-helpers';

describe('migration 0030 wrap-ups and tasks', () => {
  const tmp = useTempDir();

  it('adds STRICT wrapups and tasks tables to a 0020 database and keeps the outbox', () => {
    const before = openAt(tmp.file, 20);
    before.prepare("INSERT INTO outbox (idempotency_key, type, payload, created_at, next_attempt_at) VALUES ('k1', 't', '{}', 1, 1)").run();
    before.close();

    const db = openAt(tmp.file, 30);
    expect(schemaVersion(db)).toBe(30);
    expect(tableNames(db)).toEqual(expect.arrayContaining(['wrapups', 'tasks', 'outbox']));
    expect(isStrict(db, 'wrapups')).toBe(true);
    expect(isStrict(db, 'tasks')).toBe(true);
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1);
    expect(() =>
      db.prepare("INSERT INTO wrapups (twilio_call_sid, ended_at, state, updated_at) VALUES ('CA1', 'x', 'done', 1)").run(),
    ).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO tasks (id, title, done, updated_at) VALUES ('t', 'x', 2, 1)").run()).toThrow(/CHECK/);
    db.close();
  });
});
