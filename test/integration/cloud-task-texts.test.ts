import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, DEMO_NUMBERS, DEMO_USERS } from '../../src/cloud/seed';
import { write } from '../../src/cloud/db/unit-of-work';
import { createTwilioClient } from '../../src/cloud/telephony/rest';
import { prepareTaskText } from '../../src/cloud/tasks/text';
import { reconcileStrandedTexts, STRANDED_AFTER_MS, STRANDED_REASON } from '../../src/cloud/tasks/text-reconcile';
import type { Sandbox } from '../../src/sandbox/index';
import { taskSchema } from '../../src/shared/cloud/tasks';
import { SANDBOX_TWILIO_CREDENTIALS } from '../../src/cloud/config';
import { messageStatusPath } from '../../src/cloud/messaging/outbound';
import { backends, stopTestPostgres, type TestCloud } from '../support/cloud-harness';
import { enrolAndWait, publishWorkflow, runsOf, waitFor } from '../support/automation';
import { createContact, oneStepWorkflow, startCommsCloud } from '../support/comms';

afterAll(stopTestPostgres);

/** Starting a cloud and a sandbox is slow on a busy machine; this is not a timing test. */
const SLOW = 300_000;
const MAIN_LINE = DEMO_NUMBERS.beverlyHillsMain;

