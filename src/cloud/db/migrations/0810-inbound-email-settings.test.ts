import { afterAll, describe, expect, it } from 'vitest';
import { backends, columnNames, databaseAt, failureCode, migrateTo, previousVersion, stopCluster, tableNames } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe.each(backends)('migration 0810 inbound email settings on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(810));
    try {
      expect(await migrateTo(db, 810)).toBe(810);
      expect(await tableNames(db)).toContain('inbound_email_settings');
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0800 database with practices: none has a row (generation 0, the secret they had), one row per practice, only real practices, no negative generation', async () => {
    const db = await databaseAt(backend, 800);
    try {
      await db.exec(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa'), ('acc_2', 'Other')`);
      expect(await migrateTo(db, 810)).toBe(810);
      expect(await columnNames(db, 'inbound_email_settings')).toEqual(expect.arrayContaining(['account_id', 'secret_generation', 'rotated_at', 'last_received_at', 'last_matched_at']));
      expect(await db.query(`SELECT * FROM inbound_email_settings`)).toEqual([]);
      await db.exec(`INSERT INTO inbound_email_settings (account_id) VALUES ('acc_1')`);
      expect(await db.query(`SELECT secret_generation, rotated_at, last_received_at FROM inbound_email_settings`)).toEqual([{ secret_generation: 0, rotated_at: null, last_received_at: null }]);
      expect(await failureCode(() => db.query(`INSERT INTO inbound_email_settings (account_id) VALUES ('acc_1')`))).toBe('23505');
      expect(await failureCode(() => db.query(`INSERT INTO inbound_email_settings (account_id) VALUES ('acc_nope')`))).toBe('23503');
      expect(await failureCode(() => db.query(`INSERT INTO inbound_email_settings (account_id, secret_generation) VALUES ('acc_2', -1)`))).toBe('23514');
    } finally {
      await db.close();
    }
  }, SLOW);
});
