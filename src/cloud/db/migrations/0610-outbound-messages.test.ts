import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, failureCode, migrateTo, previousVersion, stopCluster, tableNames } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe.each(backends)('migration 0610 outbound messages on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(610));
    try {
      expect(await migrateTo(db, 610)).toBe(610);
      expect(await tableNames(db)).toEqual(expect.arrayContaining(['outbound_messages', 'tracked_links']));
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on the previous version with data; its constraints hold', async () => {
    const db = await databaseAt(backend, 600);
    try {
      await db.query(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa')`);
      await db.query(`INSERT INTO message_templates (id, account_id, channel, name, body) VALUES ('tpl_1', 'acc_1', 'sms', 'Hi', 'Hello')`);
      expect(await migrateTo(db, 610)).toBe(610);
      expect(await db.query(`SELECT id FROM message_templates`)).toEqual([{ id: 'tpl_1' }]);

      const insert = (id: string, channel: string, status: string, provider: string | null) =>
        db.query(`INSERT INTO outbound_messages (id, account_id, channel, purpose, to_address, body, status, provider_id) VALUES ($1, 'acc_1', $2, 'contact', '+13105552001', 'hi', $3, $4)`, [
          id, channel, status, provider,
        ]);
      await insert('msg_1', 'sms', 'queued', 'SM1');
      // A provider id names one message per channel; channels and statuses are closed lists.
      expect(await failureCode(() => insert('msg_2', 'sms', 'queued', 'SM1'))).toBe('23505');
      await insert('msg_3', 'email', 'queued', 'SM1');
      expect(await failureCode(() => insert('msg_4', 'fax', 'queued', null))).toBe('23514');
      expect(await failureCode(() => insert('msg_5', 'sms', 'lost', null))).toBe('23514');
      expect(await failureCode(() => db.query(`INSERT INTO outbound_messages (id, account_id, channel, purpose, to_address, body, contact_id) VALUES ('msg_6', 'acc_1', 'sms', 'contact', 'x', 'b', 'ct_x')`))).toBe('23503');

      // Tracked links go with their message.
      await db.query(`INSERT INTO tracked_links (token, message_id, url) VALUES ('tok', 'msg_1', 'https://glow.example/book')`);
      expect(await failureCode(() => db.query(`INSERT INTO tracked_links (token, message_id, url) VALUES ('tok2', 'msg_x', 'https://x.example')`))).toBe('23503');
      await db.query(`DELETE FROM outbound_messages WHERE id = 'msg_1'`);
      expect(await db.query(`SELECT token FROM tracked_links`)).toEqual([]);
    } finally {
      await db.close();
    }
  }, SLOW);
});
