import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../database';
import { insertDomainEvent } from '../../events/domain-events';
import { backends, databaseAt, migrateTo, previousVersion, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

// Opening PGlite (a WASM PostgreSQL) takes tens of seconds on a loaded machine.
const timeout = 180_000;

/** A minimal account with a user, a contact and a call, written with plain SQL of the initial schema. */
async function insertBaseData(db: Database): Promise<void> {
  await db.exec(`
    INSERT INTO accounts (id, name) VALUES ('acc_m', 'Migration spa');
    INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_m', 'acc_m', 'm@example.com', 'M', 'admin', 'x');
    INSERT INTO contacts (id, account_id, name, phone, dnd) VALUES ('con_m', 'acc_m', 'Ana', '+13105550001', '{}');
    INSERT INTO calls (id, account_id, direction, from_number, to_number, status, contact_id) VALUES ('call_m', 'acc_m', 'inbound', '+13105550001', '+13105550100', 'completed', 'con_m');
  `);
}

describe.each(backends)('migration 0100 domain events on %s', { timeout }, (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(100));
    try {
      expect(await migrateTo(db, 100)).toBe(100);
      expect(await db.query(`SELECT count(*)::int AS n FROM domain_events`)).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }
  });

  it('applies on the previous version with data, which it keeps; events record in the same transaction', async () => {
    const db = await databaseAt(backend, 20);
    try {
      await insertBaseData(db);
      await migrateTo(db, 100);
      expect(await db.query(`SELECT id, contact_id FROM calls`)).toEqual([{ id: 'call_m', contact_id: 'con_m' }]);
      const id = await db.transaction((tx) =>
        insertDomainEvent(tx, { accountId: 'acc_m', type: 'call.disposition_set', callId: 'call_m', contactId: 'con_m', payload: { dispositionId: null, previousDispositionId: null } }),
      );
      await expect(
        db.transaction(async (tx) => {
          await insertDomainEvent(tx, { accountId: 'acc_m', type: 'contact.created', contactId: 'con_m', payload: {} });
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      const rows = await db.query(`SELECT id, type, call_id, dispatched_at FROM domain_events ORDER BY id`);
      expect(rows).toEqual([{ id, type: 'call.disposition_set', call_id: 'call_m', dispatched_at: null }]);
    } finally {
      await db.close();
    }
  });
});
