import { afterAll, describe, expect, it } from 'vitest';
import { schemaVersion } from '../migrate';
import { backends, databaseAt, columnNames, failureCode, migrateTo, previousVersion, stopCluster, tableNames } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

const SLOW = 120_000;

describe.each(backends)('migration 0040 twofa-hold on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(40));
    try {
      expect(await migrateTo(db, 40)).toBe(40);
      expect(await tableNames(db)).toContain('held_phone_changes');
      expect(await columnNames(db, 'held_phone_changes')).toEqual(expect.arrayContaining(['new_phone', 'applies_at', 'closed_reason', 'closed_by']));
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0030 database with data; one open hold per user, valid numbers and reasons only', async () => {
    const db = await databaseAt(backend, 30);
    try {
      await db.query(`INSERT INTO accounts (id, name, change_seq) VALUES ('acc_1', 'Spa', 3)`);
      await db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_1', 'acc_1', 'a@spa.example', 'A', 'user', 'hash')`);
      await db.query(
        `INSERT INTO two_factor_challenges (id, account_id, user_id, actor_user_id, purpose, channel, created_at, expires_at)
         VALUES ('tfc_1', 'acc_1', 'usr_1', 'usr_1', 'phone_change', 'totp', now(), now())`,
      );
      expect(await migrateTo(db, 40)).toBe(40);
      expect(await schemaVersion(db)).toBe(40);
      expect(await db.query(`SELECT id FROM two_factor_challenges`)).toEqual([{ id: 'tfc_1' }]);

      const hold = (id: string, phone = '+13105550177') =>
        db.query(`INSERT INTO held_phone_changes (id, account_id, user_id, actor_user_id, challenge_id, new_phone, held_at, applies_at) VALUES ($1, 'acc_1', 'usr_1', 'usr_1', 'tfc_1', $2, now(), now() + interval '1 day')`, [id, phone]);
      await hold('hpc_1');
      expect(await failureCode(() => hold('hpc_2'))).toBe('23505');
      await db.query(`UPDATE held_phone_changes SET closed_at = now(), closed_reason = 'cancelled', closed_by = 'usr_1' WHERE id = 'hpc_1'`);
      await hold('hpc_2');
      expect(await failureCode(() => hold('hpc_3', '555-0177'))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE held_phone_changes SET closed_at = now() WHERE id = 'hpc_2'`))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE held_phone_changes SET closed_at = now(), closed_reason = 'lost' WHERE id = 'hpc_2'`))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE held_phone_changes SET applies_at = held_at - interval '1 hour' WHERE id = 'hpc_2'`))).toBe('23514');
    } finally {
      await db.close();
    }
  }, SLOW);
});
