import { afterAll, describe, expect, it } from 'vitest';
import { backends, columnNames, databaseAt, failureCode, migrateTo, previousVersion, stopCluster, tableNames } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe.each(backends)('migration 0740 number purchase intents on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(740));
    try {
      expect(await migrateTo(db, 740)).toBe(740);
      expect(await tableNames(db)).toContain('number_purchase_intents');
      expect(await columnNames(db, 'number_purchase_intents')).toEqual(expect.arrayContaining(['account_id', 'phone_number', 'phone_number_id', 'status', 'twilio_sid', 'resolved_at']));
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0730 database with numbers; one pending purchase per number, platform-wide; the constraints hold', async () => {
    const db = await databaseAt(backend, 730);
    try {
      await db.exec(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa'), ('acc_2', 'Other spa')`);
      await db.exec(`INSERT INTO phone_numbers (id, account_id, number, name, twilio_sid) VALUES ('num_1', 'acc_1', '+13105550100', 'Main', 'PN1')`);
      expect(await migrateTo(db, 740)).toBe(740);
      expect(await db.query(`SELECT id, twilio_sid FROM phone_numbers`)).toEqual([{ id: 'num_1', twilio_sid: 'PN1' }]);

      await db.exec(`INSERT INTO number_purchase_intents (id, account_id, phone_number) VALUES ('npi_1', 'acc_1', '+14245550101')`);
      // Another practice (or the same one twice) cannot start buying the same number meanwhile.
      expect(await failureCode(() => db.query(`INSERT INTO number_purchase_intents (id, account_id, phone_number) VALUES ('npi_2', 'acc_2', '+14245550101')`))).toBe('23505');
      await db.exec(`UPDATE number_purchase_intents SET status = 'recorded', twilio_sid = 'PN2', resolved_at = now() WHERE id = 'npi_1'`);
      await db.exec(`INSERT INTO number_purchase_intents (id, account_id, phone_number) VALUES ('npi_2', 'acc_2', '+14245550101')`);
      expect(await db.query(`SELECT id, status FROM number_purchase_intents ORDER BY id`)).toEqual([{ id: 'npi_1', status: 'recorded' }, { id: 'npi_2', status: 'pending' }]);

      expect(await failureCode(() => db.query(`UPDATE number_purchase_intents SET status = 'not_bought' WHERE id = 'npi_2'`))).toBe('23514'); // settled without resolved_at
      expect(await failureCode(() => db.query(`UPDATE number_purchase_intents SET status = 'released', resolved_at = now() WHERE id = 'npi_2'`))).toBe('23514'); // bought without a sid
      expect(await failureCode(() => db.query(`UPDATE number_purchase_intents SET status = 'lost', resolved_at = now() WHERE id = 'npi_2'`))).toBe('23514');
      expect(await failureCode(() => db.query(`INSERT INTO number_purchase_intents (id, account_id, phone_number) VALUES ('npi_3', 'acc_1', '4245550101')`))).toBe('23514');
      expect(await failureCode(() => db.query(`INSERT INTO number_purchase_intents (id, account_id, phone_number) VALUES ('npi_3', 'acc_x', '+14245550102')`))).toBe('23503');
    } finally {
      await db.close();
    }
  }, SLOW);
});
