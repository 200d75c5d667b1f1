import { afterAll, describe, expect, it } from 'vitest';
import { schemaVersion } from '../migrate';
import { backends, databaseAt, columnNames, failureCode, migrateTo, previousVersion, stopCluster, tableNames } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

const TWO_FACTOR_TABLES = ['two_factor_challenges', 'two_factor_failures', 'user_backup_codes', 'user_totp', 'user_verified_channels'];

describe.each(backends)('migration 0020 two-factor on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(20));
    try {
      expect(await migrateTo(db, 20)).toBe(20);
      expect(await tableNames(db)).toEqual(expect.arrayContaining(TWO_FACTOR_TABLES));
      expect(await columnNames(db, 'user_totp')).toEqual(['user_id', 'secret_sealed', 'enabled_at', 'pending_sealed', 'pending_at', 'last_used_step']);
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0010 database with data, keeps it, and its constraints hold', async () => {
    const db = await databaseAt(backend, 10);
    try {
      await db.query(`INSERT INTO accounts (id, name, change_seq) VALUES ('acc_1', 'Spa', 7)`);
      await db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash, phone) VALUES ('usr_1', 'acc_1', 'a@spa.example', 'A', 'user', 'hash', '+13105550100')`);
      await db.query(`INSERT INTO calls (id, account_id, twilio_call_sid, direction, from_number, to_number, status, seq) VALUES ('call_1', 'acc_1', 'CA1', 'inbound', '+1', '+2', 'missed', 3)`);
      await db.query(`INSERT INTO server_secrets (name, value) VALUES ('jwt', 'kept')`);
      expect((await tableNames(db)).filter((t) => TWO_FACTOR_TABLES.includes(t))).toEqual([]);

      expect(await migrateTo(db, 20)).toBe(20);
      expect(await schemaVersion(db)).toBe(20);
      expect(await db.query(`SELECT id, phone FROM users`)).toEqual([{ id: 'usr_1', phone: '+13105550100' }]);
      expect(await db.query(`SELECT id, status, seq FROM calls`)).toEqual([{ id: 'call_1', status: 'missed', seq: 3 }]);
      expect(await db.query(`SELECT change_seq FROM accounts`)).toEqual([{ change_seq: 7 }]);
      expect(await db.query(`SELECT value FROM server_secrets WHERE name = 'jwt'`)).toEqual([{ value: 'kept' }]);

      await db.query(`INSERT INTO user_verified_channels (user_id, kind, address, verified_at) VALUES ('usr_1', 'sms', '+13105550100', now())`);
      expect(await failureCode(() => db.query(`INSERT INTO user_verified_channels (user_id, kind, address, verified_at) VALUES ('usr_1', 'sms', '+1', now())`))).toBe('23505');
      expect(await failureCode(() => db.query(`INSERT INTO user_verified_channels (user_id, kind, address, verified_at) VALUES ('usr_1', 'fax', '+1', now())`))).toBe('23514');
      expect(await failureCode(() => db.query(`INSERT INTO user_verified_channels (user_id, kind, address, verified_at) VALUES ('usr_x', 'email', 'x', now())`))).toBe('23503');
      const challenge = (purpose: string, channel: string, reason: string | null) =>
        db.query(
          `INSERT INTO two_factor_challenges (id, account_id, user_id, actor_user_id, purpose, channel, created_at, expires_at, closed_reason)
           VALUES ('tfc_' || md5(random()::text), 'acc_1', 'usr_1', 'usr_1', $1, $2, now(), now(), $3)`,
          [purpose, channel, reason],
        );
      expect(await failureCode(() => challenge('phone_change', 'email', null))).toBeNull();
      expect(await failureCode(() => challenge('password_reset', 'email', null))).toBe('23514');
      expect(await failureCode(() => challenge('phone_change', 'carrier_pigeon', null))).toBe('23514');
      expect(await failureCode(() => challenge('phone_change', 'sms', 'forgotten'))).toBe('23514');
    } finally {
      await db.close();
    }
  }, SLOW);
});
