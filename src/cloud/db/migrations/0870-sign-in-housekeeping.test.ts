import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, migrateTo, previousVersion, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe.each(backends)('migration 0870 sign-in housekeeping indexes on %s', (backend) => {
  it('applies on the previous version with sign-ins, and the purge’s lookups use the new indexes', async () => {
    const db = await databaseAt(backend, previousVersion(870));
    try {
      await db.exec(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa')`);
      await db.exec(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_1', 'acc_1', 'a@spa.example', 'A', 'user', 'x')`);
      await db.exec(`INSERT INTO sessions (id, user_id, device_name) VALUES ('ses_1', 'usr_1', 'Desk')`);
      await db.exec(`INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ('h1', 'ses_1', now() - interval '3 days'), ('h2', 'ses_1', now() + interval '30 days')`);
      await db.exec(`INSERT INTO login_attempts (email, ip, succeeded, at) VALUES ('a@spa.example', '127.0.0.1', true, now() - interval '100 days')`);
      expect(await migrateTo(db, 870)).toBe(870);
      const indexes = await db.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE indexname IN ('refresh_tokens_expires', 'login_attempts_at') ORDER BY indexname`);
      expect(indexes.map((i) => i.indexname)).toEqual(['login_attempts_at', 'refresh_tokens_expires']);
      // The planner may use them (sequential scans off: the tables are tiny here).
      await db.exec(`SET enable_seqscan = off`);
      const plan = async (sql: string) => (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`)).map((r) => r['QUERY PLAN']).join('\n');
      expect(await plan(`SELECT token_hash FROM refresh_tokens WHERE expires_at < now() - interval '1 day' LIMIT 5000`)).toContain('refresh_tokens_expires');
      expect(await plan(`SELECT id FROM login_attempts WHERE at < now() - interval '90 days' LIMIT 5000`)).toContain('login_attempts_at');
    } finally {
      await db.close();
    }
  }, SLOW);
});
