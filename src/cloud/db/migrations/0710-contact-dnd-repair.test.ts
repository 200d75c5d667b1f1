import { afterAll, describe, expect, it } from 'vitest';
import { contactSchema, noDnd } from '../../../shared/cloud/entities';
import { backends, databaseAt, migrateTo, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database (PGlite's WASM start, a PostgreSQL cluster) is slow on a busy machine; this is not a timing test. */
const SLOW = 120_000;

describe.each(backends)('migration 0710 contact DND repair on %s', (backend) => {
  it('gives an empty DND the default, keeps a channel a contact already has, and leaves whole ones alone', async () => {
    const db = await databaseAt(backend, 700);
    try {
      const whole = { ...noDnd(), sms: { inbound: true, outbound: true } };
      await db.exec(`INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa')`);
      await db.query(
        `INSERT INTO contacts (id, account_id, name, phone, tags, dnd) VALUES
           ('con_empty', 'acc_1', 'Caller', '+13105550100', '[]', '{}'),
           ('con_part', 'acc_1', 'Part', '+13105550101', '[]', $1::jsonb),
           ('con_whole', 'acc_1', 'Whole', '+13105550102', '[]', $2::jsonb)`,
        [JSON.stringify({ call: { inbound: true, outbound: false } }), JSON.stringify(whole)],
      );
      expect(await migrateTo(db, 710)).toBe(710);
      const rows = await db.query<{ id: string; dnd: unknown }>(`SELECT id, dnd FROM contacts ORDER BY id`);
      const dnd = Object.fromEntries(rows.map((r) => [r.id, r.dnd]));
      expect(dnd.con_empty).toEqual(noDnd());
      expect(dnd.con_part).toEqual({ ...noDnd(), call: { inbound: true, outbound: false } });
      expect(dnd.con_whole).toEqual(whole);
      // What the desktops' sync checks: every repaired DND now passes the contact schema's rule.
      for (const value of Object.values(dnd)) expect(contactSchema.shape.dnd.safeParse(value).success).toBe(true);
    } finally {
      await db.close();
    }
  }, SLOW);
});
