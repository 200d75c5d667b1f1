import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS, sandboxConfig, startCloud, webhookPaths, type RunningCloud } from '../../src/cloud';
import { SANDBOX_TWILIO_CREDENTIALS } from '../../src/cloud/config';
import { DEMO_NUMBERS } from '../../src/cloud/seed';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import type { SyncStatus } from '../../src/shared/ipc/sync-status';
import { createCore, type Core } from '../../src/main/core';
import { testCorePorts, testHost } from '../support/core-ports';
import { startCutProxy } from '../support/cut-proxy';
import { testSchemaTemplate } from '../support/schema-template';

/**
 * The Manual Actions queue on the desktop against the real cloud API (PGlite) through a proxy the
 * test can cut: tasks arrive by pull and realtime poke; a task worked while offline shows at once
 * and reaches the cloud exactly once when the network returns; a claim lost to a colleague is
 * undone and says who has it.
 */
let cloud: RunningCloud;
let sandbox: Sandbox;
let proxy: Awaited<ReturnType<typeof startCutProxy>>;
let userDataDir: string;
let core: Core;

async function waitFor<T>(label: string, probe: () => T | null | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const status = (predicate: (s: SyncStatus) => boolean, label: string) => waitFor(label, () => (predicate(core.sync.status) ? core.sync.status : null));

async function api(who: keyof typeof DEMO_USERS, method: string, path: string, body?: unknown): Promise<{ status: number; body: { id: string } & Record<string, unknown> }> {
  const login = await fetch(`http://127.0.0.1:${cloud.port}/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEMO_USERS[who].email, password: DEMO_PASSWORD, deviceName: 'test' }),
  });
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  const r = await fetch(`http://127.0.0.1:${cloud.port}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
  });
  return { status: r.status, body: (await r.json()) as { id: string } & Record<string, unknown> };
}

let contactId: string;
const newTask = async (body: Record<string, unknown>): Promise<string> => {
  const r = await api('admin', 'POST', '/v1/tasks', { contactId, title: 'Follow up', type: 'sms', message: 'Your results are in', ...body });
  expect(r.status).toBe(201);
  return r.body.id;
};

beforeAll(async () => {
  // Texts go through the official twilio client to a sandbox, as in the embedded default.
  sandbox = await startSandbox({ ...SANDBOX_TWILIO_CREDENTIALS, callbackRetryBaseMs: 50 });
  cloud = await startCloud({
    config: sandboxConfig({ dataDir: 'memory://', logLevel: 'silent', argon2: { memoryCost: 1024, timeCost: 1 }, twilio: { restBaseUrl: sandbox.restBaseUrl, restCaPem: sandbox.caPem } }),
    seed: true,
    pgliteTemplate: testSchemaTemplate,
  });
  for (const n of Object.values(DEMO_NUMBERS)) {
    sandbox.control.addNumber({ phoneNumber: n.number, voiceUrl: cloud.publicUrl + webhookPaths.inbound, statusCallback: cloud.publicUrl + webhookPaths.status });
  }
  proxy = await startCutProxy(cloud.port);
  userDataDir = await mkdtemp(join(tmpdir(), 'desktop-tasks-'));
  core = await createCore({
    appVersion: '0.0.0-test', env: { AESTHETIX_CLOUD_URL: proxy.url }, platform: 'test', isTrustedSender: () => true, userDataDir,
    ports: testCorePorts(), host: testHost, log: () => undefined,
  });
  contactId = (await api('admin', 'POST', '/v1/contacts', { name: 'Nora Kim', phone: '+16265559101' })).body.id;
}, 300_000);

afterAll(async () => {
  await core?.dispose();
  await proxy?.close();
  await cloud?.stop();
  await sandbox?.stop();
  await rm(userDataDir, { recursive: true, force: true });
});

