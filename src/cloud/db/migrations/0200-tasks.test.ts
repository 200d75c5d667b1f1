import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, failureCode, migrateTo, previousVersion, stopCluster, tableNames } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

const SLOW = 180_000;

describe.each(backends)('migration 0200 tasks on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(200));
    try {
      expect(await migrateTo(db, 200)).toBe(200);
      expect(await tableNames(db)).toContain('tasks');
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0130 database with data, keeps it; one task per workflow step; its states and types hold', async () => {
    const db = await databaseAt(backend, 130);
    try {
      await db.exec(`
        INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa');
        INSERT INTO contacts (id, account_id, name, dnd, custom_fields) VALUES ('con_1', 'acc_1', 'C', '{}', '{"a":"b"}');`);
      expect(await migrateTo(db, 200)).toBe(200);
      expect(await db.query(`SELECT custom_fields FROM contacts`)).toEqual([{ custom_fields: { a: 'b' } }]);
      const task = (id: string, type: string, status: string, run: string | null, step: string | null) =>
        db.query(`INSERT INTO tasks (id, account_id, type, contact_id, title, status, run_id, step_key) VALUES ($1, 'acc_1', $2, 'con_1', 'T', $3, $4, $5)`, [id, type, status, run, step]);
      expect(await failureCode(() => task('t1', 'call', 'queued', 'run_1', 's1'))).toBeNull();
      expect(await failureCode(() => task('t2', 'sms', 'queued', 'run_1', 's1'))).toBe('23505');
      expect(await failureCode(() => task('t3', 'fax', 'queued', null, null))).toBe('23514');
      expect(await failureCode(() => task('t4', 'sms', 'parked', null, null))).toBe('23514');
      expect(await failureCode(() => task('t5', 'sms', 'queued', null, null))).toBeNull();
      expect(await failureCode(() => task('t6', 'sms', 'queued', null, null))).toBeNull(); // tasks outside workflows are not keyed
    } finally {
      await db.close();
    }
  }, SLOW);
});
