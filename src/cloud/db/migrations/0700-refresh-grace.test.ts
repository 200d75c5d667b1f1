import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, migrateTo, previousVersion, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe.each(backends)('migration 0700 refresh grace on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(700));
    try {
      expect(await migrateTo(db, 700)).toBe(700);
      const columns = await db.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'refresh_tokens' ORDER BY column_name`);
      expect(columns.map((c) => c.column_name)).toEqual(expect.arrayContaining(['replaced_by', 'used_at']));
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on the previous version with data: existing tokens keep working, with no successor and unused', async () => {
    const db = await databaseAt(backend, 630);
    try {
      await db.query(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa')`);
      await db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_1', 'acc_1', 'a@spa.example', 'A', 'admin', 'hash')`);
      await db.query(`INSERT INTO sessions (id, user_id, device_name) VALUES ('ses_1', 'usr_1', 'Desk')`);
      await db.query(`INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ('h1', 'ses_1', now() + interval '1 day')`);
      expect(await migrateTo(db, 700)).toBe(700);
      expect(await db.query(`SELECT token_hash, replaced_by, used_at, spent_at FROM refresh_tokens`)).toEqual([{ token_hash: 'h1', replaced_by: null, used_at: null, spent_at: null }]);
    } finally {
      await db.close();
    }
  }, SLOW);
});
