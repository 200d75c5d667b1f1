import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import { webhookPaths } from '../../src/cloud/index';
import { SANDBOX_TWILIO_CREDENTIALS } from '../../src/cloud/config';
import { listedTaskSchema, taskSchema } from '../../src/shared/cloud/tasks';
import { backends, callSid, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

/** Starting a cloud is slow on a busy machine; this is not a timing test. */
const SLOW = 300_000;

describe.each(backends)('Manual Actions tasks API on %s', (backend) => {
  let t: TestCloud;
  let admin: string;
  let jordan: string;
  let avery: string;
  let phoneSeq = 0;
  const contact = async (body: Record<string, unknown> = {}): Promise<{ id: string; phone: string }> => {
    phoneSeq += 1;
    const r = await t.api(admin, 'POST', '/v1/contacts', { name: `Client ${phoneSeq}`, phone: `+1626555${String(7000 + phoneSeq)}`, ...body });
    expect(r.status).toBe(201);
    return r.body;
  };
  const task = async (body: Record<string, unknown>) => {
    const r = await t.api(admin, 'POST', '/v1/tasks', { type: 'call', title: 'Follow-up call', ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return taskSchema.parse(r.body);
  };
  /** An outbound call by the user to the number, as the voice webhook records it. */
  const placedCall = async (userId: string, to: string, accountId = DEMO_ACCOUNT_ID): Promise<string> => {
    const id = `call_t${Math.random().toString(36).slice(2, 10)}`;
    await t.cloud.db.query(
      `INSERT INTO calls (id, account_id, direction, from_number, to_number, phone_number_id, user_id, status, ended_at, duration_seconds)
       VALUES ($1, $2, 'outbound', $3, $4, $5, $6, 'completed', now(), 42)`,
      [id, accountId, DEMO_NUMBERS.beverlyHillsMain.number, to, accountId === DEMO_ACCOUNT_ID ? DEMO_NUMBERS.beverlyHillsMain.id : null, accountId === DEMO_ACCOUNT_ID ? userId : null],
    );
    return id;
  };

  beforeAll(async () => {
    t = await startTestCloud(backend);
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
    avery = (await t.login('receptionist2')).accessToken;
  }, SLOW);
  afterAll(async () => t?.stop());

  it('lists oldest first, by scope, type and status; receptionists cannot list everyone’s; the routes are in the OpenAPI document', async () => {
    const c = await contact({ assignedUserId: DEMO_USERS.receptionist.id });
    const first = await task({ contactId: c.id, assignToUserId: DEMO_USERS.receptionist.id });
    const second = await task({ contactId: c.id, type: 'sms', message: 'Hi, your results are in', fromNumberId: DEMO_NUMBERS.beverlyHillsMain.id });
    const unowned = await contact();
    const third = await task({ contactId: unowned.id });
    expect(first).toMatchObject({ status: 'queued', assignedUserId: DEMO_USERS.receptionist.id, workflowName: null });
    expect(second.assignedUserId).toBe(DEMO_USERS.receptionist.id); // no one chosen → the contact owner
    expect(third.assignedUserId).toBeNull();
    const mine = (await t.api(jordan, 'GET', '/v1/tasks')).body as unknown[];
    const ids = mine.map((x) => listedTaskSchema.parse(x).id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expect(ids).not.toContain(third.id);
    expect(((await t.api(jordan, 'GET', '/v1/tasks?type=sms')).body as { id: string }[]).map((x) => x.id)).toEqual([second.id]);
    expect(((await t.api(jordan, 'GET', '/v1/tasks?scope=unassigned')).body as { id: string }[]).map((x) => x.id)).toContain(third.id);
    expect((await t.api(jordan, 'GET', '/v1/tasks?scope=all')).status).toBe(403);
    expect(((await t.api(admin, 'GET', '/v1/tasks?scope=all')).body as unknown[]).length).toBeGreaterThanOrEqual(3);
    expect((await t.api(jordan, 'POST', '/v1/tasks', { type: 'call', contactId: c.id, title: 'x' })).status).toBe(403);
    expect((await t.api(admin, 'POST', '/v1/tasks', { type: 'sms', contactId: c.id, title: 'no message' })).status).toBe(400);
    const doc = (await t.api(undefined, 'GET', '/v1/openapi.json')).body;
    for (const path of ['/v1/tasks', '/v1/tasks/{id}', '/v1/tasks/{id}/claim', '/v1/tasks/{id}/start', '/v1/tasks/{id}/finish']) expect(doc.paths[path], path).toBeDefined();
  });

  it('20 concurrent claims of an Unassigned task: exactly one wins, the others learn who has it', async () => {
    const c = await contact();
    const open = await task({ contactId: c.id });
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => t.api(i % 2 === 0 ? jordan : avery, 'POST', `/v1/tasks/${open.id}/claim`)));
    const won = claims.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    const winner = won[0]!.body.assignedUserId as string;
    expect([DEMO_USERS.receptionist.id, DEMO_USERS.receptionist2.id]).toContain(winner);
    const winnerName = winner === DEMO_USERS.receptionist.id ? DEMO_USERS.receptionist.name : DEMO_USERS.receptionist2.name;
    for (const r of claims.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409);
      expect(r.body.detail ?? r.body.title).toMatch(new RegExp(`^(${winnerName} has this task|You already have this task)$`));
    }
    const loser = winner === DEMO_USERS.receptionist.id ? avery : jordan;
    const start = await t.api(loser, 'POST', `/v1/tasks/${open.id}/start`);
    expect(start.status).toBe(409);
    expect(start.body.detail ?? start.body.title).toBe(`${winnerName} has this task`);
    const events = await t.cloud.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'task.claim' AND entity_id = $1`, [open.id]);
    expect(events).toEqual([{ n: 1 }]);
  });

  it('concurrent Let’s Start on one task: one works it, the other sees who', async () => {
    const c = await contact();
    const open = await task({ contactId: c.id });
    const starts = await Promise.all(Array.from({ length: 10 }, (_, i) => t.api(i % 2 === 0 ? jordan : avery, 'POST', `/v1/tasks/${open.id}/start`)));
    expect(starts.filter((r) => r.status === 200)).toHaveLength(1);
    const worker = starts.find((r) => r.status === 200)!.body as { startedBy: string; status: string };
    expect(worker.status).toBe('in_progress');
    const other = worker.startedBy === DEMO_USERS.receptionist.id ? avery : jordan;
    const finish = await t.api(other, 'POST', `/v1/tasks/${open.id}/finish`, { outcome: 'skipped', reason: 'mine now' });
    expect(finish.status).toBe(409);
    expect(finish.body.detail ?? finish.body.title).toMatch(/is working on this task$/);
  });

  it('a contact with Do Not Disturb: the task is shown blocked with the reason, cannot be started, can be skipped', async () => {
    const c = await contact({ assignedUserId: DEMO_USERS.receptionist.id });
    const call = await task({ contactId: c.id });
    const sms = await task({ contactId: c.id, type: 'sms', message: 'Hello' });
    const dnd = { call: { inbound: false, outbound: true }, sms: { inbound: false, outbound: false }, email: { inbound: false, outbound: false }, whatsapp: { inbound: false, outbound: false } };
    expect((await t.api(admin, 'PATCH', `/v1/contacts/${c.id}`, { dnd })).status).toBe(200);
    const listed = (await t.api(jordan, 'GET', '/v1/tasks')).body as { id: string; blockedReason: string | null }[];
    expect(listed.find((x) => x.id === call.id)!.blockedReason).toBe('The contact turned on Do Not Disturb for calls');
    expect(listed.find((x) => x.id === sms.id)!.blockedReason).toBeNull();
    const start = await t.api(jordan, 'POST', `/v1/tasks/${call.id}/start`);
    expect(start.status).toBe(409);
    expect(start.body.detail ?? start.body.title).toBe('The contact turned on Do Not Disturb for calls');
    expect((await t.api(jordan, 'POST', `/v1/tasks/${call.id}/finish`, { outcome: 'skipped', reason: 'Asked not to be called' })).status).toBe(200);
  });

  it('a call task’s outcome goes on the call record (History, reporting); task.finished is written once', async () => {
    const c = await contact({ assignedUserId: DEMO_USERS.receptionist.id });
    const open = await task({ contactId: c.id });
    const dispositions = (await t.api(jordan, 'GET', '/v1/dispositions')).body as { id: string; label: string; deletedAt: string | null }[];
    const booked = dispositions.find((d) => d.label === 'Booked' && !d.deletedAt)!;
    expect((await t.api(jordan, 'POST', `/v1/tasks/${open.id}/finish`, { outcome: 'completed', callOutcome: 'no_answer' })).status).toBe(409); // not started
    expect((await t.api(jordan, 'POST', `/v1/tasks/${open.id}/start`)).status).toBe(200);
    expect((await t.api(jordan, 'POST', `/v1/tasks/${open.id}/finish`, { outcome: 'completed' })).status).toBe(400); // how did the call go?
    expect((await t.api(jordan, 'POST', `/v1/tasks/${open.id}/finish`, { outcome: 'completed', callOutcome: 'disposition' })).status).toBe(400);
    const averysCall = await placedCall(DEMO_USERS.receptionist2.id, c.phone);
    expect((await t.api(jordan, 'POST', `/v1/tasks/${open.id}/finish`, { outcome: 'completed', callOutcome: 'no_answer', callId: averysCall })).status).toBe(400);
    const elsewhere = await placedCall(DEMO_USERS.receptionist.id, '+16265550000');
    expect((await t.api(jordan, 'POST', `/v1/tasks/${open.id}/finish`, { outcome: 'completed', callOutcome: 'no_answer', callId: elsewhere })).status).toBe(400);
    const callId = await placedCall(DEMO_USERS.receptionist.id, c.phone);
    const done = await t.api(jordan, 'POST', `/v1/tasks/${open.id}/finish`, { outcome: 'completed', callOutcome: 'disposition', dispositionId: booked.id, note: 'Booked a peel', callId });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', callId, callOutcome: 'disposition', dispositionId: booked.id, note: 'Booked a peel', finishedBy: DEMO_USERS.receptionist.id });
    const call = (await t.api(jordan, 'GET', `/v1/calls/${callId}`)).body;
    expect(call).toMatchObject({ source: 'manual_task', dispositionId: booked.id, note: 'Booked a peel', taskId: open.id, taskOutcome: 'disposition' });
    expect(await t.cloud.db.query(`SELECT task_id, task_outcome FROM calls WHERE id = $1`, [callId])).toEqual([{ task_id: open.id, task_outcome: 'disposition' }]);
    expect(await t.cloud.db.query(`SELECT count(*)::int AS n FROM domain_events WHERE type = 'task.finished' AND task_id = $1`, [open.id])).toEqual([{ n: 1 }]);
    // The same call cannot be the outcome of a second task.
    const again = await task({ contactId: c.id });
    await t.api(jordan, 'POST', `/v1/tasks/${again.id}/start`);
    expect((await t.api(jordan, 'POST', `/v1/tasks/${again.id}/finish`, { outcome: 'completed', callOutcome: 'no_answer', callId })).status).toBe(409);
  });

  it('a call placed from the task carries its id to the voice webhook: linked as it starts, only when it is this user’s task to that contact; its outcome lands there', async () => {
    const c = await contact({ assignedUserId: DEMO_USERS.receptionist.id });
    const open = await task({ contactId: c.id });
    const place = async (userId: string, to: string, taskId: string) => {
      const sid = callSid();
      const twiml = await t.webhook(webhookPaths.outbound, { AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, CallSid: sid, From: `client:${userId}`, To: to, TaskId: taskId });
      expect(twiml.text).toContain('<Dial'); // the call goes ahead either way
      return (await t.cloud.db.query<{ id: string; task_id: string | null }>(`SELECT id, task_id FROM calls WHERE twilio_call_sid = $1`, [sid]))[0]!;
    };
    // Not started yet, another user, another number, another practice's task: placed, not linked.
    expect((await place(DEMO_USERS.receptionist.id, c.phone, open.id)).task_id).toBeNull();
    expect((await t.api(jordan, 'POST', `/v1/tasks/${open.id}/start`)).status).toBe(200);
    expect((await place(DEMO_USERS.receptionist2.id, c.phone, open.id)).task_id).toBeNull();
    expect((await place(DEMO_USERS.receptionist.id, '+16265550001', open.id)).task_id).toBeNull();
    await t.cloud.db.query(`INSERT INTO accounts (id, name) VALUES ('acc_other', 'Other spa') ON CONFLICT DO NOTHING`);
    await t.cloud.db.query(`INSERT INTO contacts (id, account_id, name, phone, dnd) VALUES ('con_other2', 'acc_other', 'Theirs', $1, '{}') ON CONFLICT DO NOTHING`, [c.phone]);
    await t.cloud.db.query(`INSERT INTO tasks (id, account_id, type, contact_id, title, status, started_by) VALUES ('task_other2', 'acc_other', 'call', 'con_other2', 'Theirs', 'in_progress', $1) ON CONFLICT DO NOTHING`, [DEMO_USERS.receptionist.id]);
    expect((await place(DEMO_USERS.receptionist.id, c.phone, 'task_other2')).task_id).toBeNull();
    const linked = await place(DEMO_USERS.receptionist.id, c.phone, open.id);
    expect(linked.task_id).toBe(open.id);
    // Finished without naming the call (it had not reached the desk yet): the outcome goes on the linked call.
    const done = await t.api(jordan, 'POST', `/v1/tasks/${open.id}/finish`, { outcome: 'completed', callOutcome: 'no_answer', note: 'Rang out' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ callId: linked.id, callOutcome: 'no_answer' });
    expect((await t.api(jordan, 'GET', `/v1/calls/${linked.id}`)).body).toMatchObject({ taskId: open.id, taskOutcome: 'no_answer', source: 'manual_task', note: 'Rang out' });
  });

  it('through the outbox (sync push): claim, start and finish apply exactly once however often the batch is retried; pull carries the task', async () => {
    const c = await contact();
    const open = await task({ contactId: c.id, type: 'call' });
    const before = (await t.api(jordan, 'GET', '/v1/sync/pull?cursor=0&limit=5000')).body;
    const batch = {
      mutations: [
        { type: 'task.claim', idempotencyKey: `claim-${open.id}`, payload: { taskId: open.id } },
        { type: 'task.start', idempotencyKey: `start-${open.id}`, payload: { taskId: open.id } },
        { type: 'task.finish', idempotencyKey: `finish-${open.id}`, payload: { taskId: open.id, outcome: 'completed', callOutcome: 'no_answer' } },
      ],
    };
    const first = await t.api(jordan, 'POST', '/v1/sync/push', batch);
    expect(first.status).toBe(200);
    expect(first.body.results.map((r: { status: string; replayed: boolean }) => [r.status, r.replayed])).toEqual([['applied', false], ['applied', false], ['applied', false]]);
    const retried = await Promise.all([t.api(jordan, 'POST', '/v1/sync/push', batch), t.api(jordan, 'POST', '/v1/sync/push', batch)]);
    for (const r of retried) expect(r.body.results.map((x: { status: string; replayed: boolean }) => [x.status, x.replayed])).toEqual([['applied', true], ['applied', true], ['applied', true]]);
    expect(await t.cloud.db.query(`SELECT count(*)::int AS n FROM domain_events WHERE type = 'task.finished' AND task_id = $1`, [open.id])).toEqual([{ n: 1 }]);
    const pulled = (await t.api(jordan, 'GET', `/v1/sync/pull?cursor=${before.cursor}&limit=5000`)).body;
    expect(pulled.changes.tasks.find((x: { id: string }) => x.id === open.id)).toMatchObject({ status: 'completed', assignedUserId: DEMO_USERS.receptionist.id });
    // A bad mutation is rejected alone with a reason the desktop can show.
    const bad = await t.api(avery, 'POST', '/v1/sync/push', { mutations: [{ type: 'task.start', idempotencyKey: `start2-${open.id}`, payload: { taskId: open.id } }] });
    expect(bad.body.results[0]).toMatchObject({ status: 'rejected', code: 'CONFLICT' });
  });

  it('every id a request names must belong to the caller’s practice', async () => {
    await t.cloud.db.query(`INSERT INTO accounts (id, name) VALUES ('acc_other', 'Other spa') ON CONFLICT DO NOTHING`);
    await t.cloud.db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ('usr_other', 'acc_other', 'o@other.example', 'Other', 'admin', 'x') ON CONFLICT DO NOTHING`);
    await t.cloud.db.query(`INSERT INTO contacts (id, account_id, name, phone, dnd) VALUES ('con_other', 'acc_other', 'Theirs', '+16265551234', '{}') ON CONFLICT DO NOTHING`);
    await t.cloud.db.query(`INSERT INTO phone_numbers (id, account_id, number, name) VALUES ('num_other', 'acc_other', '+16265559999', 'Theirs') ON CONFLICT DO NOTHING`);
    await t.cloud.db.query(`INSERT INTO dispositions (id, account_id, label, position) VALUES ('dsp_other', 'acc_other', 'Theirs', 0) ON CONFLICT DO NOTHING`);
    await t.cloud.db.query(`INSERT INTO tasks (id, account_id, type, contact_id, title) VALUES ('task_other', 'acc_other', 'call', 'con_other', 'Theirs') ON CONFLICT DO NOTHING`);
    for (const [method, path, body] of [
      ['GET', '/v1/tasks/task_other', undefined],
      ['POST', '/v1/tasks/task_other/claim', undefined],
      ['POST', '/v1/tasks/task_other/start', undefined],
      ['POST', '/v1/tasks/task_other/finish', { outcome: 'skipped', reason: 'x' }],
    ] as const) {
      expect((await t.api(admin, method, path, body)).status, path).toBe(404);
    }
    expect((await t.api(admin, 'POST', '/v1/tasks', { type: 'call', contactId: 'con_other', title: 'x' })).status).toBe(404);
    const mine = await contact({ assignedUserId: DEMO_USERS.receptionist.id });
    expect((await t.api(admin, 'POST', '/v1/tasks', { type: 'sms', contactId: mine.id, title: 'x', message: 'm', fromNumberId: 'num_other' })).status).toBe(404);
    // A user of another practice as Assign To is nobody here: the fallback applies (the contact owner).
    expect((await task({ contactId: mine.id, assignToUserId: 'usr_other' })).assignedUserId).toBe(DEMO_USERS.receptionist.id);
    const open = await task({ contactId: mine.id });
    await t.api(jordan, 'POST', `/v1/tasks/${open.id}/start`);
    const theirCall = await placedCall('usr_other', mine.phone, 'acc_other');
    expect((await t.api(jordan, 'POST', `/v1/tasks/${open.id}/finish`, { outcome: 'completed', callOutcome: 'no_answer', callId: theirCall })).status).toBe(404);
    expect((await t.api(jordan, 'POST', `/v1/tasks/${open.id}/finish`, { outcome: 'completed', callOutcome: 'disposition', dispositionId: 'dsp_other' })).status).toBe(404);
    const pulled = (await t.api(jordan, 'GET', '/v1/sync/pull?cursor=0&limit=5000')).body;
    expect(pulled.changes.tasks.some((x: { accountId: string }) => x.accountId !== DEMO_ACCOUNT_ID)).toBe(false);
  });
});
