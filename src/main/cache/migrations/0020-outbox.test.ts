import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../../test/support/temp-cache';
import { schemaVersion } from './index';
import { isStrict, openAt, tableNames } from './test-helpers';

describe('migration 0020 outbox', () => {
  const tmp = useTempDir();

  it('adds the outbox to a 0010 database and keeps its rows', () => {
    const before = openAt(tmp.file, 10);
    before.prepare("INSERT INTO accounts (id, name, seq) VALUES ('acc', 'Spa', 1)").run();
    before.close();

    const db = openAt(tmp.file, 20);
    expect(schemaVersion(db)).toBe(20);
    expect(tableNames(db)).toContain('outbox');
    expect(isStrict(db, 'outbox')).toBe(true);
    expect(db.prepare('SELECT name FROM accounts').pluck().get()).toBe('Spa');

    db.prepare("INSERT INTO outbox (idempotency_key, type, payload, created_at, next_attempt_at) VALUES ('k1', 't', '{}', 1, 1)").run();
    expect(() =>
      db.prepare("INSERT INTO outbox (idempotency_key, type, payload, created_at, next_attempt_at) VALUES ('k1', 't', '{}', 2, 2)").run(),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db.prepare("INSERT INTO outbox (idempotency_key, type, payload, created_at, next_attempt_at, state) VALUES ('k2', 't', '{}', 1, 1, 'sent')").run(),
    ).toThrow(/CHECK/);
    expect(db.prepare("SELECT state, attempts FROM outbox WHERE idempotency_key = 'k1'").get()).toEqual({ state: 'pending', attempts: 0 });
    db.close();
  });
});
