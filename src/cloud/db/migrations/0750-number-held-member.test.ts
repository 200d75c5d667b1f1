import { afterAll, describe, expect, it } from 'vitest';
import { backends, columnNames, databaseAt, failureCode, migrateTo, previousVersion, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe.each(backends)('migration 0750 number held member on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(750));
    try {
      expect(await migrateTo(db, 750)).toBe(750);
      expect(await columnNames(db, 'phone_numbers')).toContain('held_member_id');
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0740 database with live and held numbers (NULL for them); only a held number keeps a member', async () => {
    const db = await databaseAt(backend, 740);
    try {
      await db.exec(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa')`);
      await db.exec(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_1', 'acc_1', 'a@spa.example', 'A', 'user', 'hash')`);
      await db.exec(`INSERT INTO phone_numbers (id, account_id, number, name, assigned_user_id) VALUES ('num_1', 'acc_1', '+13105550100', 'Main', 'usr_1')`);
      await db.exec(`INSERT INTO phone_numbers (id, account_id, number, name, status, deleted_at, release_due_at) VALUES ('num_2', 'acc_1', '+13105550101', 'Old', 'held', now(), now() + interval '10 days')`);
      expect(await migrateTo(db, 750)).toBe(750);
      expect(await db.query(`SELECT id, assigned_user_id, held_member_id FROM phone_numbers ORDER BY id`)).toEqual([
        { id: 'num_1', assigned_user_id: 'usr_1', held_member_id: null },
        { id: 'num_2', assigned_user_id: null, held_member_id: null },
      ]);
      await db.exec(`UPDATE phone_numbers SET held_member_id = 'usr_1' WHERE id = 'num_2'`);
      expect(await failureCode(() => db.query(`UPDATE phone_numbers SET held_member_id = 'usr_1' WHERE id = 'num_1'`))).toBe('23514'); // a live number has its member in assigned_user_id
      expect(await failureCode(() => db.query(`UPDATE phone_numbers SET status = 'released', released_at = now() WHERE id = 'num_2'`))).toBe('23514'); // released: the member is let go
      expect(await failureCode(() => db.query(`UPDATE phone_numbers SET held_member_id = 'usr_x' WHERE id = 'num_2'`))).toBe('23503');
    } finally {
      await db.close();
    }
  }, SLOW);
});
