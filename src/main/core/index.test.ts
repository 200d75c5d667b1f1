import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { call, notification, page, seedPage } from '../../../test/support/cache-fixtures';
import { testCorePorts, testHost } from '../../../test/support/core-ports';
import { openCache } from '../cache/cache';
import type * as Queries from '../cache/queries';
import type { Task } from '../../shared/cloud/tasks';
import { ManualClock } from '../../shared/testing/manual-clock';
import { EmbeddedStartError } from '../embedded/start-error';
import type { IpcSender } from '../ipc/router';
import type { TrayModel } from '../os/tray-model';
import { createMemoryVault } from '../session/credential-vault';
import { UNDO_MS } from '../phone/wrap-up-service';
import { deferOptimisingDuringStart } from './start-tiering';

/**
 * Every run of the cache's long queries on this (the main) thread is recorded. The query worker
 * loads its own copy of the module through tsx, outside vitest's module graph, so its runs are not.
 */
const mainThreadRuns = vi.hoisted(() => [] as Array<{ query: string; threadId: number }>);
vi.mock('../cache/queries', async (importOriginal) => {
  const original = await importOriginal<typeof Queries>();
  const record = <F extends (...args: never[]) => unknown>(query: string, fn: F): F =>
    ((...args: Parameters<F>) => {
      mainThreadRuns.push({ query, threadId });
      return fn(...args);
    }) as F;
  return { ...original, search: record('search', original.search), history: record('history', original.history) };
});

const { createCore } = await import('.');
const sender: IpcSender = { id: 1, isMainFrame: true, frameUrl: 'app://softphone/index.html' };

let userDataDir: string;
let core: Awaited<ReturnType<typeof createCore>>;

beforeEach(async () => {
  userDataDir = mkdtempSync(join(tmpdir(), 'core-'));
  core = await createCore({
    appVersion: '0.0.0-test',
    // A remote cloud that is never reached: nothing signs in, the cache is seeded by hand.
    env: { AESTHETIX_CLOUD_URL: 'http://127.0.0.1:9' },
    platform: 'test',
    isTrustedSender: () => true,
    userDataDir,
    ports: testCorePorts(),
    host: testHost,
    log: () => undefined,
  });
  core.cache.applyPull(seedPage());
  core.cache.applyPull(page({ calls: [call('call_1', { contactId: 'ct_jane' }), call('call_2')] }, 11));
  mainThreadRuns.length = 0;
});

afterEach(async () => {
  await core.dispose();
  rmSync(userDataDir, { recursive: true, force: true });
});

describe('createCore', { timeout: 30_000 }, () => {
  it('runs search and history on the query worker, never on the main thread', async () => {
    const search = await core.router.dispatch('search.query', sender, { query: 'jane' });
    const history = await core.router.dispatch('history.list', sender, {});
    expect(search).toMatchObject({ ok: true, value: { contacts: [expect.objectContaining({ id: 'ct_jane' })] } });
    expect(history).toMatchObject({ ok: true, value: { items: [expect.anything(), expect.anything()] } });
    expect(mainThreadRuns).toEqual([]);
    // The recorder works: the same query on the main thread's connection is seen, on this thread.
    core.cache.search({ query: 'jane' });
    expect(mainThreadRuns).toEqual([{ query: 'search', threadId }]);
  });
});

