import { afterAll, describe, expect, it } from 'vitest';
import { schemaVersion } from '../migrate';
import { backends, databaseAt, columnNames, failureCode, migrateTo, previousVersion, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

const SLOW = 120_000;

describe.each(backends)('migration 0410 team leads on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(410));
    try {
      expect(await migrateTo(db, 410)).toBe(410);
      expect(await columnNames(db, 'teams')).toEqual(expect.arrayContaining(['lead_user_id', 'updated_at']));
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0400 database with data, renames duplicate live names, and its constraints hold', async () => {
    const db = await databaseAt(backend, 400);
    try {
      await db.query(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa'), ('acc_2', 'Other')`);
      await db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash, team_ids) VALUES ('usr_1', 'acc_1', 'a@spa.example', 'A', 'user', 'h', '["team_1"]')`);
      await db.query(`INSERT INTO teams (id, account_id, name, seq, created_at, deleted_at) VALUES
        ('team_1', 'acc_1', 'Front Desk', 4, '2024-01-01T00:00:00Z', NULL),
        ('team_2', 'acc_1', 'front desk', 5, '2024-02-01T00:00:00Z', NULL),
        ('team_3', 'acc_1', 'Front Desk', 6, '2024-03-01T00:00:00Z', '2024-03-02T00:00:00Z'),
        ('team_4', 'acc_2', 'Front Desk', 7, '2024-01-01T00:00:00Z', NULL)`);

      expect(await migrateTo(db, 410)).toBe(410);
      expect(await schemaVersion(db)).toBe(410);
      expect(await db.query(`SELECT id, name, seq, lead_user_id FROM teams ORDER BY id`)).toEqual([
        { id: 'team_1', name: 'Front Desk', seq: 4, lead_user_id: null },
        { id: 'team_2', name: 'front desk (2)', seq: 5, lead_user_id: null },
        { id: 'team_3', name: 'Front Desk', seq: 6, lead_user_id: null },
        { id: 'team_4', name: 'Front Desk', seq: 7, lead_user_id: null },
      ]);
      expect(await db.query(`SELECT team_ids FROM users`)).toEqual([{ team_ids: ['team_1'] }]);

      expect(await failureCode(() => db.query(`UPDATE teams SET lead_user_id = 'usr_1' WHERE id = 'team_1'`))).toBeNull();
      expect(await failureCode(() => db.query(`UPDATE teams SET lead_user_id = 'usr_x' WHERE id = 'team_1'`))).toBe('23503');
      expect(await failureCode(() => db.query(`INSERT INTO teams (id, account_id, name) VALUES ('team_5', 'acc_1', 'FRONT DESK')`))).toBe('23505');
      expect(await failureCode(() => db.query(`INSERT INTO teams (id, account_id, name, deleted_at) VALUES ('team_6', 'acc_1', 'FRONT DESK', now())`))).toBeNull();
    } finally {
      await db.close();
    }
  }, SLOW);
});
