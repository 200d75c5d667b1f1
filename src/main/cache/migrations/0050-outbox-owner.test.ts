import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../../test/support/temp-cache';
import { schemaVersion } from './index';
import { openAt } from './test-helpers';

describe('migration 0050 outbox owner', () => {
  const tmp = useTempDir();

  it('gives the rows already waiting to the cached user, with no cloud (the next one they sign in to)', () => {
    const before = openAt(tmp.file, 40);
    before
      .prepare(`INSERT INTO session (singleton, user_id, user_json, signed_in_at) VALUES (1, 'usr_1', '{"id":"usr_1"}', '2025-03-01T00:00:00Z')`)
      .run();
    before
      .prepare(`INSERT INTO outbox (idempotency_key, type, payload, target_id, created_at, next_attempt_at)
                VALUES ('k1', 'notification.markRead', '{"notificationId":"n1"}', 'notification:n1', 1, 1)`)
      .run();
    before.close();

    const db = openAt(tmp.file, 50);
    expect(schemaVersion(db)).toBe(50);
    expect(db.prepare('SELECT idempotency_key, owner_user, owner_cloud FROM outbox').all()).toEqual([
      { idempotency_key: 'k1', owner_user: 'usr_1', owner_cloud: null },
    ]);
    expect(db.prepare('SELECT user_id, cloud FROM session').get()).toEqual({ user_id: 'usr_1', cloud: null });
    db.close();
  });

  it('applies to an empty database', () => {
    const db = openAt(tmp.file, 50);
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
    const columns = db.prepare("SELECT name FROM pragma_table_info('outbox')").pluck().all();
    expect(columns).toEqual(expect.arrayContaining(['owner_user', 'owner_cloud']));
    db.close();
  });
});
