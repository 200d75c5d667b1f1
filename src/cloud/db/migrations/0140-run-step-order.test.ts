import { afterAll, describe, expect, it } from 'vitest';
import { backends, databaseAt, columnNames, migrateTo, previousVersion, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

const SLOW = 180_000;

describe.each(backends)('migration 0140 run step order on %s', (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(140));
    try {
      expect(await migrateTo(db, 140)).toBe(140);
      expect(await columnNames(db, 'run_steps')).toContain('seq');
    } finally {
      await db.close();
    }
  }, SLOW);

  it('applies on a 0130 database with steps, which each get a distinct order; new steps come after', async () => {
    const db = await databaseAt(backend, 130);
    try {
      await db.exec(`
        INSERT INTO accounts (id, name) VALUES ('acc_m', 'Spa');
        INSERT INTO workflows (id, account_id, name, draft) VALUES ('wf_m', 'acc_m', 'W', '{}');
        INSERT INTO workflow_versions (workflow_id, version, document) VALUES ('wf_m', 1, '{}');
        INSERT INTO workflow_runs (id, account_id, workflow_id, version, status, trigger, dedupe_key) VALUES ('run_m', 'acc_m', 'wf_m', 1, 'running', 'manual', 'k');
        INSERT INTO run_steps (run_id, step_key, account_id, workflow_id, version, step_id, name, type, status)
          VALUES ('run_m', 's1', 'acc_m', 'wf_m', 1, 's1', 'S', 'add_tag', 'completed'), ('run_m', 's2', 'acc_m', 'wf_m', 1, 's2', 'S', 'wait', 'waiting');`);
      expect(await migrateTo(db, 140)).toBe(140);
      const before = await db.query<{ step_key: string; seq: string }>(`SELECT step_key, seq FROM run_steps ORDER BY seq`);
      expect(new Set(before.map((r) => r.seq)).size).toBe(2);
      await db.exec(`INSERT INTO run_steps (run_id, step_key, account_id, workflow_id, version, step_id, name, type, status)
        VALUES ('run_m', 'a0', 'acc_m', 'wf_m', 1, 'a0', 'S', 'add_tag', 'pending')`);
      const after = await db.query<{ step_key: string }>(`SELECT step_key FROM run_steps ORDER BY seq`);
      expect(after.at(-1)!.step_key).toBe('a0');
    } finally {
      await db.close();
    }
  }, SLOW);
});
