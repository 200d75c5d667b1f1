import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, migrateTo, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

const SLOW = 180_000;

describe.each(backends)('migration 0220 task texts on %s', (backend) => {
  it('applies on a 0210 database with tasks and keeps them (no message, no expiry)', async () => {
    const db = await databaseAt(backend, 210);
    try {
      await db.exec(`
        INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa');
        INSERT INTO contacts (id, account_id, name, dnd) VALUES ('con_1', 'acc_1', 'C', '{}');
        INSERT INTO tasks (id, account_id, type, contact_id, title, message) VALUES ('t1', 'acc_1', 'sms', 'con_1', 'Text', 'Hi');`);
      expect(await migrateTo(db, 220)).toBe(220);
      expect(await db.query(`SELECT id, message, message_id, expires_at FROM tasks`)).toEqual([{ id: 't1', message: 'Hi', message_id: null, expires_at: null }]);
    } finally {
      await db.close();
    }
  }, SLOW);
});
