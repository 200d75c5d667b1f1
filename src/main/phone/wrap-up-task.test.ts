import { beforeEach, describe, expect, it } from 'vitest';
import { call, page, seedPage } from '../../../test/support/cache-fixtures';
import { useTempCache } from '../../../test/support/temp-cache';
import type { Task } from '../../shared/cloud/tasks';
import { ManualClock } from '../../shared/testing/manual-clock';
import { UNDO_MS, WrapUpService } from './wrap-up-service';

/** The wrap-up after a call placed while working a call task (Let's Start) is the task's outcome. */
const t = useTempCache({ prefix: 'wrap-up-task-' });
let clock: ManualClock;
const changed: string[][] = [];

const service = () =>
  new WrapUpService({
    cache: t.cache, clock, bindDispositionHotkeys: () => undefined, onState: () => undefined, onResolved: () => undefined,
    kickSync: () => undefined, onLocalChange: (entities) => changed.push(entities),
  });

const task = (id: string, over: Partial<Task> = {}): Task => ({
  id, accountId: 'acc_1', type: 'call', contactId: 'ct_jane', title: 'Call back', message: null, fromNumberId: null, assignedUserId: 'usr_1',
  workflowId: null, workflowName: null, runId: null, status: 'in_progress', reason: null, createdAt: '2025-03-01T09:00:00.000Z', updatedAt: '2025-03-01T09:00:00.000Z',
  startedAt: '2025-03-01T09:59:00.000Z', startedBy: 'usr_1', finishedAt: null, finishedBy: null, callId: null, callOutcome: null, dispositionId: null, note: null,
  messageId: null, messageStatus: null, messageError: null, expiresAt: null, seq: 1, ...over,
});
// Rita's call to Jane (+14155550123) at 10:00.
const outbound = (id: string) => call(id, { twilioCallSid: `CA_${id}`, direction: 'outbound', from: '+13105550100', to: '+14155550123', userId: 'usr_1' });

beforeEach(() => {
  t.cache.applyPull(seedPage());
  t.cache.session.setUser(t.cache.directory.user('usr_1')!, { cloud: 'https://cloud.example' });
  clock = new ManualClock();
  changed.length = 0;
});

describe('wrap-up of a task’s call', () => {
  it('the disposition chosen in the wrap-up completes the call task it was placed for (one outcome, the queue moves on)', async () => {
    t.cache.applyPull(page({ tasks: [task('task_1')], calls: [outbound('call_1')] }, 11));
    const w = service();
    w.start({ twilioCallSid: 'CA_call_1', callId: 'call_1', endedAt: '2025-03-01T10:03:00Z', locationId: null });
    w.choose({ twilioCallSid: 'CA_call_1', dispositionId: 'dsp_booked', note: 'Booked for Friday' });
    await clock.advanceAsync(UNDO_MS);
    expect(t.cache.outbox.peekBatch(10, Date.now()).map((e) => e.mutation)).toMatchObject([
      { type: 'call.setDisposition', payload: { callId: 'call_1', dispositionId: 'dsp_booked' } },
      { type: 'task.finish', payload: { taskId: 'task_1', outcome: 'completed', callOutcome: 'disposition', dispositionId: 'dsp_booked', callId: 'call_1', note: 'Booked for Friday' } },
    ]);
    expect(t.cache.tasks.get('task_1')).toMatchObject({ status: 'completed', callOutcome: 'disposition', dispositionId: 'dsp_booked', pending: true });
    expect(changed.at(-1)).toEqual(['calls', 'tasks']);
  });

  it('a call placed from a task (its id linked by the cloud as it started) completes that task, not an older one to the same contact', async () => {
    t.cache.applyPull(page({
      tasks: [task('task_old', { createdAt: '2025-03-01T08:00:00.000Z' }), task('task_new')],
      calls: [{ ...outbound('call_4'), taskId: 'task_new' }],
    }, 11));
    const w = service();
    w.start({ twilioCallSid: 'CA_call_4', callId: 'call_4', endedAt: '2025-03-01T10:03:00Z', locationId: null });
    w.choose({ twilioCallSid: 'CA_call_4', dispositionId: 'dsp_booked', note: null });
    await clock.advanceAsync(UNDO_MS);
    expect(t.cache.tasks.get('task_new')).toMatchObject({ status: 'completed', callId: 'call_4' });
    expect(t.cache.tasks.get('task_old')?.status).toBe('in_progress');
  });

  it('a call not placed for a started task — an inbound call, a task not started, another user’s task — leaves tasks alone', async () => {
    t.cache.applyPull(page({
      tasks: [task('task_q', { status: 'queued', startedAt: null, startedBy: null }), task('task_other', { startedBy: 'usr_2', assignedUserId: 'usr_2' })],
      calls: [outbound('call_2'), call('call_3', { twilioCallSid: 'CA_call_3', userId: 'usr_1' })],
    }, 11));
    const w = service();
    for (const [sid, id] of [['CA_call_2', 'call_2'], ['CA_call_3', 'call_3']] as const) {
      w.start({ twilioCallSid: sid, callId: id, endedAt: '2025-03-01T10:03:00Z', locationId: null });
      w.choose({ twilioCallSid: sid, dispositionId: 'dsp_follow', note: null });
      await clock.advanceAsync(UNDO_MS);
    }
    expect(t.cache.outbox.peekBatch(10, Date.now()).map((e) => e.mutation.type)).toEqual(['call.setDisposition', 'call.setDisposition']);
    expect(t.cache.tasks.get('task_q')?.status).toBe('queued');
    expect(t.cache.tasks.get('task_other')?.status).toBe('in_progress');
  });
});
