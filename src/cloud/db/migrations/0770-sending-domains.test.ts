import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, failureCode, migrateTo, previousVersion, stopCluster, tableNames } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

const TOKEN = 'x'.repeat(43);
const insert = (id: string, domain: string, extra = '', values = '') =>
  `INSERT INTO sending_domains (id, account_id, domain, verification_token, dkim_selector, dkim_public_key, dkim_private_key_enc${extra})
   VALUES ('${id}', 'acc_1', '${domain}', '${TOKEN}', 'ax1', 'MIIB', 'v1:a:b:c'${values})`;

describe.each(backends)('migration 0770 sending domains on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(770));
    try {
      expect(await migrateTo(db, 770)).toBe(770);
      expect(await tableNames(db)).toContain('sending_domains');
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0750 database with a practice; one live row per domain, lower case, a status that says why', async () => {
    const db = await databaseAt(backend, 750);
    try {
      await db.exec(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa'), ('acc_2', 'Other')`);
      expect(await migrateTo(db, 770)).toBe(770);
      await db.exec(insert('sd_1', 'glowmedspa.com'));
      expect(await db.query(`SELECT status, failure, last_checks, removed_at FROM sending_domains`)).toEqual([{ status: 'pending', failure: null, last_checks: [], removed_at: null }]);
      expect(await failureCode(() => db.query(insert('sd_2', 'glowmedspa.com')))).toBe('23505'); // already connected
      expect(await failureCode(() => db.query(insert('sd_3', 'GlowMedSpa.com')))).toBe('23514'); // stored lower case
      expect(await failureCode(() => db.query(`UPDATE sending_domains SET status = 'verified' WHERE id = 'sd_1'`))).toBe('23514'); // verified when?
      expect(await failureCode(() => db.query(`UPDATE sending_domains SET status = 'failed' WHERE id = 'sd_1'`))).toBe('23514'); // failed why?
      await db.exec(`UPDATE sending_domains SET status = 'failed', failure = 'no record' WHERE id = 'sd_1'`);
      // Removed, it can be connected again (with new records).
      await db.exec(`UPDATE sending_domains SET removed_at = now() WHERE id = 'sd_1'`);
      await db.exec(insert('sd_4', 'glowmedspa.com'));
      expect(await failureCode(() => db.query(insert('sd_5', 'other.com').replace("'acc_1'", "'acc_x'")))).toBe('23503');
    } finally {
      await db.close();
    }
  }, SLOW);
});
