import { afterAll, describe, expect, it } from 'vitest';
import { schemaVersion } from '../migrate';
import { backends, databaseAt, columnNames, failureCode, migrateTo, previousVersion, stopCluster, tableNames } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe.each(backends)('migration 0010 initial schema on %s', (backend) => {
  it('applies on an empty database (it is the first: there is no previous version)', async () => {
    const db = await databaseAt(backend, previousVersion(10));
    try {
      expect(await migrateTo(db, 10)).toBe(10);
      expect(await schemaVersion(db)).toBe(10);
      expect(await tableNames(db)).toEqual([
        'accounts', 'applied_mutations', 'audit_log', 'calls', 'contacts', 'dispositions', 'locations', 'login_attempts', 'notifications',
        'phone_numbers', 'refresh_tokens', 'schema_migrations', 'server_secrets', 'sessions', 'teams', 'users',
      ]);
      // Every synced table carries the account sequence number.
      for (const table of ['accounts', 'locations', 'teams', 'users', 'contacts', 'phone_numbers', 'dispositions', 'calls', 'notifications']) {
        expect(await columnNames(db, table), table).toContain('seq');
      }

      await db.query(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa')`);
      await db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_1', 'acc_1', 'a@spa.example', 'A', 'admin', 'x')`);
      // Emails are stored lower-case, roles are a closed set, CallSids and live numbers are unique, foreign keys hold.
      expect(await failureCode(() => db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_2', 'acc_1', 'B@spa.example', 'B', 'user', 'x')`))).toBe('23514');
      expect(await failureCode(() => db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_2', 'acc_1', 'b@spa.example', 'B', 'owner', 'x')`))).toBe('23514');
      expect(await failureCode(() => db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_2', 'acc_x', 'b@spa.example', 'B', 'user', 'x')`))).toBe('23503');
      await db.query(`INSERT INTO calls (id, account_id, twilio_call_sid, direction, from_number, to_number, status) VALUES ('call_1', 'acc_1', 'CA1', 'inbound', '+1', '+2', 'ringing')`);
      expect(await failureCode(() => db.query(`INSERT INTO calls (id, account_id, twilio_call_sid, direction, from_number, to_number, status) VALUES ('call_2', 'acc_1', 'CA1', 'inbound', '+1', '+2', 'ringing')`))).toBe('23505');
      await db.query(`INSERT INTO phone_numbers (id, account_id, number, name) VALUES ('num_1', 'acc_1', '+13105550100', 'Main')`);
      expect(await failureCode(() => db.query(`INSERT INTO phone_numbers (id, account_id, number, name) VALUES ('num_2', 'acc_1', '+13105550100', 'Again')`))).toBe('23505');
      await db.query(`UPDATE phone_numbers SET deleted_at = now() WHERE id = 'num_1'`);
      expect(await failureCode(() => db.query(`INSERT INTO phone_numbers (id, account_id, number, name) VALUES ('num_2', 'acc_1', '+13105550100', 'Again')`))).toBeNull();

      // Applying again changes nothing.
      expect(await migrateTo(db, 10)).toBe(10);
      expect((await db.query(`SELECT count(*)::int AS n FROM schema_migrations`))[0]).toEqual({ n: 1 });
    } finally {
      await db.close();
    }
  }, SLOW);
});
