import { afterAll, describe, expect, it } from 'vitest';
import { schemaVersion } from '../migrate';
import { migrations } from './index';
import { backends, databaseAt, columnNames, failureCode, migrateTo, previousVersion, stopCluster, tableNames } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

const SLOW = 120_000;
/** The version just before this one, whichever feature's migration that is when the suite runs. */
const previous = Math.max(...migrations.filter((m) => m.version < 300).map((m) => m.version));

describe.each(backends)('migration 0300 number-lifecycle on %s', (backend) => {
  it('applies on an empty database: the price table with its defaults, the lifecycle columns, the charges', async () => {
    const db = await databaseAt(backend, previousVersion(300));
    try {
      expect(await migrateTo(db, 300)).toBe(300);
      expect(await tableNames(db)).toEqual(expect.arrayContaining(['number_prices', 'number_charges']));
      expect(await columnNames(db, 'phone_numbers')).toEqual(
        expect.arrayContaining(['twilio_sid', 'country', 'number_type', 'capabilities', 'status', 'release_due_at', 'released_at', 'billing_since', 'monthly_fee_micros', 'currency', 'operation']),
      );
      const prices = await db.query<{ country: string; number_type: string; monthly_fee_micros: number }>(`SELECT country, number_type, monthly_fee_micros FROM number_prices ORDER BY country, number_type`);
      expect(prices.map((p) => `${p.country}/${p.number_type}`)).toEqual(expect.arrayContaining(['US/local', 'US/toll-free', 'GB/local', 'AU/mobile']));
      expect(prices.every((p) => p.monthly_fee_micros > 0)).toBe(true);
    } finally {
      await db.close();
    }
  }, SLOW);

  it(`applies on a ${previous} database with data: live numbers are active and billed, deleted ones count as released; the constraints hold`, async () => {
    const db = await databaseAt(backend, previous);
    try {
      await db.query(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa')`);
      await db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_1', 'acc_1', 'a@spa.example', 'A', 'user', 'hash')`);
      await db.query(`INSERT INTO phone_numbers (id, account_id, number, name, assigned_user_id, whisper_message) VALUES ('num_live', 'acc_1', '+13105550100', 'Main', 'usr_1', 'Hi')`);
      await db.query(`INSERT INTO phone_numbers (id, account_id, number, name, deleted_at) VALUES ('num_gone', 'acc_1', '+13105550101', 'Old', now() - interval '3 days')`);

      expect(await migrateTo(db, 300)).toBe(300);
      expect(await schemaVersion(db)).toBeGreaterThanOrEqual(300);
      const rows = await db.query<Record<string, unknown>>(
        `SELECT id, status, assigned_user_id, whisper_message, country, number_type, capabilities, monthly_fee_micros, currency,
                billing_since IS NOT NULL AS billed, released_at = deleted_at AS released_when_deleted
           FROM phone_numbers ORDER BY id`,
      );
      expect(rows).toEqual([
        { id: 'num_gone', status: 'released', assigned_user_id: null, whisper_message: null, country: 'US', number_type: 'local',
          capabilities: { voice: true, sms: true, mms: true, fax: false }, monthly_fee_micros: null, currency: null, billed: false, released_when_deleted: true },
        { id: 'num_live', status: 'active', assigned_user_id: 'usr_1', whisper_message: 'Hi', country: 'US', number_type: 'local',
          capabilities: { voice: true, sms: true, mms: true, fax: false }, monthly_fee_micros: 1_500_000, currency: 'USD', billed: true, released_when_deleted: null },
      ]);

      // active ⇔ not deleted; a held number needs its due date and no member; released needs its date.
      expect(await failureCode(() => db.query(`UPDATE phone_numbers SET status = 'held' WHERE id = 'num_live'`))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE phone_numbers SET deleted_at = now(), status = 'held' WHERE id = 'num_live'`))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE phone_numbers SET deleted_at = now(), status = 'held', release_due_at = now() + interval '10 days' WHERE id = 'num_live'`))).toBe('23514');
      await db.query(`UPDATE phone_numbers SET assigned_user_id = NULL, deleted_at = now(), status = 'held', release_due_at = now() + interval '10 days', billing_since = NULL, monthly_fee_micros = NULL, currency = NULL WHERE id = 'num_live'`);
      expect(await failureCode(() => db.query(`UPDATE phone_numbers SET status = 'released' WHERE id = 'num_live'`))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE phone_numbers SET status = 'gone' WHERE id = 'num_live'`))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE phone_numbers SET number_type = 'premium' WHERE id = 'num_live'`))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE phone_numbers SET operation = 'restoring' WHERE id = 'num_live'`))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE phone_numbers SET monthly_fee_micros = 5 WHERE id = 'num_live'`))).toBe('23514');
      expect(await failureCode(() => db.query(`INSERT INTO number_prices (country, number_type, monthly_fee_micros, inbound_per_minute_micros, outbound_per_minute_micros) VALUES ('US', 'local', 1, 1, 1)`))).toBe('23505');
      expect(await failureCode(() => db.query(`INSERT INTO number_prices (country, number_type, monthly_fee_micros, inbound_per_minute_micros, outbound_per_minute_micros) VALUES ('FR', 'local', -1, 1, 1)`))).toBe('23514');
      expect(await failureCode(() => db.query(`INSERT INTO number_charges (account_id, phone_number_id, reason, amount_micros, currency, period_start, period_end) VALUES ('acc_1', 'num_live', 'restore', 1, 'USD', now(), now())`))).toBe('23514');
      expect(await failureCode(() => db.query(`INSERT INTO number_charges (account_id, phone_number_id, reason, amount_micros, currency, period_start, period_end) VALUES ('acc_1', 'num_x', 'restore', 1, 'USD', now(), now() + interval '1 month')`))).toBe('23503');
      // A released number's row stays; the same number can be live again (bought anew) beside it.
      await db.query(`INSERT INTO phone_numbers (id, account_id, number, name) VALUES ('num_again', 'acc_1', '+13105550101', 'Again')`);
      expect(await failureCode(() => db.query(`INSERT INTO phone_numbers (id, account_id, number, name) VALUES ('num_twice', 'acc_1', '+13105550101', 'Twice')`))).toBe('23505');
    } finally {
      await db.close();
    }
  }, SLOW);
});
