import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/cloud/seed';
import { startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { publishWorkflow, waitFor } from '../support/automation';
import { bundleWorkerChild, spawnWorker, stopWorker, type WorkerProcess } from '../support/worker-processes';

/**
 * Scale out: two API instances (no workers) and two worker processes (`cloud:worker`'s engine)
 * against one PostgreSQL. Runs enrolled through both APIs; every step of every run runs once, the
 * work is shared by both workers, and each effect happened once. (PostgreSQL only: an embedded
 * PGlite belongs to one process.)
 */
const RUNS = Number(process.env.SCALE_RUNS ?? 120);
const SLOW = 300_000;

afterAll(stopTestPostgres);

describe('two API instances and two worker processes on one PostgreSQL', () => {
  let a: TestCloud;
  let b: TestCloud;
  let bundle: Awaited<ReturnType<typeof bundleWorkerChild>>;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    a = await startTestCloud('postgres');
    b = await startTestCloud('postgres', { databaseUrl: a.databaseUrl, seed: false });
    bundle = await bundleWorkerChild();
    for (let i = 0; i < 2; i += 1) workers.push(spawnWorker(bundle.script, { DATABASE_URL: a.databaseUrl!, AUTOMATION_CONCURRENCY: '4' }));
    await Promise.all(workers.map((w) => w.ready));
  }, SLOW);
  afterAll(async () => {
    await Promise.all(workers.map((w) => stopWorker(w)));
    await b?.stop();
    await a?.stop();
    await bundle?.remove();
  });

  it('every step of every run runs exactly once, shared by both workers', async () => {
    const adminA = (await a.login('admin')).accessToken;
    const adminB = (await b.login('admin')).accessToken;
    const wf = await publishWorkflow(a, adminA, 'Scale', {
      trigger: { type: 'manual', filters: {} },
      settings: { allowReentry: true, stopOnResponse: false },
      steps: [
        { id: 'tag', name: 'Tag', type: 'add_tag', config: { tags: ['scaled'] } },
        { id: 'field', name: 'Field', type: 'update_contact_field', config: { field: 'custom_fields.source', value: 'scale-{{custom.n}}' } },
        { id: 'dnd', name: 'DND', type: 'dnd', config: { action: 'enable', direction: 'outbound', channels: ['email'] } },
        { id: 'assign', name: 'Assign', type: 'assign_user', config: { userIds: [DEMO_USERS.receptionist.id, DEMO_USERS.receptionist2.id] } },
        { id: 'untag', name: 'Untag', type: 'remove_tag', config: { tags: ['scaled'] } },
      ],
    });
    const contacts: string[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const api = i % 2 === 0 ? a : b;
      const token = i % 2 === 0 ? adminA : adminB;
      const c = await api.api(token, 'POST', '/v1/contacts', { name: `Scale ${i}`, phone: `+1213555${String(1000 + i)}` });
      contacts.push(c.body.id);
    }
    await Promise.all(
      contacts.map((id, i) => (i % 2 === 0 ? a : b).api(i % 2 === 0 ? adminA : adminB, 'POST', `/v1/workflows/${wf.id}/enrol`, { contactId: id, customValues: { n: i } })),
    );
    const db = a.cloud.db;
    await waitFor('every run to complete', async () => {
      const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM workflow_runs WHERE workflow_id = $1 AND status = 'completed'`, [wf.id]);
      return rows[0]!.n === RUNS ? true : null;
    }, 240_000, 250);

    const steps = await db.query<{ status: string; attempts: number; n: number }>(
      `SELECT status, attempts, count(*)::int AS n FROM run_steps WHERE workflow_id = $1 GROUP BY status, attempts`,
      [wf.id],
    );
    expect(steps).toEqual([{ status: 'completed', attempts: 1, n: RUNS * 5 }]);
    const byWorker = await db.query<{ claimed_by: string; n: number }>(`SELECT claimed_by, count(*)::int AS n FROM run_steps WHERE workflow_id = $1 GROUP BY claimed_by`, [wf.id]);
    const pids = new Set(workers.map((w) => String(w.child.pid)));
    expect(byWorker.map((r) => r.claimed_by.split(':').pop()).every((pid) => pids.has(pid!))).toBe(true);
    expect(byWorker).toHaveLength(2);
    // Each change happened once: one audit row per contact-changing step of each run.
    const audits = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE details->'by'->>'runId' IN (SELECT id FROM workflow_runs WHERE workflow_id = $1)`,
      [wf.id],
    );
    expect(audits[0]!.n).toBe(RUNS * 5);
    const effects = await db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM step_effects WHERE run_id IN (SELECT id FROM workflow_runs WHERE workflow_id = $1) GROUP BY status`,
      [wf.id],
    );
    expect(effects).toEqual([{ status: 'done', n: RUNS * 5 }]);
    // Both API instances read the same runs.
    const viaB = (await b.api(adminB, 'GET', `/v1/workflows/${wf.id}/statistics`)).body;
    expect(viaB.runs).toMatchObject({ total: RUNS, completed: RUNS });
    const sample = (await b.api(adminB, 'GET', `/v1/contacts/${contacts[0]}`)).body;
    expect(sample).toMatchObject({ tags: [], customFields: { source: 'scale-0' } });
    expect(sample.dnd.email.outbound).toBe(true);
  }, SLOW);
});
