import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, columnNames, failureCode, migrateTo, previousVersion, stopCluster, tableNames } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

/** Opening a database is slow on a busy machine; this is not a timing test. */
const SLOW = 180_000;

describe.each(backends)('migration 0120 appointments on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(120));
    try {
      expect(await migrateTo(db, 120)).toBe(120);
      expect(await tableNames(db)).toContain('appointments');
      expect(await columnNames(db, 'appointments')).toEqual(expect.arrayContaining(['contact_id', 'provider_id', 'starts_at', 'ends_at', 'status', 'seq']));
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0110 database with data, keeps it, and its constraints hold', async () => {
    const db = await databaseAt(backend, 110);
    try {
      await db.exec(`
        INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa');
        INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_1', 'acc_1', 'a@spa.example', 'A', 'user', 'h');
        INSERT INTO contacts (id, account_id, name, dnd) VALUES ('con_1', 'acc_1', 'C', '{}');
        INSERT INTO workflows (id, account_id, name, draft) VALUES ('wf_1', 'acc_1', 'W', '{}');`);
      expect(await migrateTo(db, 120)).toBe(120);
      expect(await db.query(`SELECT id FROM workflows`)).toEqual([{ id: 'wf_1' }]);
      const book = (id: string, status: string, start: string, end: string, contact = 'con_1') =>
        db.query(`INSERT INTO appointments (id, account_id, contact_id, provider_id, starts_at, ends_at, status) VALUES ($1, 'acc_1', $2, 'usr_1', $3, $4, $5)`, [id, contact, start, end, status]);
      expect(await failureCode(() => book('apt_1', 'booked', '2030-01-01T09:00:00Z', '2030-01-01T10:00:00Z'))).toBeNull();
      expect(await failureCode(() => book('apt_2', 'tentative', '2030-01-01T09:00:00Z', '2030-01-01T10:00:00Z'))).toBe('23514');
      expect(await failureCode(() => book('apt_3', 'booked', '2030-01-01T10:00:00Z', '2030-01-01T09:00:00Z'))).toBe('23514');
      expect(await failureCode(() => book('apt_4', 'booked', '2030-01-01T09:00:00Z', '2030-01-01T10:00:00Z', 'con_x'))).toBe('23503');
    } finally {
      await db.close();
    }
  }, SLOW);
});