describe.each(backends)('Manual SMS tasks sent through Twilio (the sandbox) on %s', (backend) => {
  let t: TestCloud;
  let sandbox: Sandbox;
  let stop: () => Promise<void>;
  let admin: string;
  let jordan: string;
  let avery: string;
  let phoneSeq = 0;

  /** A text task for a new contact of Jordan's, started by Jordan (Let's Start). */
  const startedTextTask = async (message = 'Hi {{name}}, your results are in', started = true) => {
    phoneSeq += 1;
    const phone = `+1310555${String(4100 + phoneSeq)}`;
    const contactId = await createContact(t, admin, { name: `Texted ${phoneSeq}`, phone, assignedUserId: DEMO_USERS.receptionist.id });
    const created = await t.api(admin, 'POST', '/v1/tasks', { type: 'sms', contactId, title: 'Results text', message, fromNumberId: MAIN_LINE.id });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const task = taskSchema.parse(created.body);
    if (started) expect((await t.api(jordan, 'POST', `/v1/tasks/${task.id}/start`)).status).toBe(200);
    return { task, phone, contactId };
  };

  beforeAll(async () => {
    ({ t, sandbox, stop } = await startCommsCloud(backend));
    admin = (await t.login('admin')).accessToken;
    jordan = (await t.login('receptionist')).accessToken;
    avery = (await t.login('receptionist2')).accessToken;
  }, SLOW);
  afterAll(async () => stop?.());

  it('sends the edited text from the task’s number, records it on the contact’s history and completes the task; it cannot be sent twice', async () => {
    const { task, phone, contactId } = await startedTextTask();
    expect((await t.api(avery, 'POST', `/v1/tasks/${task.id}/text`, { message: 'Not mine' })).status).toBe(409);
    const res = await t.api(jordan, 'POST', `/v1/tasks/${task.id}/text`, { message: '  Hi Texted, your results are in. Call us back!  ' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const done = taskSchema.parse(res.body);
    expect(done).toMatchObject({ status: 'completed', finishedBy: DEMO_USERS.receptionist.id, message: 'Hi Texted, your results are in. Call us back!', messageError: null });
    expect(done.messageId).toMatch(/^msg_/);

    const sent = sandbox.control.messaging.list({ to: phone });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ from: MAIN_LINE.number, body: 'Hi Texted, your results are in. Call us back!' });
    const history = await t.cloud.db.query<{ contact_id: string; purpose: string; sender_user_id: string; provider_id: string }>(
      `SELECT contact_id, purpose, sender_user_id, provider_id FROM outbound_messages WHERE id = $1`, [done.messageId],
    );
    expect(history).toEqual([{ contact_id: contactId, purpose: 'contact', sender_user_id: DEMO_USERS.receptionist.id, provider_id: sent[0]!.sid }]);
    // The sandbox reports delivery through the status callback: the task shows it.
    await waitFor('Delivered', async () => taskSchema.parse((await t.api(jordan, 'GET', `/v1/tasks/${task.id}`)).body).messageStatus === 'delivered');
    // A later status (the carrier reports Undelivered) re-sends the task to the desktops: it is in the next pull with that status.
    let cursor = 0;
    for (let more = true; more; ) {
      const page = (await t.api(jordan, 'GET', `/v1/sync/pull?cursor=${cursor}&limit=5000`)).body as { cursor: number; hasMore: boolean };
      ({ cursor, hasMore: more } = page);
    }
    const callback = await t.webhook(`${messageStatusPath}?m=${encodeURIComponent(done.messageId!)}`, {
      AccountSid: SANDBOX_TWILIO_CREDENTIALS.accountSid, MessageSid: sent[0]!.sid, MessageStatus: 'undelivered', ErrorCode: '30003', ErrorMessage: 'Unreachable destination handset',
    });
    expect(callback.status).toBe(204);
    const next = (await t.api(jordan, 'GET', `/v1/sync/pull?cursor=${cursor}&limit=5000`)).body as { changes: { tasks: unknown[] } };
    expect(next.changes.tasks.map((x) => taskSchema.parse(x)).filter((x) => x.id === task.id)).toMatchObject([{ messageStatus: 'undelivered', status: 'completed' }]);
    // Completed once: the workflow run hears `task.finished` (the engine resumes the run from it).
    const events = await t.cloud.db.query(`SELECT payload->>'outcome' AS outcome FROM domain_events WHERE type = 'task.finished' AND task_id = $1`, [task.id]);
    expect(events).toEqual([{ outcome: 'completed' }]);

    const again = await t.api(jordan, 'POST', `/v1/tasks/${task.id}/text`, { message: 'Second time' });
    expect(again.status).toBe(409);
    expect(sandbox.control.messaging.list({ to: phone })).toHaveLength(1);
  });

  it('a Manual SMS step: its attachment links are in the task’s text; the run moves on only once the text is sent, never when the task is just marked completed', async () => {
    const contactId = await createContact(t, admin, { name: 'Aftercare Ana', phone: '+13105554190', assignedUserId: DEMO_USERS.receptionist.id });
    const wf = await publishWorkflow(t, admin, 'Aftercare text', oneStepWorkflow({
      id: 'text', name: 'Aftercare SMS', type: 'manual_sms', config: { message: 'Hi {{contact.first_name}}, your aftercare sheet:', attachmentUrls: ['https://glow.example/aftercare.pdf'] },
    }));
    const run = await enrolAndWait(t, admin, wf.id, contactId, { untilWaiting: true });
    const task = taskSchema.parse((await t.api(jordan, 'GET', `/v1/tasks/${(run.steps[0]!.output as { taskId: string }).taskId}`)).body);
    expect(task.message).toBe('Hi Aftercare, your aftercare sheet:\nhttps://glow.example/aftercare.pdf');
    expect((await t.api(jordan, 'POST', `/v1/tasks/${task.id}/start`)).status).toBe(200);

    // Marked completed with nothing sent: refused plainly, by the REST route and through the desktop's outbox alike.
    const finished = await t.api(jordan, 'POST', `/v1/tasks/${task.id}/finish`, { outcome: 'completed' });
    expect([finished.status, finished.body.detail]).toEqual([409, 'Send the text to complete this task, or skip it']);
    const pushed = await t.api(jordan, 'POST', '/v1/sync/push', { mutations: [{ type: 'task.finish', idempotencyKey: `finish-${task.id}`, payload: { taskId: task.id, outcome: 'completed' } }] });
    expect(pushed.body.results[0]).toMatchObject({ status: 'rejected', code: 'CONFLICT', message: 'Send the text to complete this task, or skip it' });
    expect(sandbox.control.messaging.list({ to: '+13105554190' })).toHaveLength(0);
    expect((await runsOf(t, admin, wf.id)).find((r) => r.id === run.id)?.status).toBe('waiting');

    // Sent (as the receptionist left it): the task completes and the run moves on.
    const sent = await t.api(jordan, 'POST', `/v1/tasks/${task.id}/text`, { message: task.message });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sandbox.control.messaging.list({ to: '+13105554190' }).map((m) => m.body)).toEqual([task.message]);
    await waitFor('the run to move on', async () => ((await runsOf(t, admin, wf.id)).find((r) => r.id === run.id)?.status === 'completed' ? true : null));
  });

  it('refuses before Let’s Start, for a call task, for an empty text and while the contact has DND for texts — nothing is sent or recorded', async () => {
    const { task, phone, contactId } = await startedTextTask('Hello', false);
    expect((await t.api(jordan, 'POST', `/v1/tasks/${task.id}/text`, { message: 'Hello' })).status).toBe(409);
    expect((await t.api(jordan, 'POST', `/v1/tasks/${task.id}/start`)).status).toBe(200);
    expect((await t.api(jordan, 'POST', `/v1/tasks/${task.id}/text`, { message: '   ' })).status).toBe(400);
    const dnd = { call: { inbound: false, outbound: false }, sms: { inbound: false, outbound: true }, email: { inbound: false, outbound: false }, whatsapp: { inbound: false, outbound: false } };
    expect((await t.api(admin, 'PATCH', `/v1/contacts/${contactId}`, { dnd })).status).toBe(200);
    const blocked = await t.api(jordan, 'POST', `/v1/tasks/${task.id}/text`, { message: 'Hello' });
    expect(blocked.status).toBe(409);
    expect(JSON.stringify(blocked.body)).toContain('Do Not Disturb');
    const call = await t.api(admin, 'POST', '/v1/tasks', { type: 'call', contactId, title: 'Call' });
    expect((await t.api(admin, 'POST', `/v1/tasks/${call.body.id}/text`, { message: 'Hello' })).status).toBe(400);
    expect(sandbox.control.messaging.list({ to: phone })).toHaveLength(0);
    expect(await t.cloud.db.query(`SELECT 1 FROM outbound_messages WHERE contact_id = $1`, [contactId])).toEqual([]);
  });

  it('refuses a contact number in a country the call policy does not allow (SMS pumping): nothing is sent or recorded, the task stays open', async () => {
    const { task, contactId } = await startedTextTask();
    expect((await t.api(jordan, 'PATCH', `/v1/contacts/${contactId}`, { phone: '+18765554199' })).status).toBe(200);
    const refused = await t.api(jordan, 'POST', `/v1/tasks/${task.id}/text`, { message: 'Hello' });
    expect(refused).toMatchObject({
      status: 403, body: { code: 'CALL_DESTINATION_NOT_ALLOWED', detail: 'Texts to Jamaica (JM) are not allowed for your practice. An admin can allow more countries under Settings → Call policy.' },
    });
    expect(sandbox.control.messaging.list({ to: '+18765554199' })).toHaveLength(0);
    expect(await t.cloud.db.query(`SELECT 1 FROM outbound_messages WHERE contact_id = $1`, [contactId])).toEqual([]);
    expect(taskSchema.parse((await t.api(jordan, 'GET', `/v1/tasks/${task.id}`)).body)).toMatchObject({ status: 'in_progress', messageId: null });
  });

  it('a text Twilio refuses (the contact replied STOP) stays open with the reason shown; nothing is lost and it can be skipped', async () => {
    const { task, phone } = await startedTextTask();
    await sandbox.control.messaging.receive({ from: phone, to: MAIN_LINE.number, body: 'STOP' });
    const res = await t.api(jordan, 'POST', `/v1/tasks/${task.id}/text`, { message: 'Hi there' });
    expect(res.status).toBe(502);
    expect(JSON.stringify(res.body)).toContain('Twilio did not send the text');
    const open = taskSchema.parse((await t.api(jordan, 'GET', `/v1/tasks/${task.id}`)).body);
    expect(open).toMatchObject({ status: 'in_progress', messageStatus: 'failed', message: 'Hi there' });
    expect(open.messageError).toContain('Twilio did not send the text');
    // Not sent, so not completed: only sending completes a text task.
    const completed = await t.api(jordan, 'POST', `/v1/tasks/${task.id}/finish`, { outcome: 'completed' });
    expect([completed.status, completed.body.detail]).toEqual([409, 'The text was not sent, so the task cannot be completed: send it again, or skip it']);
    const skip = await t.api(jordan, 'POST', `/v1/tasks/${task.id}/finish`, { outcome: 'skipped', reason: 'Opted out of texts' });
    expect(skip.status).toBe(200);
  });

  it('a text recorded but never handed to Twilio (the cloud died in between) is settled once: found at Twilio → completed; not there → failed with the truth, sendable again', async () => {
    const principal = { userId: DEMO_USERS.receptionist.id, accountId: DEMO_ACCOUNT_ID, role: 'user' as const, sessionId: 's' };
    // Both crash after recording; one had reached Twilio (its SID never written back), one had not.
    const reached = await startedTextTask();
    const lost = await startedTextTask();
    const prepare = (id: string, message: string) => write(t.cloud.db, DEMO_ACCOUNT_ID, (uow) => prepareTaskText(uow, { config: t.cloud.config, publicUrl: () => t.cloud.publicUrl }, principal, id, message));
    const a = await prepare(reached.task.id, 'Your results are in');
    await prepare(lost.task.id, 'Your results are in too');
    await createTwilioClient(t.cloud.config).messages.create({ to: a.to, from: a.from, body: a.body });
    expect((await t.api(jordan, 'POST', `/v1/tasks/${lost.task.id}/text`, { message: 'Again' })).status).toBe(409); // "being sent"
    const early = await t.api(jordan, 'POST', `/v1/tasks/${lost.task.id}/finish`, { outcome: 'completed' });
    expect([early.status, early.body.detail]).toEqual([409, 'The text is still being sent: the task completes once it has gone']);
    // Too recent: a live send may still be waiting on Twilio — nothing is decided.
    expect(await reconcileStrandedTexts(t.cloud)).toEqual({ sent: 0, notSent: 0 });
    const later = new Date(Date.now() + STRANDED_AFTER_MS + 60_000);
    const sweeps = await Promise.all([1, 2, 3].map(() => reconcileStrandedTexts(t.cloud, later)));
    expect(sweeps.reduce((n, x) => n + x.sent, 0)).toBe(1);
    expect(sweeps.reduce((n, x) => n + x.notSent, 0)).toBe(1);
    expect(taskSchema.parse((await t.api(jordan, 'GET', `/v1/tasks/${reached.task.id}`)).body)).toMatchObject({ status: 'completed' });
    expect(await t.cloud.db.query(`SELECT count(*)::int AS n FROM domain_events WHERE type = 'task.finished' AND task_id = $1`, [reached.task.id])).toEqual([{ n: 1 }]);
    const open = taskSchema.parse((await t.api(jordan, 'GET', `/v1/tasks/${lost.task.id}`)).body);
    expect(open).toMatchObject({ status: 'in_progress', messageStatus: 'failed', messageError: STRANDED_REASON });
    expect(sandbox.control.messaging.list({ to: reached.phone })).toHaveLength(1); // never sent twice
    expect(sandbox.control.messaging.list({ to: lost.phone })).toHaveLength(0); // never sent behind the receptionist's back
    const resend = await t.api(jordan, 'POST', `/v1/tasks/${lost.task.id}/text`, { message: 'Your results are in too' });
    expect(resend.status, JSON.stringify(resend.body)).toBe(200);
    expect(sandbox.control.messaging.list({ to: lost.phone })).toHaveLength(1);
  });

  it('through the outbox: a sendText mutation pushed three times at once sends one text; Twilio’s refusal comes back as the mutation’s result', async () => {
    const { task, phone } = await startedTextTask();
    const batch = { mutations: [{ type: 'task.sendText', idempotencyKey: `text-${task.id}`, payload: { taskId: task.id, message: 'Sent from the queue' } }] };
    const pushes = await Promise.all([1, 2, 3].map(() => t.api(jordan, 'POST', '/v1/sync/push', batch)));
    for (const p of pushes) expect(p.status, JSON.stringify(p.body)).toBe(200);
    const results = pushes.map((p) => p.body.results[0] as { status: string; replayed: boolean });
    expect(results.every((r) => r.status === 'applied')).toBe(true);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(sandbox.control.messaging.list({ to: phone }).map((m) => m.body)).toEqual(['Sent from the queue']);
    expect(taskSchema.parse((await t.api(jordan, 'GET', `/v1/tasks/${task.id}`)).body).status).toBe('completed');

    const refused = await startedTextTask();
    await sandbox.control.messaging.receive({ from: refused.phone, to: MAIN_LINE.number, body: 'STOP' });
    const key = `text-${refused.task.id}`;
    const first = await t.api(jordan, 'POST', '/v1/sync/push', { mutations: [{ type: 'task.sendText', idempotencyKey: key, payload: { taskId: refused.task.id, message: 'Hi' } }] });
    expect(first.body.results[0]).toMatchObject({ status: 'rejected', code: 'TWILIO_REQUEST_FAILED' });
    const retry = await t.api(jordan, 'POST', '/v1/sync/push', { mutations: [{ type: 'task.sendText', idempotencyKey: key, payload: { taskId: refused.task.id, message: 'Hi' } }] });
    expect(retry.body.results[0]).toMatchObject({ status: 'rejected', code: 'TWILIO_REQUEST_FAILED', replayed: true });
  });
});