describe('the quit guard’s view through the IPC router', { timeout: 30_000 }, () => {
  it('knows what is unsaved as the window reports it (app.reportUnsaved, through the sender check and schema), at once', async () => {
    let told = 0;
    core.quit.onUnsavedChanged(() => told++);
    // Not reported yet: nothing is known unsaved, so a quit goes straight on.
    expect(core.quit.unsaved()).toEqual([]);
    // An iframe (or any sender the policy refuses) is not heard; nor is a malformed report.
    expect(await core.router.dispatch('app.reportUnsaved', { ...sender, isMainFrame: false }, { unsaved: ['Call policy'] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(await core.router.dispatch('app.reportUnsaved', sender, { unsaved: [''] })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(core.quit.unsaved()).toEqual([]);
    expect(await core.router.dispatch('app.reportUnsaved', sender, { unsaved: ['Call policy'] })).toEqual({ ok: true, value: { accepted: true } });
    expect(core.quit.unsaved()).toEqual(['Call policy']);
    // Another window's report does not clear this one's; its reload or crash forgets only its own.
    await core.router.dispatch('app.reportUnsaved', { ...sender, id: 2 }, { unsaved: [] });
    expect(core.quit.unsaved()).toEqual(['Call policy']);
    core.quit.windowGone(sender.id);
    expect(core.quit.unsaved()).toEqual([]);
    expect(told).toBe(2);
  });

  it('follows the phone as the window reports it: ringing or on a call is busy, and the guard is told', async () => {
    let told = 0;
    core.quit.onPhoneChanged(() => told++);
    const report = { registration: 'registered', callId: null, cloudCallId: null, remote: null, muted: false, waiting: null } as const;
    expect(core.quit.phoneBusy()).toBe(false);
    await core.router.dispatch('phone.reportState', sender, { ...report, call: 'ringing', callId: 'c1' });
    expect(core.quit.phoneBusy()).toBe(true);
    await core.router.dispatch('phone.reportState', sender, { ...report, call: 'in-call', callId: 'c1' });
    expect(core.quit.phoneBusy()).toBe(true);
    await core.router.dispatch('phone.reportState', sender, { ...report, call: 'wrap-up', callId: 'c1' });
    expect(core.quit.phoneBusy()).toBe(false);
    expect(told).toBe(3);
  });
});

describe('the start deferral of V8 optimising', { timeout: 30_000 }, () => {
  it('ends shortly after the phone first reports it is registered, not before', async () => {
    const flags: string[] = [];
    const started = deferOptimisingDuringStart({ v8Version: '11.3.0', execArgv: [], setFlags: (flag) => flags.push(flag), setTimer: () => ({}), trace: () => undefined });
    expect(started.state).toMatch(/^deferred/);
    const report = { call: 'idle', callId: null, cloudCallId: null, remote: null, muted: false, waiting: null } as const;
    await core.router.dispatch('phone.reportState', sender, { ...report, registration: 'registering' });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(flags).toHaveLength(1);
    await core.router.dispatch('phone.reportState', sender, { ...report, registration: 'registered' });
    expect(flags).toHaveLength(1); // the page paints "Ready for calls" first
    await vi.waitFor(() => expect(flags).toEqual(['--interrupt-budget=3379200', '--interrupt-budget=67584']), { timeout: 5_000 });
  });
});

describe('a start whose embedded cloud fails', { timeout: 30_000 }, () => {
  it('rejects with that error, as the host needs it for its message, and a Retry in the same folder starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-retry-'));
    const options = {
      appVersion: '0.0.0-test',
      platform: 'test',
      isTrustedSender: () => true,
      userDataDir: dir,
      ports: testCorePorts(),
      host: testHost,
      log: () => undefined,
    };
    const damaged = new EmbeddedStartError('database', join(dir, 'embedded'), new Error('PGlite failed to initialize properly'));
    try {
      await expect(createCore({ ...options, env: {}, startEmbedded: () => Promise.reject(damaged) })).rejects.toBe(damaged);
      const retried = await createCore({ ...options, env: { AESTHETIX_CLOUD_URL: 'http://127.0.0.1:9' } });
      retried.cache.applyPull(seedPage());
      expect(retried.cache.contacts.findByPhone('+14155550123')).toMatchObject({ contact: { id: 'ct_jane' } });
      await retried.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const task = (id: string, over: Partial<Task> = {}): Task => ({
  id, accountId: 'acc_1', type: 'call', contactId: 'ct_jane', title: 'Call back', message: null, fromNumberId: null, assignedUserId: 'usr_1',
  workflowId: null, workflowName: null, runId: null, status: 'queued', reason: null, createdAt: '2025-03-01T09:00:00.000Z', updatedAt: '2025-03-01T09:00:00.000Z',
  startedAt: null, startedBy: null, finishedAt: null, finishedBy: null, callId: null, callOutcome: null, dispositionId: null, note: null,
  messageId: null, messageStatus: null, messageError: null, expiresAt: null, seq: 1, ...over,
});

describe('the tray after the receptionist’s own actions', { timeout: 30_000 }, () => {
  let dir: string;
  let clock: ManualClock;
  let tray: TrayModel[];
  let own: Awaited<ReturnType<typeof createCore>>;
  const lastTray = () => tray.at(-1)!;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'core-tray-'));
    clock = new ManualClock();
    tray = [];
    own = await createCore({
      appVersion: '0.0.0-test',
      env: { AESTHETIX_CLOUD_URL: 'http://127.0.0.1:9' },
      platform: 'test',
      isTrustedSender: () => true,
      userDataDir: dir,
      ports: { ...testCorePorts(), tray: { render: (model) => tray.push(model), destroy: () => undefined } },
      host: testHost,
      clock,
      log: () => undefined,
    });
    own.cache.applyPull(seedPage());
    own.cache.session.setUser(own.cache.directory.user('usr_1')!, { cloud: 'http://127.0.0.1:9' });
  });

  afterEach(async () => {
    await own.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts unread alerts again as soon as alerts are marked read, with no pull', async () => {
    own.cache.applyPull(page({ notifications: [notification('n1'), notification('n2'), notification('n3')] }, 11));
    await own.router.dispatch('notifications.markRead', sender, { notificationId: 'n1' });
    expect(lastTray().tooltip).toContain('2 unread alerts');
    expect(lastTray().menu).toContainEqual(expect.objectContaining({ id: 'alerts', label: 'Alerts (2 unread)' }));
    await own.router.dispatch('notifications.markAllRead', sender, undefined);
    expect(lastTray().tooltip).not.toContain('unread');
    expect(lastTray().menu).toContainEqual(expect.objectContaining({ id: 'alerts', label: 'Alerts' }));
  });

  it('counts open tasks again when the wrap-up’s disposition completes the call’s task, with no pull', async () => {
    const outbound = call('call_1', { twilioCallSid: 'CA_call_1', direction: 'outbound', from: '+13105550100', to: '+14155550123', userId: 'usr_1' });
    own.cache.applyPull(page({ tasks: [task('task_1'), task('task_2')], calls: [outbound] }, 11));
    await own.router.dispatch('tasks.act', sender, { action: 'start', taskId: 'task_1' });
    expect(lastTray().badge).toBe('2');
    // The call placed for task_1 ends; its disposition is the task's outcome.
    await own.router.dispatch('wrapups.start', sender, { twilioCallSid: 'CA_call_1', callId: 'call_1', endedAt: '2025-03-01T10:03:00Z', locationId: null });
    await own.router.dispatch('wrapups.choose', sender, { twilioCallSid: 'CA_call_1', dispositionId: 'dsp_booked', note: null });
    await clock.advanceAsync(UNDO_MS);
    expect(own.cache.tasks.get('task_1')?.status).toBe('completed');
    expect(lastTray().badge).toBe('1');
    expect(lastTray().tooltip).toContain('1 open task');
  });
});

describe('the tray at sign-in', { timeout: 30_000 }, () => {
  it('counts the open tasks already in the cache, before any pull brings tasks (here: an offline start)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-signin-'));
    const cloud = 'http://127.0.0.1:9';
    // The last session's cache and keychain entry; the cloud does not answer, so the start resumes from them.
    const previous = openCache({ file: join(dir, 'cache.sqlite') });
    previous.applyPull(seedPage());
    previous.applyPull(page({ tasks: [task('task_1'), task('task_2'), task('task_3', { assignedUserId: 'usr_2' })] }, 11));
    const user = previous.directory.user('usr_1')!;
    previous.session.setUser(user, { cloud });
    previous.close();
    const vault = createMemoryVault();
    await vault.set(`session:${cloud}`, JSON.stringify({ refreshToken: 'refresh-1', sessionId: 'ses_1', email: user.email }));
    const tray: TrayModel[] = [];
    const started = await createCore({
      appVersion: '0.0.0-test',
      env: { AESTHETIX_CLOUD_URL: cloud },
      platform: 'test',
      isTrustedSender: () => true,
      userDataDir: dir,
      ports: { ...testCorePorts(), vault, tray: { render: (model) => tray.push(model), destroy: () => undefined } },
      host: testHost,
      log: () => undefined,
    });
    try {
      expect(started.session.state.status).toBe('signed-in');
      expect(tray.at(-1)?.badge).toBe('2');
    } finally {
      await started.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
