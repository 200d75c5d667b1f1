import { afterAll, describe, expect, it } from 'vitest';
import { schemaVersion } from '../migrate';
import { backends, databaseAt, columnNames, failureCode, migrateTo, previousVersion, stopCluster, tableNames } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe.each(backends)('migration 0030 security on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(30));
    try {
      expect(await migrateTo(db, 30)).toBe(30);
      expect(await tableNames(db)).toEqual(expect.arrayContaining(['login_throttle', 'realtime_tickets', 'outbound_dials']));
      expect(await columnNames(db, 'accounts')).toEqual(expect.arrayContaining(['country', 'call_countries', 'outbound_calls_per_user_hour']));
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0020 database with data: accounts get their country and the default policy, nothing is lost', async () => {
    const db = await databaseAt(backend, 20);
    try {
      await db.query(`INSERT INTO accounts (id, name, change_seq) VALUES ('acc_1', 'Spa', 9)`);
      await db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_1', 'acc_1', 'a@spa.example', 'A', 'user', 'hash')`);
      await db.query(`INSERT INTO sessions (id, user_id, device_name) VALUES ('ses_1', 'usr_1', 'Front desk')`);
      await db.query(`INSERT INTO login_attempts (email, ip, succeeded) VALUES ('a@spa.example', '127.0.0.1', false)`);
      await db.query(`INSERT INTO user_verified_channels (user_id, kind, address, verified_at) VALUES ('usr_1', 'email', 'a@spa.example', now())`);

      expect(await migrateTo(db, 30)).toBe(30);
      expect(await schemaVersion(db)).toBe(30);
      expect(await db.query(`SELECT id, name, change_seq, country, call_countries, outbound_calls_per_user_hour FROM accounts`)).toEqual([
        { id: 'acc_1', name: 'Spa', change_seq: 9, country: 'US', call_countries: null, outbound_calls_per_user_hour: 60 },
      ]);
      expect(await db.query(`SELECT count(*)::int AS n FROM login_attempts`)).toEqual([{ n: 1 }]);
      expect(await db.query(`SELECT kind FROM user_verified_channels`)).toEqual([{ kind: 'email' }]);

      expect(await failureCode(() => db.query(`UPDATE accounts SET country = 'usa'`))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE accounts SET call_countries = '"US"'::jsonb`))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE accounts SET outbound_calls_per_user_hour = 0`))).toBe('23514');
      await db.query(`INSERT INTO realtime_tickets (ticket_hash, session_id, expires_at) VALUES ('h', 'ses_1', now())`);
      expect(await failureCode(() => db.query(`INSERT INTO realtime_tickets (ticket_hash, session_id, expires_at) VALUES ('h2', 'ses_x', now())`))).toBe('23503');
      await db.query(`DELETE FROM sessions WHERE id = 'ses_1'`);
      expect(await db.query(`SELECT count(*)::int AS n FROM realtime_tickets`)).toEqual([{ n: 0 }]);
      expect(await failureCode(() => db.query(`INSERT INTO outbound_dials (account_id, user_id, kind, to_number) VALUES ('acc_1', 'usr_1', 'fax', '+1')`))).toBe('23514');
      expect(await failureCode(() => db.query(`INSERT INTO login_throttle (key, window_start, attempts) VALUES ('account:a', now(), -1)`))).toBe('23514');
    } finally {
      await db.close();
    }
  }, SLOW);
});
