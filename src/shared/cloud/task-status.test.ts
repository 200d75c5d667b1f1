import { describe, expect, it } from 'vitest';
import { noDnd } from './entities';
import { taskBlockedReason, transition, type TaskAction } from './task-status';
import { taskStatuses, type TaskStatus } from './tasks';

describe('task status machine', () => {
  const table: [TaskStatus, TaskAction, TaskStatus | null][] = [
    ['queued', 'start', 'in_progress'],
    ['queued', 'complete', null],
    ['queued', 'skip', 'skipped'],
    ['queued', 'cancel', 'cancelled'],
    ['queued', 'expire', 'expired'],
    ['in_progress', 'start', null],
    ['in_progress', 'complete', 'completed'],
    ['in_progress', 'skip', 'skipped'],
    ['in_progress', 'cancel', 'cancelled'],
    ['in_progress', 'expire', 'expired'],
  ];
  it.each(table)('%s + %s → %s', (from, action, to) => {
    const r = transition(from, action);
    if (to === null) expect(r.ok).toBe(false);
    else expect(r).toEqual({ ok: true, status: to });
  });
  it('a finished task never changes again, whatever the action', () => {
    for (const from of taskStatuses.filter((s) => s !== 'queued' && s !== 'in_progress')) {
      for (const action of ['start', 'complete', 'skip', 'cancel', 'expire'] as const) {
        expect(transition(from, action)).toEqual({ ok: false, message: `The task is already ${from}` });
      }
    }
  });
});

describe('task blocked by Do Not Disturb', () => {
  it('blocks calls on outbound call DND, texts on outbound SMS DND, nothing else', () => {
    const dnd = noDnd();
    expect(taskBlockedReason('call', dnd)).toBeNull();
    expect(taskBlockedReason('call', null)).toBeNull();
    dnd.call.inbound = true;
    dnd.email.outbound = true;
    expect(taskBlockedReason('call', dnd)).toBeNull();
    dnd.call.outbound = true;
    expect(taskBlockedReason('call', dnd)).toMatch(/Do Not Disturb for calls/);
    expect(taskBlockedReason('sms', dnd)).toBeNull();
    dnd.sms.outbound = true;
    expect(taskBlockedReason('sms', dnd)).toMatch(/text messages/);
  });
});
