import { afterAll, describe, expect, it } from 'vitest';
import { backends, columnNames, databaseAt, failureCode, migrateTo, previousVersion, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe.each(backends)('migration 0780 number purchase checks on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(780));
    try {
      expect(await migrateTo(db, 780)).toBe(780);
      expect(await columnNames(db, 'number_purchase_intents')).toEqual(expect.arrayContaining(['location_id', 'unconfirmed_at', 'checked_at']));
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on the previous version with purchases: an unconfirmed one gets its time from when it was settled; the constraints hold', async () => {
    const db = await databaseAt(backend, previousVersion(780));
    try {
      await db.exec(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa')`);
      await db.exec(`INSERT INTO locations (id, account_id, name) VALUES ('loc_1', 'acc_1', 'Beverly Hills')`);
      await db.exec(`INSERT INTO number_purchase_intents (id, account_id, phone_number, status, resolved_at) VALUES ('npi_1', 'acc_1', '+14245550101', 'unconfirmed', '2025-03-03T09:00:00Z')`);
      await db.exec(`INSERT INTO number_purchase_intents (id, account_id, phone_number, status, resolved_at) VALUES ('npi_2', 'acc_1', '+14245550102', 'not_bought', '2025-03-03T09:00:00Z')`);
      await db.exec(`INSERT INTO number_purchase_intents (id, account_id, phone_number) VALUES ('npi_3', 'acc_1', '+14245550103')`);
      expect(await migrateTo(db, 780)).toBe(780);
      const rows = await db.query<{ id: string; status: string; unconfirmed_at: unknown; checked_at: unknown; location_id: unknown }>(
        `SELECT id, status, unconfirmed_at, checked_at, location_id FROM number_purchase_intents ORDER BY id`,
      );
      expect(rows.map((r) => [r.id, r.status, r.unconfirmed_at === null ? null : new Date(String(r.unconfirmed_at)).toISOString(), r.checked_at, r.location_id])).toEqual([
        ['npi_1', 'unconfirmed', '2025-03-03T09:00:00.000Z', null, null],
        ['npi_2', 'not_bought', null, null, null],
        ['npi_3', 'pending', null, null, null],
      ]);

      await db.exec(`UPDATE number_purchase_intents SET location_id = 'loc_1' WHERE id = 'npi_3'`);
      // Unconfirmed always says since when (the sweep's grace runs from it).
      expect(await failureCode(() => db.query(`UPDATE number_purchase_intents SET status = 'unconfirmed', resolved_at = now() WHERE id = 'npi_3'`))).toBe('23514');
      await db.exec(`UPDATE number_purchase_intents SET status = 'unconfirmed', resolved_at = now(), unconfirmed_at = now() WHERE id = 'npi_3'`);
      // Settled later, it keeps the time (the numbers screen says what became of it).
      await db.exec(`UPDATE number_purchase_intents SET status = 'not_bought', resolved_at = now() WHERE id = 'npi_1'`);
      expect((await db.query<{ unconfirmed_at: unknown }>(`SELECT unconfirmed_at FROM number_purchase_intents WHERE id = 'npi_1'`))[0]!.unconfirmed_at).not.toBeNull();
      expect(await failureCode(() => db.query(`UPDATE number_purchase_intents SET location_id = 'loc_x' WHERE id = 'npi_2'`))).toBe('23503');
    } finally {
      await db.close();
    }
  }, SLOW);
});
