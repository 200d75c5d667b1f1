import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpired } from '../../src/cloud/automation/engine/retention';
import { DEMO_LOCATIONS, DEMO_USERS } from '../../src/cloud/seed';
import { workflowStatisticsSchema } from '../../src/shared/cloud/workflows';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { enrolAndWait, publishWorkflow, runsOf, waitFor } from '../support/automation';

afterAll(stopTestPostgres);

/** Starting a cloud (PGlite's WASM start, pg-boss's schema) is slow on a busy machine; this is not a timing test. */
const SLOW = 300_000;

const manual = { type: 'manual' as const, filters: {} };

/** Contact and flow actions, the execution log, manual tasks, version pinning, exactly-once delivery, the API's refusals. */
describe.each(backends)('workflow actions on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  let avery: string;
  let phoneSeq = 0;
  const contact = async (body: Record<string, unknown> = {}) => {
    const res = await t.api(jordan, 'POST', '/v1/contacts', { name: 'Ana María Díaz', phone: `+1818555${String(1000 + phoneSeq++)}`, ...body });
    expect(res.status).toBe(201);
    return res.body as { id: string; phone: string; tags: string[]; assignedUserId: string | null };
  };
  const getContact = async (id: string) => (await t.api(jordan, 'GET', `/v1/contacts/${id}`)).body;

  beforeAll(async () => {
    t = await startTestCloud(backend, {}, { automation: {} });
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
    avery = (await t.login('receptionist2')).accessToken;
  }, SLOW);
  afterAll(async () => t?.stop());

  it('tags, DND and assignment change the contact once; the log says what happened in plain words', async () => {
    const wf = await publishWorkflow(t, admin, 'Contact actions', {
      trigger: manual,
      steps: [
        { id: 'add', name: 'Add tags', type: 'add_tag', config: { tags: ['VIP', 'laser'] } },
        { id: 'remove', name: 'Remove tag', type: 'remove_tag', config: { tags: ['botox', 'not-there'] } },
        { id: 'dnd', name: 'No texts', type: 'dnd', config: { action: 'enable', direction: 'both', channels: ['sms', 'whatsapp'] } },
        { id: 'undnd', name: 'Calls are fine', type: 'dnd', config: { action: 'disable', direction: 'inbound', channels: ['call'] } },
        { id: 'assign', name: 'Owner', type: 'assign_user', config: { userIds: [DEMO_USERS.receptionist2.id], onlyIfUnassigned: true } },
        { id: 'assign-again', name: 'Owner again', type: 'assign_user', config: { userIds: [DEMO_USERS.receptionist.id], onlyIfUnassigned: true } },
      ],
    });
    const c = await contact({ tags: ['vip', 'botox'] });
    const run = await enrolAndWait(t, admin, wf.id, c.id);
    expect(run.status).toBe('completed');
    const byId = Object.fromEntries(run.steps.map((s) => [s.stepId, s]));
    expect(byId.add).toMatchObject({ status: 'completed', output: { added: ['laser'] } });
    expect(byId.remove).toMatchObject({ status: 'completed', output: { removed: ['botox'] } });
    expect(byId.dnd!.reason).toBe('Enabled inbound and outbound DND for sms, whatsapp');
    expect(byId.undnd!.reason).toMatch(/^Already set/);
    expect(byId.assign).toMatchObject({ status: 'completed', reason: 'Assigned to Avery Patel' });
    expect(byId['assign-again']).toMatchObject({ status: 'skipped', reason: 'The contact already has an assigned user' });
    const saved = await getContact(c.id);
    expect(saved.tags.sort()).toEqual(['laser', 'vip']);
    expect(saved.dnd.sms).toEqual({ inbound: true, outbound: true });
    expect(saved.dnd.call).toEqual({ inbound: false, outbound: false });
    expect(saved.assignedUserId).toBe(DEMO_USERS.receptionist2.id);
    const audit = await t.cloud.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND details->'by'->>'runId' = $2`, [c.id, run.id]);
    expect(audit[0]!.n).toBe(4); // add, remove, dnd, assign: each exactly once
  });

  it('If/Else on custom values and fields; Update Contact Field; blank merge fields are listed', async () => {
    const wf = await publishWorkflow(t, admin, 'Branching', {
      trigger: manual,
      settings: { allowReentry: true, stopOnResponse: false },
      steps: [
        { id: 'plan', name: 'Save plan', type: 'update_contact_field', config: { field: 'custom_fields.plan', value: '{{custom.plan}}' } },
        { id: 'greet', name: 'Nickname', type: 'update_contact_field', config: { field: 'name', value: '{{contact.first_name}} {{appointment.start_time}}' } },
        {
          id: 'tier', name: 'Tier?', type: 'if_else',
          branches: [
            { id: 'gold', name: 'Gold', conditions: { match: 'all', rules: [{ field: 'contact.custom_fields.plan', operator: 'equals', value: 'gold' }] }, steps: [{ id: 'tag-gold', name: 'Gold tag', type: 'add_tag', config: { tags: ['gold'] } }] },
            { id: 'big', name: 'Big spender', conditions: { match: 'any', rules: [{ field: 'custom.spend', operator: 'greater_than', value: '1000' }, { field: 'contact.tags', operator: 'has_tag', value: 'whale' }] }, steps: [{ id: 'tag-big', name: 'Big tag', type: 'add_tag', config: { tags: ['big'] } }] },
          ],
          elseSteps: [{ id: 'tag-none', name: 'Plain tag', type: 'add_tag', config: { tags: ['plain'] } }],
        },
        { id: 'after', name: 'After the branch', type: 'add_tag', config: { tags: ['branched'] } },
      ],
    });
    const gold = await contact();
    const run = await enrolAndWait(t, admin, wf.id, gold.id, { customValues: { plan: 'Gold', spend: 5 } });
    const steps = Object.fromEntries(run.steps.map((s) => [s.stepId, s]));
    expect(Object.keys(steps).sort()).toEqual(['after', 'greet', 'plan', 'tag-gold', 'tier']);
    expect(steps.tier).toMatchObject({ status: 'completed', reason: 'Branch "Gold" matched', output: { branch: 'Gold' } });
    expect(steps.greet!.blankFields).toEqual(['appointment.start_time']);
    expect(steps.greet!.reason).toMatch(/Blank merge fields: appointment.start_time/);
    const saved = await getContact(gold.id);
    expect(saved.name).toBe('Ana');
    expect(saved.customFields).toEqual({ plan: 'Gold' });

    const big = await contact();
    const bigRun = await enrolAndWait(t, admin, wf.id, big.id, { customValues: { plan: '', spend: '2500' } });
    expect(bigRun.steps.map((s) => s.stepId)).toEqual(['plan', 'greet', 'tier', 'tag-big', 'after']);
    const plain = await contact();
    const plainRun = await enrolAndWait(t, admin, wf.id, plain.id, { customValues: {} });
    expect(plainRun.steps.map((s) => s.stepId)).toEqual(['plan', 'greet', 'tier', 'tag-none', 'after']);
    expect(plainRun.steps[2]!.reason).toBe('No branch matched: took the None branch');
  });

  it('Manual Call / Manual SMS: tasks with the Assign To fallback; the run waits for the outcome; skipped is its own outcome', async () => {
    const wf = await publishWorkflow(t, admin, 'Manual follow-up', {
      trigger: manual,
      settings: { allowReentry: true, stopOnResponse: false },
      steps: [
        // Avery works Santa Monica only: for a Beverly Hills contact the task falls back to the owner.
        { id: 'sms', name: 'Welcome text', type: 'manual_sms', config: { message: 'Hi {{contact.first_name}}, thanks for calling!', assignToUserId: DEMO_USERS.receptionist2.id } },
        { id: 'call', name: 'Lead follow-up call', type: 'manual_call', config: { assignToUserId: null } },
        { id: 'done', name: 'Done', type: 'add_tag', config: { tags: ['followed-up'] } },
      ],
    });
    const c = await contact({ locationId: DEMO_LOCATIONS.beverlyHills.id, assignedUserId: DEMO_USERS.receptionist.id });
    let run = await enrolAndWait(t, admin, wf.id, c.id, { untilWaiting: true });
    expect(run.steps[0]).toMatchObject({ stepId: 'sms', status: 'waiting' });
    expect(run.steps[0]!.reason).toBe('Manual SMS added to the manual queue for Jordan Lee (the chosen user cannot access this contact: the contact owner)');
    const mine = (await t.api(jordan, 'GET', '/v1/tasks')).body as { id: string; runId: string; message: string; type: string }[];
    const smsTask = mine.find((task) => task.runId === run.id)!;
    expect(smsTask).toMatchObject({ type: 'sms', message: 'Hi Ana, thanks for calling!' });
    expect((await t.api(avery, 'POST', `/v1/tasks/${smsTask.id}/finish`, { outcome: 'completed' })).status).toBe(409); // Jordan has it
    expect((await t.api(jordan, 'POST', `/v1/tasks/${smsTask.id}/finish`, { outcome: 'skipped' })).status).toBe(400);
    expect((await t.api(jordan, 'POST', `/v1/tasks/${smsTask.id}/start`)).status).toBe(200);
    expect((await t.api(jordan, 'POST', `/v1/tasks/${smsTask.id}/finish`, { outcome: 'skipped', reason: 'Texted from my phone' })).status).toBe(200);
    run = await waitFor('the call step', async () => {
      const r = (await t.api(admin, 'GET', `/v1/workflows/${wf.id}/runs/${run.id}`)).body;
      return r.steps.length === 2 && r.steps[1].status === 'waiting' ? r : null;
    });
    expect(run.steps[0]).toMatchObject({ status: 'skipped', reason: 'Manual SMS task skipped: Texted from my phone', output: { outcome: 'skipped' } });
    expect(run.steps[1]!.reason).toBe('Manual Call added to the manual queue for Jordan Lee');
    const callTask = ((await t.api(jordan, 'GET', '/v1/tasks')).body as { id: string; runId: string; type: string }[]).find((x) => x.runId === run.id && x.type === 'call')!;
    expect((await t.api(jordan, 'POST', `/v1/tasks/${callTask.id}/start`)).status).toBe(200);
    expect((await t.api(jordan, 'POST', `/v1/tasks/${callTask.id}/finish`, { outcome: 'completed', callOutcome: 'no_answer' })).status).toBe(200);
    expect((await t.api(jordan, 'POST', `/v1/tasks/${callTask.id}/finish`, { outcome: 'completed', callOutcome: 'no_answer' })).status).toBe(409);
    const done = await waitFor('the run to complete', async () => {
      const r = (await t.api(admin, 'GET', `/v1/workflows/${wf.id}/runs/${run.id}`)).body;
      return r.status === 'completed' ? r : null;
    });
    expect(done.steps.map((s: { status: string }) => s.status)).toEqual(['skipped', 'completed', 'completed']);
    // The chosen user cannot access the contact and it has no owner: Unassigned.
    const orphan = await contact({ locationId: DEMO_LOCATIONS.beverlyHills.id });
    const orphanRun = await enrolAndWait(t, admin, wf.id, orphan.id, { untilWaiting: true });
    expect(orphanRun.steps[0]!.reason).toMatch(/for Unassigned/);
    expect(((await t.api(jordan, 'GET', '/v1/tasks?scope=unassigned')).body as { runId: string }[]).some((x) => x.runId === orphanRun.id)).toBe(true);
    // SMS pumping: no Manual SMS task for a number the practice may not text (it could never be sent); the run goes on.
    const abroad = await contact({ phone: '+18765550188', locationId: DEMO_LOCATIONS.beverlyHills.id, assignedUserId: DEMO_USERS.receptionist.id });
    const abroadRun = await enrolAndWait(t, jordan, wf.id, abroad.id, { untilWaiting: true });
    expect(abroadRun.steps[0]).toMatchObject({
      status: 'error',
      reason: 'Texts to Jamaica (JM) are not allowed for your practice. An admin can allow more countries under Settings → Call policy. No Manual SMS task was queued for +18765550188.',
    });
    expect(abroadRun.steps[1]).toMatchObject({ stepId: 'call', status: 'waiting' });
    expect(await t.cloud.db.query(`SELECT id FROM tasks WHERE run_id = $1 AND type = 'sms'`, [abroadRun.id])).toEqual([]);
  });

  it('a run stays on the version it started on; publishing changes only new runs', async () => {
    const draft = (last: string) => ({
      trigger: manual,
      settings: { allowReentry: true, stopOnResponse: false },
      steps: [
        { id: 'call', name: 'Call first', type: 'manual_call' as const, config: { assignToUserId: null } },
        { id: 'last', name: 'Then tag', type: 'add_tag' as const, config: { tags: [last] } },
      ],
    });
    const wf = await publishWorkflow(t, admin, 'Versions', draft('v1-tag'));
    const c = await contact({ assignedUserId: DEMO_USERS.receptionist.id });
    const run = await enrolAndWait(t, admin, wf.id, c.id, { untilWaiting: true });
    expect((await t.api(admin, 'PATCH', `/v1/workflows/${wf.id}`, { draft: draft('v2-tag') })).status).toBe(200);
    const v2 = await t.api(admin, 'POST', `/v1/workflows/${wf.id}/publish`);
    expect(v2.body.publishedVersion).toBe(2);
    const task = ((await t.api(jordan, 'GET', '/v1/tasks')).body as { id: string; runId: string }[]).find((x) => x.runId === run.id)!;
    await t.api(jordan, 'POST', `/v1/tasks/${task.id}/start`);
    await t.api(jordan, 'POST', `/v1/tasks/${task.id}/finish`, { outcome: 'completed', callOutcome: 'no_answer' });
    await waitFor('the v1 run to finish', async () => ((await t.api(admin, 'GET', `/v1/workflows/${wf.id}/runs/${run.id}`)).body.status === 'completed' ? true : null));
    expect((await getContact(c.id)).tags).toEqual(['v1-tag']);
    const versions = (await t.api(admin, 'GET', `/v1/workflows/${wf.id}/versions`)).body as { version: number }[];
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
  });

  it('a step delivered many times at once runs once; a finished step delivered again changes nothing', async () => {
    const wf = await publishWorkflow(t, admin, 'Duplicates', { trigger: manual, steps: [{ id: 'tag', name: 'Tag', type: 'add_tag', config: { tags: ['dup'] } }] });
    const c = await contact();
    const run = await enrolAndWait(t, admin, wf.id, c.id);
    const runner = t.cloud.automation!.engine.runner;
    // A second copy of a finished step's job: a no-op.
    await Promise.all(Array.from({ length: 5 }, () => runner.run({ runId: run.id, stepKey: 'tag' }, { retryCount: 0, retryLimit: 0 })));
    // The same step again (as if its worker died after the effect but before recording the outcome),
    // delivered five times concurrently, after someone removed the tag by hand: claimed once, and the
    // ledger hands back the effect already performed instead of tagging again.
    await t.api(jordan, 'PATCH', `/v1/contacts/${c.id}`, { tags: [] });
    await t.cloud.db.query(`UPDATE run_steps SET status = 'pending', attempts = 0 WHERE run_id = $1`, [run.id]);
    await t.cloud.db.query(`UPDATE workflow_runs SET status = 'running', finished_at = NULL WHERE id = $1`, [run.id]);
    await Promise.all(Array.from({ length: 5 }, () => runner.run({ runId: run.id, stepKey: 'tag' }, { retryCount: 0, retryLimit: 0 })));
    const steps = await t.cloud.db.query<{ attempts: number; status: string }>(`SELECT attempts, status FROM run_steps WHERE run_id = $1`, [run.id]);
    expect(steps).toEqual([{ attempts: 1, status: 'completed' }]);
    const audit = await t.cloud.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND details->'by'->>'runId' = $2`, [c.id, run.id]);
    expect(audit[0]!.n).toBe(1);
    const effects = await t.cloud.db.query(`SELECT effect_key, status FROM step_effects WHERE run_id = $1`, [run.id]);
    expect(effects).toEqual([{ effect_key: 'tags', status: 'done' }]);
    expect((await getContact(c.id)).tags).toEqual([]);
  });

  it('the API refuses what it must: no trigger or action, foreign ids, bad templates, non-admins; it is all in the OpenAPI document', async () => {
    const empty = await t.api(admin, 'POST', '/v1/workflows', { name: 'Empty' });
    expect(empty.status).toBe(201);
    const refused = await t.api(admin, 'POST', `/v1/workflows/${empty.body.id}/publish`);
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { message: string }) => e.message).join(' ')).toMatch(/needs both a trigger and an action.*Add an action too/);
    expect((await t.api(jordan, 'POST', '/v1/workflows', { name: 'Nope' })).status).toBe(403);
    expect((await t.api(jordan, 'DELETE', `/v1/workflows/${empty.body.id}`)).status).toBe(403);
    const foreign = await t.api(admin, 'PATCH', `/v1/workflows/${empty.body.id}`, {
      draft: { trigger: { type: 'call_details', filters: { dispositionIds: ['dsp_someone_else'] } }, steps: [{ id: 'a', name: 'A', type: 'assign_user', config: { userIds: ['usr_other_account'] } }] },
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors.map((e: { path: string }) => e.path)).toEqual(['draft.steps[a].config.userIds', 'draft.trigger.filters.dispositionIds']);
    const badTemplate = await t.api(admin, 'PATCH', `/v1/workflows/${empty.body.id}`, {
      draft: { trigger: manual, steps: [{ id: 'a', name: 'A', type: 'update_contact_field', config: { field: 'name', value: 'Hi {{contact.first_name}' } }] },
    });
    expect(badTemplate.status).toBe(400);
    expect((await t.api(admin, 'POST', '/v1/workflows', { name: 'Bad', draft: { steps: [{ id: 'x', name: 'X', type: 'teleport', config: {} }] } })).status).toBe(400);
    const doc = (await t.api(undefined, 'GET', '/v1/openapi.json')).body;
    for (const path of ['/v1/workflows', '/v1/workflows/{id}/publish', '/v1/workflows/{id}/enrol', '/v1/workflows/{id}/runs/{runId}', '/v1/workflow-logs',
      '/v1/workflows/{id}/statistics', '/v1/workflows/{id}/statistics/{stepId}/{metric}', '/hooks/workflows/{id}/{secret}', '/v1/tasks', '/v1/automation/settings']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/v1/workflows'].post['x-access']).toBe('admin');
    expect(doc.paths['/v1/workflows/{id}/statistics/{stepId}/{metric}'].get['x-access']).toBe('admin');
  });

  it('statistics, the log searched by contact, and retention purging old runs', async () => {
    const wf = await publishWorkflow(t, admin, 'Stats', { trigger: manual, settings: { allowReentry: true, stopOnResponse: false }, steps: [{ id: 'tag', name: 'Tag', type: 'add_tag', config: { tags: ['s'] } }] });
    const a = await contact();
    const b = await contact();
    await enrolAndWait(t, admin, wf.id, a.id);
    const old = await enrolAndWait(t, admin, wf.id, b.id);
    const stats = workflowStatisticsSchema.parse((await t.api(admin, 'GET', `/v1/workflows/${wf.id}/statistics`)).body);
    expect(stats.runs).toMatchObject({ total: 2, completed: 2 });
    expect(stats.steps).toEqual([expect.objectContaining({ stepId: 'tag', counts: { completed: 2 } })]);
    const log = (await t.api(jordan, 'GET', `/v1/workflow-logs?contactId=${a.id}`)).body as { contactId: string }[];
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((e) => e.contactId === a.id)).toBe(true);
    expect((await t.api(admin, 'PATCH', '/v1/automation/settings', { logRetentionDays: 30 })).body).toMatchObject({ logRetentionDays: 30 });
    await t.cloud.db.query(`UPDATE workflow_runs SET finished_at = now() - interval '31 days' WHERE id = $1`, [old.id]);
    const purged = await purgeExpired(t.cloud.db, { now: () => Date.now() }, t.cloud.app.log as never);
    expect(purged.runs).toBe(1);
    expect((await runsOf(t, admin, wf.id)).map((r) => r.id)).not.toContain(old.id);
    expect((await t.api(admin, 'GET', `/v1/workflow-logs?workflowId=${wf.id}`)).body).toHaveLength(1);
  });
});
