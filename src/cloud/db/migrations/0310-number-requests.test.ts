import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, columnNames, failureCode, migrateTo, previousVersion, stopCluster, tableNames } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

const SLOW = 120_000;

describe.each(backends)('migration 0310 number-requests on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(310));
    try {
      expect(await migrateTo(db, 310)).toBe(310);
      expect(await tableNames(db)).toContain('number_requests');
      expect(await columnNames(db, 'number_requests')).toEqual(expect.arrayContaining(['kind', 'country', 'phone_numbers', 'status', 'requested_by']));
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0300 database with data; the constraints hold', async () => {
    const db = await databaseAt(backend, 300);
    try {
      await db.query(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa')`);
      await db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_1', 'acc_1', 'a@spa.example', 'A', 'admin', 'hash')`);
      await db.query(`INSERT INTO phone_numbers (id, account_id, number, name) VALUES ('num_1', 'acc_1', '+13105550100', 'Main')`);
      expect(await migrateTo(db, 310)).toBe(310);
      expect(await db.query(`SELECT id, status FROM phone_numbers`)).toEqual([{ id: 'num_1', status: 'active' }]);

      await db.query(`INSERT INTO number_requests (id, account_id, kind, country, number_type, phone_numbers, requested_by) VALUES ('req_1', 'acc_1', 'international', 'GB', 'local', '["+442071234567"]', 'usr_1')`);
      expect(await db.query(`SELECT status, note, phone_numbers FROM number_requests`)).toEqual([{ status: 'open', note: '', phone_numbers: ['+442071234567'] }]);
      expect(await failureCode(() => db.query(`INSERT INTO number_requests (id, account_id, kind, country) VALUES ('req_2', 'acc_1', 'gift', 'GB')`))).toBe('23514');
      expect(await failureCode(() => db.query(`INSERT INTO number_requests (id, account_id, kind, country) VALUES ('req_2', 'acc_1', 'port_in', 'gb')`))).toBe('23514');
      expect(await failureCode(() => db.query(`INSERT INTO number_requests (id, account_id, kind, country, phone_numbers) VALUES ('req_2', 'acc_1', 'port_in', 'US', '{}')`))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE number_requests SET status = 'lost'`))).toBe('23514');
      expect(await failureCode(() => db.query(`INSERT INTO number_requests (id, account_id, kind, country) VALUES ('req_3', 'acc_x', 'unlisted', 'US')`))).toBe('23503');
    } finally {
      await db.close();
    }
  }, SLOW);
});
