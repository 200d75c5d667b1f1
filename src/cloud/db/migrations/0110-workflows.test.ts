import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../database';
import { backends, databaseAt, failureCode, migrateTo, previousVersion, stopCluster } from '../../../../test/support/cloud-migrations';

afterAll(stopCluster);

// Opening PGlite (a WASM PostgreSQL) takes tens of seconds on a loaded machine.
const timeout = 180_000;

const tables = ['workflows', 'workflow_versions', 'workflow_runs', 'run_steps', 'step_effects', 'step_signals', 'step_metrics', 'automation_settings'];

/** A minimal account with a user, a contact and a call, written with plain SQL of the initial schema. */
async function insertBaseData(db: Database): Promise<void> {
  await db.exec(`
    INSERT INTO accounts (id, name) VALUES ('acc_m', 'Migration spa');
    INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_m', 'acc_m', 'm@example.com', 'M', 'admin', 'x');
    INSERT INTO contacts (id, account_id, name, phone, dnd) VALUES ('con_m', 'acc_m', 'Ana', '+13105550001', '{}');
    INSERT INTO calls (id, account_id, direction, from_number, to_number, status, contact_id) VALUES ('call_m', 'acc_m', 'inbound', '+13105550001', '+13105550100', 'completed', 'con_m');
  `);
}

describe.each(backends)('migration 0110 workflows on %s', { timeout }, (backend) => {
  it('applies on an empty database', async () => {
    const db = await databaseAt(backend, previousVersion(110));
    try {
      expect(await migrateTo(db, 110)).toBe(110);
      for (const table of tables) expect(await db.query(`SELECT count(*)::int AS n FROM ${table}`), table).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }
  });

  it('applies on the previous version with data; a run is unique per workflow and dedupe key', async () => {
    const db = await databaseAt(backend, 100);
    try {
      await insertBaseData(db);
      await db.query(`INSERT INTO domain_events (account_id, type, contact_id) VALUES ('acc_m', 'contact.created', 'con_m')`);
      await migrateTo(db, 110);
      expect(await db.query(`SELECT count(*)::int AS n FROM domain_events`)).toEqual([{ n: 1 }]);
      await db.exec(`
        INSERT INTO workflows (id, account_id, name, draft) VALUES ('wf_m', 'acc_m', 'W', '{}');
        INSERT INTO workflow_versions (workflow_id, version, document) VALUES ('wf_m', 1, '{}');
        INSERT INTO workflow_runs (id, account_id, workflow_id, version, contact_id, status, trigger, dedupe_key) VALUES ('run_m', 'acc_m', 'wf_m', 1, 'con_m', 'running', 'manual', 'contact:con_m');
        INSERT INTO run_steps (run_id, step_key, account_id, workflow_id, version, step_id, name, type, status) VALUES ('run_m', 's1', 'acc_m', 'wf_m', 1, 's1', 'S', 'add_tag', 'pending');
      `);
      const run = (id: string, dedupe: string, status = 'running') =>
        db.query(`INSERT INTO workflow_runs (id, account_id, workflow_id, version, status, trigger, dedupe_key) VALUES ($1, 'acc_m', 'wf_m', 1, $2, 'manual', $3)`, [id, status, dedupe]);
      expect(await failureCode(() => run('run_m2', 'contact:con_m'))).toBe('23505');
      expect(await failureCode(() => run('run_m3', 'event:1', 'sleeping'))).toBe('23514');
      expect(await failureCode(() => run('run_m4', 'event:2'))).toBeNull();
      expect(await failureCode(() => db.query(`INSERT INTO step_effects (run_id, step_key, effect_key, status) VALUES ('run_m', 's1', 'e', 'intent'), ('run_m', 's1', 'e', 'intent')`))).toBe('23505');
      expect(await failureCode(() => db.query(`INSERT INTO step_effects (run_id, step_key, effect_key, status) VALUES ('run_x', 's1', 'e', 'intent')`))).toBe('23503');
      expect(await failureCode(() => db.query(`UPDATE run_steps SET status = 'paused'`))).toBe('23514');
      await db.query(`DELETE FROM workflow_runs WHERE id = 'run_m'`);
      expect(await db.query(`SELECT count(*)::int AS n FROM run_steps`)).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }
  });
});
