import { beforeEach, describe, expect, it } from 'vitest';
import type { MutationResult, Task } from '../../shared/cloud';
import { ACCOUNT, call, page, seedPage } from '../../../test/support/cache-fixtures';
import { useTempCache } from '../../../test/support/temp-cache';

/**
 * The Manual Actions queue in the cache: an action shows at once, and once the cloud has applied it
 * the task stays as the action left it until the next pull — the queue must never go back to a task
 * the receptionist already finished (under load that pull can be seconds behind the push's answer).
 */

function task(id: string, over: Partial<Task> = {}): Task {
  return {
    id, accountId: ACCOUNT, type: 'sms', contactId: 'ct_jose', title: 'Results text', message: 'Hi José', fromNumberId: null,
    assignedUserId: 'usr_1', workflowId: null, workflowName: null, runId: null, status: 'queued', reason: null,
    createdAt: '2025-03-01T10:00:00.000Z', updatedAt: '2025-03-01T10:00:00.000Z', startedAt: null, startedBy: null, finishedAt: null, finishedBy: null,
    callId: null, callOutcome: null, dispositionId: null, note: null, messageId: null, messageStatus: null, messageError: null, expiresAt: null, seq: 20,
    ...over,
  };
}
const applied = (key: string, taskId: string): MutationResult => ({ idempotencyKey: key, status: 'applied', replayed: false, entity: 'tasks', entityId: taskId });
const rejected = (key: string): MutationResult => ({ idempotencyKey: key, status: 'rejected', replayed: false, code: 'CONFLICT', message: 'That task is already finished' });

describe('task queue in the cache', () => {
  const t = useTempCache({ now: () => Date.parse('2025-03-01T10:05:00.000Z') });
  beforeEach(() => {
    t.cache.applyPull(seedPage(10));
    t.cache.session.setUser(t.cache.directory.user('usr_1')!, { cloud: 'https://cloud.example' });
    t.cache.applyPull(page({ tasks: [task('tsk_text'), task('tsk_call', { type: 'call', title: 'Rebook', createdAt: '2025-03-01T10:01:00.000Z' })] }, 11));
  });
  const open = () => t.cache.tasks.list({ scope: 'mine', status: 'open' }).map((x) => [x.id, x.status, x.sending]);

  it('a sent text stays finished between the cloud applying it and the pull that confirms it', () => {
    t.cache.tasks.act({ type: 'task.start', idempotencyKey: 'start-0001', payload: { taskId: 'tsk_text' } });
    t.cache.tasks.act({ type: 'task.sendText', idempotencyKey: 'send-0001', payload: { taskId: 'tsk_text', message: 'Hi José, your results are in' } });
    expect(open()).toEqual([['tsk_text', 'in_progress', true], ['tsk_call', 'queued', false]]);

    // Twilio accepted it: the cloud completed the task. The pull has not run yet.
    t.cache.outbox.ack([applied('start-0001', 'tsk_text'), applied('send-0001', 'tsk_text')]);
    expect(open()).toEqual([['tsk_call', 'queued', false]]);
    expect(t.cache.tasks.get('tsk_text')).toMatchObject({ status: 'completed', sending: false, pending: false, message: 'Hi José, your results are in', finishedBy: 'usr_1' });

    // The pull brings the cloud's row (newer seq) and it replaces the local promotion.
    t.cache.applyPull(page({ tasks: [task('tsk_text', { status: 'completed', message: 'Hi José, your results are in', messageStatus: 'sent', seq: 30 })] }, 12));
    expect(t.cache.tasks.get('tsk_text')).toMatchObject({ status: 'completed', messageStatus: 'sent' });
  });

  it('an applied skip stays skipped, also when a page written before it is pulled', () => {
    t.cache.tasks.act({ type: 'task.start', idempotencyKey: 'start-0002', payload: { taskId: 'tsk_call' } });
    t.cache.tasks.act({ type: 'task.finish', idempotencyKey: 'skip-0002', payload: { taskId: 'tsk_call', outcome: 'skipped', reason: 'Asked for email' } });
    t.cache.outbox.ack([applied('start-0002', 'tsk_call'), applied('skip-0002', 'tsk_call')]);
    expect(t.cache.tasks.get('tsk_call')).toMatchObject({ status: 'skipped', reason: 'Asked for email', pending: false });
    // A pull of an older row (a page written before the skip) does not undo it.
    t.cache.applyPull(page({ tasks: [task('tsk_call', { type: 'call', status: 'in_progress', seq: 15 })] }, 13));
    expect(t.cache.tasks.get('tsk_call')?.status).toBe('skipped');
  });

  it('a refused text leaves the task in progress, no longer sending, for the receptionist to send again or skip', () => {
    t.cache.tasks.act({ type: 'task.start', idempotencyKey: 'start-0003', payload: { taskId: 'tsk_text' } });
    t.cache.tasks.act({ type: 'task.sendText', idempotencyKey: 'send-0003', payload: { taskId: 'tsk_text', message: 'Hi' } });
    t.cache.outbox.ack([applied('start-0003', 'tsk_text'), rejected('send-0003')]);
    expect(t.cache.tasks.get('tsk_text')).toMatchObject({ status: 'in_progress', sending: false, startedBy: 'usr_1' });
    expect(open()[0]).toEqual(['tsk_text', 'in_progress', false]);
  });
  it('a call task\'s outcome goes on its own call, never on one another task owns', () => {
    // Two call tasks for José worked one after the other; each placed a call a minute apart.
    const outbound = (id: string, startedAt: string, taskId: string | null) =>
      call(id, { direction: 'outbound', from: '+13105550100', to: '+13125550199', userId: 'usr_1', startedAt, taskId });
    t.cache.applyPull(page({ tasks: [task('tsk_checkin', { type: 'call', status: 'completed', startedAt: '2025-03-01T10:01:00.000Z', startedBy: 'usr_1', callId: 'call_checkin', seq: 21 }),
      task('tsk_rebook', { type: 'call', status: 'in_progress', startedAt: '2025-03-01T10:02:00.000Z', startedBy: 'usr_1', seq: 22 })] }, 12));
    t.cache.applyPull(page({ calls: [outbound('call_checkin', '2025-03-01T10:01:30.000Z', 'tsk_checkin')] }, 13));
    // The rebook call is not pulled yet: the check-in call (within the minute's slack) is not taken.
    expect(t.cache.tasks.callFor('tsk_rebook')).toBeNull();
    // Nor a call only recorded as another task's outcome, with no link of its own.
    t.cache.applyPull(page({ calls: [outbound('call_checkin', '2025-03-01T10:01:30.000Z', null)] }, 14));
    expect(t.cache.tasks.callFor('tsk_rebook')).toBeNull();
    // Its own call arrives: linked to it by the cloud, it is the one, even beside a newer unlinked call.
    t.cache.applyPull(page({ calls: [outbound('call_rebook', '2025-03-01T10:02:10.000Z', 'tsk_rebook'), outbound('call_other', '2025-03-01T10:03:00.000Z', null)] }, 15));
    expect(t.cache.tasks.callFor('tsk_rebook')).toBe('call_rebook');
  });
});
