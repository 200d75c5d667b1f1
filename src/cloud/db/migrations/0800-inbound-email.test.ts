import { afterAll, describe, expect, it } from 'vitest';
import { backends, columnNames, databaseAt, failureCode, migrateTo, previousVersion, stopCluster, tableNames } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe.each(backends)('migration 0800 inbound email on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(800));
    try {
      expect(await migrateTo(db, 800)).toBe(800);
      expect(await tableNames(db)).toContain('inbound_emails');
      expect(await columnNames(db, 'outbound_messages')).toEqual(expect.arrayContaining(['email_message_id', 'replied_at']));
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0750 database with sent emails (their Message-ID taken from the provider id); one Message-ID per practice; inbound keys are unique per practice', async () => {
    const db = await databaseAt(backend, 750);
    try {
      await db.exec(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa'), ('acc_2', 'Other')`);
      const insert = (id: string, account: string, channel: string, provider: string | null) =>
        db.query(`INSERT INTO outbound_messages (id, account_id, channel, purpose, to_address, body, provider_id) VALUES ($1, $2, $3, 'contact', 'x', 'b', $4)`, [id, account, channel, provider]);
      await insert('msg_1', 'acc_1', 'email', '<msg_1@glow.example>');
      await insert('msg_2', 'acc_1', 'sms', 'SM1');
      await insert('msg_3', 'acc_1', 'email', null);
      expect(await migrateTo(db, 800)).toBe(800);
      expect(await db.query(`SELECT id, email_message_id, replied_at FROM outbound_messages ORDER BY id`)).toEqual([
        { id: 'msg_1', email_message_id: '<msg_1@glow.example>', replied_at: null },
        { id: 'msg_2', email_message_id: null, replied_at: null },
        { id: 'msg_3', email_message_id: null, replied_at: null },
      ]);
      expect(await failureCode(() => db.query(`UPDATE outbound_messages SET email_message_id = '<msg_1@glow.example>' WHERE id = 'msg_3'`))).toBe('23505');

      await db.exec(`INSERT INTO inbound_emails (account_id, message_key, outbound_message_id) VALUES ('acc_1', '<r1@mail.example>', 'msg_1')`);
      expect(await failureCode(() => db.query(`INSERT INTO inbound_emails (account_id, message_key) VALUES ('acc_1', '<r1@mail.example>')`))).toBe('23505');
      await db.exec(`INSERT INTO inbound_emails (account_id, message_key) VALUES ('acc_2', '<r1@mail.example>')`);
      expect(await failureCode(() => db.query(`INSERT INTO inbound_emails (account_id, message_key, outbound_message_id) VALUES ('acc_1', 'k2', 'msg_x')`))).toBe('23503');
      await db.exec(`DELETE FROM outbound_messages WHERE id = 'msg_1'`);
      expect(await db.query(`SELECT outbound_message_id FROM inbound_emails WHERE account_id = 'acc_1'`)).toEqual([{ outbound_message_id: null }]);
    } finally {
      await db.close();
    }
  }, SLOW);
});
