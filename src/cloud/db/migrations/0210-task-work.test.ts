import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, failureCode, migrateTo, previousVersion, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

const SLOW = 180_000;

describe.each(backends)('migration 0210 task work on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(210));
    try {
      expect(await migrateTo(db, 210)).toBe(210);
      expect(await db.query(`SELECT started_at, started_by, call_id, call_outcome, disposition_id, note FROM tasks`)).toEqual([]);
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0200 database with tasks and calls, keeps them; outcomes and one task per call hold', async () => {
    const db = await databaseAt(backend, 200);
    try {
      await db.exec(`
        INSERT INTO accounts (id, name) VALUES ('acc_1', 'Spa');
        INSERT INTO contacts (id, account_id, name, dnd) VALUES ('con_1', 'acc_1', 'C', '{}');
        INSERT INTO calls (id, account_id, direction, from_number, to_number, status) VALUES ('call_1', 'acc_1', 'outbound', '+13105550100', '+13105550199', 'completed');
        INSERT INTO tasks (id, account_id, type, contact_id, title) VALUES ('t1', 'acc_1', 'call', 'con_1', 'Call back'), ('t2', 'acc_1', 'call', 'con_1', 'Call again');`);
      expect(await migrateTo(db, 210)).toBe(210);
      expect(await db.query(`SELECT id, status, call_id FROM tasks ORDER BY id`)).toEqual([
        { id: 't1', status: 'queued', call_id: null },
        { id: 't2', status: 'queued', call_id: null },
      ]);
      expect(await db.query(`SELECT task_id, task_outcome FROM calls`)).toEqual([{ task_id: null, task_outcome: null }]);
      expect(await failureCode(() => db.query(`UPDATE tasks SET call_id = 'call_1', call_outcome = 'no_answer' WHERE id = 't1'`))).toBeNull();
      expect(await failureCode(() => db.query(`UPDATE tasks SET call_id = 'call_1' WHERE id = 't2'`))).toBe('23505');
      expect(await failureCode(() => db.query(`UPDATE tasks SET call_outcome = 'hung_up' WHERE id = 't2'`))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE calls SET task_id = 't1', task_outcome = 'left_voicemail'`))).toBeNull();
      expect(await failureCode(() => db.query(`UPDATE calls SET task_outcome = 'maybe'`))).toBe('23514');
      expect(await failureCode(() => db.query(`UPDATE calls SET task_id = 'nope'`))).toBe('23503');
    } finally {
      await db.close();
    }
  }, SLOW);
});
