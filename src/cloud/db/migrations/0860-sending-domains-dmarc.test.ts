import { afterAll, describe, expect, it } from 'vitest';
import { backends, columnNames, databaseAt, failureCode, migrateTo, previousVersion, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

const insert = (id: string, domain: string, status = 'pending') =>
  `INSERT INTO sending_domains (id, account_id, domain, verification_token, dkim_selector, dkim_public_key, dkim_private_key_enc, status, verified_at)
   VALUES ('${id}', 'acc_1', '${domain}', '${'x'.repeat(43)}', 'ax1', 'MIIB', 'v1:a:b:c', '${status}', ${status === 'verified' ? 'now()' : 'NULL'})`;

describe.each(backends)('migration 0860 sending domains DMARC alignment on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(860));
    try {
      expect(await migrateTo(db, 860)).toBe(860);
      expect(await columnNames(db, 'sending_domains')).toContain('dmarc_strict');
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on the previous version with domains, which read as relaxed until checked; the flag is never null', async () => {
    const db = await databaseAt(backend, previousVersion(860));
    try {
      await db.exec(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa')`);
      await db.exec(insert('sdm_1', 'glow.example', 'verified'));
      await db.exec(insert('sdm_2', 'other.example'));
      expect(await migrateTo(db, 860)).toBe(860);
      expect(await db.query(`SELECT id, status, dmarc_strict FROM sending_domains ORDER BY id`)).toEqual([
        { id: 'sdm_1', status: 'verified', dmarc_strict: false },
        { id: 'sdm_2', status: 'pending', dmarc_strict: false },
      ]);
      await db.exec(`UPDATE sending_domains SET dmarc_strict = true WHERE id = 'sdm_1'`);
      expect(await db.query(`SELECT dmarc_strict FROM sending_domains WHERE id = 'sdm_1'`)).toEqual([{ dmarc_strict: true }]);
      expect(await failureCode(() => db.query(`UPDATE sending_domains SET dmarc_strict = NULL WHERE id = 'sdm_2'`))).toBe('23502');
    } finally {
      await db.close();
    }
  }, SLOW);
});
