import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import { expireDueTasks } from '../../src/cloud/tasks/expiry';
import { taskSchema } from '../../src/shared/cloud/tasks';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { enrolAndWait, publishWorkflow, waitFor } from '../support/automation';

afterAll(stopTestPostgres);

/** Starting a cloud is slow on a busy machine; this is not a timing test. */
const SLOW = 300_000;
const HOUR = 3_600_000;

describe.each(backends)('task expiry on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  let phoneSeq = 0;
  const contact = async (): Promise<string> => {
    phoneSeq += 1;
    const r = await t.api(admin, 'POST', '/v1/contacts', { name: `Expiring ${phoneSeq}`, phone: `+1626555${String(8100 + phoneSeq)}`, assignedUserId: DEMO_USERS.receptionist.id });
    expect(r.status).toBe(201);
    return r.body.id;
  };

  beforeAll(async () => {
    t = await startTestCloud(backend, {}, { automation: {} });
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
  }, SLOW);
  afterAll(async () => t?.stop());

  it('a task past its expiry is marked expired once (concurrent sweeps), open and unexpired ones stay; the workflow step records it and the run moves on', async () => {
    const wf = await publishWorkflow(t, admin, 'Expiring follow-up', {
      trigger: { type: 'manual', filters: {} },
      settings: { allowReentry: true, stopOnResponse: false },
      steps: [
        { id: 'call', name: 'Follow-up call', type: 'manual_call', config: { assignToUserId: null, fromNumberId: DEMO_NUMBERS.santaMonicaMain.id, expiresInHours: 4 } },
        { id: 'done', name: 'Done', type: 'add_tag', config: { tags: ['followed-up'] } },
      ],
    });
    const run = await enrolAndWait(t, admin, wf.id, await contact(), { untilWaiting: true });
    const fromRun = (await t.cloud.db.query<{ id: string }>(`SELECT id FROM tasks WHERE run_id = $1`, [run.id]))[0]!.id;
    // The step's Call from and Expires after (hours) are on the task.
    const queued = taskSchema.parse((await t.api(jordan, 'GET', `/v1/tasks/${fromRun}`)).body);
    expect(queued.fromNumberId).toBe(DEMO_NUMBERS.santaMonicaMain.id);
    expect(Date.parse(queued.expiresAt!) - Date.now()).toBeGreaterThan(3 * HOUR);
    expect(Date.parse(queued.expiresAt!) - Date.now()).toBeLessThanOrEqual(4 * HOUR);
    // The workflow's task is due now; a hand-made one in 2 hours; one without expiry.
    await t.cloud.db.query(`UPDATE tasks SET expires_at = now() - interval '1 second' WHERE id = $1`, [fromRun]);
    const later = await t.api(admin, 'POST', '/v1/tasks', { type: 'call', contactId: await contact(), title: 'Later', expiresInHours: 2 });
    expect(later.status, JSON.stringify(later.body)).toBe(201);
    expect(Date.parse(taskSchema.parse(later.body).expiresAt!) - Date.now()).toBeGreaterThan(HOUR);
    const never = await t.api(admin, 'POST', '/v1/tasks', { type: 'call', contactId: await contact(), title: 'Never' });
    expect(taskSchema.parse(never.body).expiresAt).toBeNull();
    expect((await t.api(admin, 'POST', '/v1/tasks', { type: 'call', contactId: await contact(), title: 'Bad', expiresInHours: 0 })).status).toBe(400);

    const counts = await Promise.all([expireDueTasks(t.cloud.db), expireDueTasks(t.cloud.db), expireDueTasks(t.cloud.db)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    const expired = taskSchema.parse((await t.api(jordan, 'GET', `/v1/tasks/${fromRun}`)).body);
    expect(expired).toMatchObject({ status: 'expired', reason: 'Not worked before it expired' });
    expect((await t.api(jordan, 'POST', `/v1/tasks/${fromRun}/start`)).status).toBe(409);
    expect(await t.cloud.db.query(`SELECT count(*)::int AS n FROM domain_events WHERE type = 'task.finished' AND task_id = $1`, [fromRun])).toEqual([{ n: 1 }]);
    for (const id of [later.body.id, never.body.id]) expect(taskSchema.parse((await t.api(admin, 'GET', `/v1/tasks/${id}`)).body).status).toBe('queued');
    // Three hours on, the hand-made one is due too.
    expect(await expireDueTasks(t.cloud.db, new Date(Date.now() + 3 * HOUR))).toBe(1);
    expect(taskSchema.parse((await t.api(admin, 'GET', `/v1/tasks/${later.body.id}`)).body).status).toBe('expired');

    const after = await waitFor('the run to move on', async () => {
      const r = (await t.api(admin, 'GET', `/v1/workflows/${wf.id}/runs/${run.id}`)).body as typeof run;
      return r.status === 'completed' ? r : null;
    });
    expect(after.steps[0]).toMatchObject({ stepId: 'call', status: 'skipped', reason: 'Manual Call task expired: Not worked before it expired', output: { outcome: 'expired' } });
    expect(after.steps[1]).toMatchObject({ stepId: 'done', status: 'completed' });
  });
});
