import { afterAll, describe, expect, it } from 'vitest';
import { backends, columnNames, databaseAt, failureCode, migrateTo, previousVersion, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe.each(backends)('migration 0840 number purchases landed late on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(840));
    try {
      expect(await migrateTo(db, 840)).toBe(840);
      expect(await columnNames(db, 'number_purchase_intents')).toEqual(expect.arrayContaining(['reconcile_claimed_at', 'landed_late_at']));
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on the previous version with purchases, which keep what they were; only a given-back purchase says it landed late', async () => {
    const db = await databaseAt(backend, previousVersion(840));
    try {
      await db.exec(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa')`);
      await db.exec(`INSERT INTO number_purchase_intents (id, account_id, phone_number, status, resolved_at) VALUES ('npi_1', 'acc_1', '+14245550101', 'not_bought', '2025-03-03T09:00:00Z')`);
      await db.exec(`INSERT INTO number_purchase_intents (id, account_id, phone_number, status, resolved_at, twilio_sid) VALUES ('npi_2', 'acc_1', '+14245550102', 'recorded', now(), 'PN2')`);
      expect(await migrateTo(db, 840)).toBe(840);
      expect(await db.query(`SELECT id, status, reconcile_claimed_at, landed_late_at FROM number_purchase_intents ORDER BY id`)).toEqual([
        { id: 'npi_1', status: 'not_bought', reconcile_claimed_at: null, landed_late_at: null },
        { id: 'npi_2', status: 'recorded', reconcile_claimed_at: null, landed_late_at: null },
      ]);
      await db.exec(`UPDATE number_purchase_intents SET reconcile_claimed_at = now() WHERE id = 'npi_1'`);
      // Landed late means given back: a purchase still not bought (or recorded) cannot say so.
      expect(await failureCode(() => db.query(`UPDATE number_purchase_intents SET landed_late_at = now() WHERE id = 'npi_1'`))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE number_purchase_intents SET landed_late_at = now() WHERE id = 'npi_2'`))).toBe('23514');
      await db.exec(`UPDATE number_purchase_intents SET status = 'released', twilio_sid = 'PN1', landed_late_at = now(), resolved_at = now() WHERE id = 'npi_1'`);
      expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM number_purchase_intents WHERE landed_late_at IS NOT NULL`))[0]!.n).toBe(1);
    } finally {
      await db.close();
    }
  }, SLOW);
});
