import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, migrateTo, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe.each(backends)('migration 0720 number webhooks set on %s', (backend) => {
  it('adds webhooks_set, NULL on every number already there (the webhooks job points them at today’s set)', async () => {
    const db = await databaseAt(backend, 710);
    try {
      await db.exec(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa')`);
      await db.exec(`INSERT INTO phone_numbers (id, account_id, number, name, twilio_sid) VALUES ('num_1', 'acc_1', '+13105550100', 'Main', 'PN1')`);
      expect(await migrateTo(db, 720)).toBe(720);
      expect(await db.query(`SELECT id, twilio_sid, webhooks_set FROM phone_numbers`)).toEqual([{ id: 'num_1', twilio_sid: 'PN1', webhooks_set: null }]);
      await db.exec(`UPDATE phone_numbers SET webhooks_set = 'v2 https://cloud.example.com' WHERE id = 'num_1'`);
      expect((await db.query<{ webhooks_set: string }>(`SELECT webhooks_set FROM phone_numbers`))[0]!.webhooks_set).toBe('v2 https://cloud.example.com');
    } finally {
      await db.close();
    }
  }, SLOW);
});
