import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, failureCode, migrateTo, previousVersion, stopCluster, tableNames } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe.each(backends)('migration 0620 notification rate on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(620));
    try {
      expect(await migrateTo(db, 620)).toBe(620);
      expect(await tableNames(db)).toEqual(expect.arrayContaining(['notification_slots', 'notification_slot_locks']));
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on the previous version with data; its constraints hold', async () => {
    const db = await databaseAt(backend, 610);
    try {
      await db.query(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa')`);
      await db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_1', 'acc_1', 'a@spa.example', 'A', 'admin', 'hash')`);
      expect(await migrateTo(db, 620)).toBe(620);
      expect(await db.query(`SELECT id FROM users`)).toEqual([{ id: 'usr_1' }]);
      const slot = (channel: string, user = 'usr_1') =>
        db.query(`INSERT INTO notification_slots (account_id, user_id, channel, run_id, step_key) VALUES ('acc_1', $1, $2, 'run_1', 's1')`, [user, channel]);
      await slot('in_app');
      // One slot per step, channel and user; channels are a closed list; users must exist.
      expect(await failureCode(() => slot('in_app'))).toBe('23505');
      await slot('sms');
      expect(await failureCode(() => slot('fax'))).toBe('23514');
      expect(await failureCode(() => slot('email', 'usr_x'))).toBe('23503');
      await db.query(`INSERT INTO notification_slot_locks (user_id) VALUES ('usr_1')`);
      expect(await failureCode(() => db.query(`INSERT INTO notification_slot_locks (user_id) VALUES ('usr_1')`))).toBe('23505');
    } finally {
      await db.close();
    }
  }, SLOW);
});