describe('the task queue on the desktop', () => {
  it('pulls the queue at sign-in and hears new tasks by realtime poke', async () => {
    const first = await newTask({ assignToUserId: DEMO_USERS.receptionist.id });
    await core.session.signIn(DEMO_USERS.receptionist.email, DEMO_PASSWORD);
    await status((s) => s.state === 'online' && s.lastSyncedAt !== null, 'online');
    const queued = await waitFor('the first task', () => core.cache.tasks.get(first));
    expect(queued).toMatchObject({ status: 'queued', contactName: 'Nora Kim', assignedUserName: DEMO_USERS.receptionist.name, message: 'Your results are in', pending: false });
    expect(core.cache.tasks.openCount()).toBe(1);
    const second = await newTask({ type: 'call', message: undefined, assignToUserId: DEMO_USERS.receptionist.id });
    await waitFor('the poked task', () => core.cache.tasks.get(second)); // no kick: the realtime poke pulls it
    expect(core.cache.tasks.list().map((t) => t.id)).toEqual([first, second]);
    expect(core.cache.tasks.openCount()).toBe(2);
  });

  it('works a task offline: shown at once, delivered exactly once when the network returns, and the run’s event written once', async () => {
    // A call task completed with its outcome, as the wrap-up and Let's Start record it (a text task completes by sending its text: below).
    const callTaskId = await newTask({ type: 'call', message: undefined, assignToUserId: DEMO_USERS.receptionist.id });
    const task = await waitFor('the call task', () => core.cache.tasks.get(callTaskId));
    await proxy.cut();
    core.sync.kick();
    await status((s) => s.state === 'offline', 'offline');
    core.cache.tasks.act({ type: 'task.start', idempotencyKey: 'offline-task-start-1', payload: { taskId: task!.id } });
    core.cache.tasks.act({ type: 'task.finish', idempotencyKey: 'offline-task-finish-1', payload: { taskId: task!.id, outcome: 'completed', callOutcome: 'no_answer' } });
    expect(core.cache.tasks.get(task!.id)).toMatchObject({ status: 'completed', pending: true });
    expect(core.cache.tasks.openCount()).toBe(2);
    expect(() => core.cache.tasks.act({ type: 'task.finish', idempotencyKey: 'offline-task-finish-2', payload: { taskId: task!.id, outcome: 'skipped', reason: 'x' } }))
      .toThrow(/already completed/);
    core.sync.kick(); // a retry while still cut off sends nothing twice
    await status((s) => s.state === 'offline' && s.pending === 2, 'offline with two pending');
    await proxy.restore();
    core.sync.kick();
    await status((s) => s.state === 'online' && s.pending === 0, 'delivered');
    expect(await cloud.db.query(`SELECT status, finished_by FROM tasks WHERE id = $1`, [task!.id])).toEqual([{ status: 'completed', finished_by: DEMO_USERS.receptionist.id }]);
    expect(await cloud.db.query(`SELECT count(*)::int AS n FROM applied_mutations WHERE idempotency_key LIKE 'offline-task-%'`)).toEqual([{ n: 2 }]);
    expect(await cloud.db.query(`SELECT count(*)::int AS n FROM domain_events WHERE type = 'task.finished' AND task_id = $1`, [task!.id])).toEqual([{ n: 1 }]);
    await waitFor('the pulled row', () => (core.cache.tasks.get(task!.id)?.finishedBy === DEMO_USERS.receptionist.id ? true : null));
    expect(core.cache.tasks.get(task!.id)).toMatchObject({ status: 'completed', pending: false });
  });

  it('a claim lost to a colleague while offline is undone and says who has the task', async () => {
    const open = await newTask({ contactId: (await api('admin', 'POST', '/v1/contacts', { name: 'Lee Park', phone: '+16265559102' })).body.id });
    const seen = await waitFor('the unassigned task', () => core.cache.tasks.get(open));
    expect(seen.assignedUserId).toBeNull();
    expect(core.cache.tasks.list({ scope: 'unassigned' }).map((t) => t.id)).toContain(open);
    await proxy.cut();
    core.sync.kick();
    await status((s) => s.state === 'offline', 'offline');
    core.cache.tasks.act({ type: 'task.claim', idempotencyKey: 'offline-claim-1', payload: { taskId: open } });
    expect(core.cache.tasks.get(open)?.assignedUserId).toBe(DEMO_USERS.receptionist.id);
    expect((await api('receptionist2', 'POST', `/v1/tasks/${open}/claim`)).status).toBe(200);
    await proxy.restore();
    core.sync.kick();
    await status((s) => s.state === 'online' && s.pending === 0, 'settled');
    // The receptionist is told (a notice) and the refused claim is dropped; its local effect is undone.
    expect(core.notices.list().find((n) => n.id === 'rejected-offline-claim-1')?.message).toBe('A change could not be saved: Avery Patel has this task');
    await waitFor('Avery to have it', () => (core.cache.tasks.get(open)?.assignedUserId === DEMO_USERS.receptionist2.id ? true : null));
    expect(core.cache.tasks.get(open)?.assignedUserName).toBe('Avery Patel');
    expect(() => core.cache.tasks.act({ type: 'task.start', idempotencyKey: 'claim-start-2', payload: { taskId: open } })).toThrow(/Avery Patel is working on|Avery Patel has/);
  });

  it('a text task worked offline: the edited text shows as sending, is sent once when the network returns, and the task completes', async () => {
    const phone = '+16265559103';
    const textTask = await newTask({ contactId: (await api('admin', 'POST', '/v1/contacts', { name: 'Rae Sol', phone })).body.id, assignToUserId: DEMO_USERS.receptionist.id });
    await waitFor('the text task', () => core.cache.tasks.get(textTask));
    await proxy.cut();
    core.sync.kick();
    await status((s) => s.state === 'offline', 'offline');
    core.cache.tasks.act({ type: 'task.start', idempotencyKey: 'offline-text-start-1', payload: { taskId: textTask } });
    expect(() => core.cache.tasks.act({ type: 'task.sendText', idempotencyKey: 'offline-text-x', payload: { taskId: (core.cache.tasks.list({ type: 'call' })[0])!.id, message: 'Hi' } }))
      .toThrow(/Only a text task|Let's Start|start/i);
    core.cache.tasks.act({ type: 'task.sendText', idempotencyKey: 'offline-text-send-1', payload: { taskId: textTask, message: 'Hi Rae, your results are in' } });
    expect(core.cache.tasks.get(textTask)).toMatchObject({ status: 'in_progress', sending: true, message: 'Hi Rae, your results are in', pending: true });
    expect(() => core.cache.tasks.act({ type: 'task.sendText', idempotencyKey: 'offline-text-send-2', payload: { taskId: textTask, message: 'Again' } })).toThrow(/being sent/);
    core.sync.kick();
    await status((s) => s.state === 'offline' && s.pending === 2, 'offline with two pending');
    expect(sandbox.control.messaging.list({ to: phone })).toHaveLength(0);
    await proxy.restore();
    core.sync.kick();
    await status((s) => s.state === 'online' && s.pending === 0, 'delivered');
    await waitFor('the completed task', () => (core.cache.tasks.get(textTask)?.status === 'completed' ? true : null));
    expect(core.cache.tasks.get(textTask)).toMatchObject({ sending: false, message: 'Hi Rae, your results are in', finishedBy: DEMO_USERS.receptionist.id });
    expect(sandbox.control.messaging.list({ to: phone }).map((m) => m.body)).toEqual(['Hi Rae, your results are in']);
  });

  it('a text task marked completed without its text being sent is refused by the cloud: undone, and the receptionist is told why', async () => {
    const textTask = await newTask({ assignToUserId: DEMO_USERS.receptionist.id });
    await waitFor('the text task', () => core.cache.tasks.get(textTask));
    core.cache.tasks.act({ type: 'task.start', idempotencyKey: 'unsent-start-1', payload: { taskId: textTask } });
    core.cache.tasks.act({ type: 'task.finish', idempotencyKey: 'unsent-finish-1', payload: { taskId: textTask, outcome: 'completed' } });
    core.sync.kick();
    await status((s) => s.state === 'online' && s.pending === 0, 'settled');
    expect(core.notices.list().find((n) => n.id === 'rejected-unsent-finish-1')?.message).toBe('A change could not be saved: Send the text to complete this task, or skip it');
    await waitFor('the task open again', () => (core.cache.tasks.get(textTask)?.status === 'in_progress' ? true : null));
    expect(await cloud.db.query(`SELECT status FROM tasks WHERE id = $1`, [textTask])).toEqual([{ status: 'in_progress' }]);
  });
});
