import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, columnNames, migrateTo, previousVersion, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

const SLOW = 180_000;

describe.each(backends)('migration 0130 contact custom fields on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(130));
    try {
      expect(await migrateTo(db, 130)).toBe(130);
      expect(await columnNames(db, 'contacts')).toContain('custom_fields');
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0120 database with contacts, which get an empty set of fields', async () => {
    const db = await databaseAt(backend, 120);
    try {
      await db.exec(`
        INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa');
        INSERT INTO contacts (id, account_id, name, phone, tags, dnd) VALUES ('con_1', 'acc_1', 'C', '+13105550100', '["vip"]', '{}');`);
      expect(await migrateTo(db, 130)).toBe(130);
      expect(await db.query(`SELECT id, phone, tags, custom_fields FROM contacts`)).toEqual([{ id: 'con_1', phone: '+13105550100', tags: ['vip'], custom_fields: {} }]);
      await db.query(`UPDATE contacts SET custom_fields = '{"plan":"gold"}' WHERE id = 'con_1'`);
      expect(await db.query(`SELECT custom_fields->>'plan' AS plan FROM contacts`)).toEqual([{ plan: 'gold' }]);
    } finally {
      await db.close();
    }
  }, SLOW);
});
