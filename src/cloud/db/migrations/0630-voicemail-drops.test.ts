import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, failureCode, migrateTo, previousVersion, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe.each(backends)('migration 0630 voicemail drops on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(630));
    try {
      expect(await migrateTo(db, 630)).toBe(630);
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on the previous version with data; voicemail is a channel, others still refused', async () => {
    const db = await databaseAt(backend, 620);
    try {
      await db.query(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa')`);
      await db.query(`INSERT INTO outbound_messages (id, account_id, channel, purpose, to_address, body) VALUES ('msg_1', 'acc_1', 'sms', 'contact', '+13105552001', 'hi')`);
      expect(await migrateTo(db, 630)).toBe(630);
      expect(await db.query(`SELECT id, channel FROM outbound_messages`)).toEqual([{ id: 'msg_1', channel: 'sms' }]);
      await db.query(`INSERT INTO outbound_messages (id, account_id, channel, purpose, to_address, body) VALUES ('msg_2', 'acc_1', 'voicemail', 'contact', '+13105552001', 'https://x/a.mp3')`);
      expect(await failureCode(() => db.query(`INSERT INTO outbound_messages (id, account_id, channel, purpose, to_address, body) VALUES ('msg_3', 'acc_1', 'fax', 'contact', 'x', 'b')`))).toBe('23514');
    } finally {
      await db.close();
    }
  }, SLOW);
});
