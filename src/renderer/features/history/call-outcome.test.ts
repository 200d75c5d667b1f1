import { describe, expect, it } from 'vitest';
import type { CallListItemView } from '../../../shared/ipc/views';
import { callOutcome, taskOutcomeLabel } from './call-outcome';

const item = (call: Partial<CallListItemView['call']>): CallListItemView => ({
  call: {
    id: 'c1',
    accountId: 'a',
    locationId: null,
    twilioCallSid: 'CA1',
    direction: 'inbound',
    source: 'softphone',
    from: '+13105550142',
    to: '+13105550100',
    phoneNumberId: null,
    userId: null,
    contactId: null,
    rangUserIds: [],
    status: 'completed',
    startedAt: '2026-12-01T10:00:00Z',
    answeredAt: '2026-12-01T10:00:08Z',
    endedAt: '2026-12-01T10:02:08Z',
    durationSeconds: 128,
    recordings: [],
    dispositionId: null,
    note: null,
    seq: 1,
    ...call,
  },
  contactName: null,
  userName: null,
  disposition: null,
  pendingSync: false,
});

describe('callOutcome', () => {
  it('an answered call: ring time and talk time apart', () => {
    expect(callOutcome(item({}))).toMatchObject({ kind: 'answered', label: 'Answered', ringSeconds: 8, talkSeconds: 120 });
  });

  it('blocked (DND), rejected and sent-to-voicemail calls say so, and never show a talk time', () => {
    expect(callOutcome(item({ status: 'rejected', answeredAt: null }))).toMatchObject({ label: 'Blocked (Do Not Disturb)', talkSeconds: null });
    expect(callOutcome(item({ status: 'busy', answeredAt: null, endedAt: '2026-12-01T10:00:05Z' }))).toMatchObject({ label: 'Rejected', ringSeconds: 5, talkSeconds: null });
    const voicemail = item({ status: 'missed', answeredAt: null, endedAt: '2026-12-01T10:01:00Z', durationSeconds: 60, recordings: [{ sid: 'RE1', url: null, durationSeconds: 40, status: 'completed', kind: 'voicemail' }] });
    expect(callOutcome(voicemail)).toMatchObject({ kind: 'voicemail', label: 'Sent to voicemail', ringSeconds: 60, talkSeconds: null });
    expect(callOutcome(item({ status: 'missed', answeredAt: null, endedAt: '2026-12-01T10:00:20Z' }))).toMatchObject({ label: 'Missed', ringSeconds: 20, talkSeconds: null });
  });

  it('an outgoing call nobody picked up says No answer; one still going says so', () => {
    expect(callOutcome(item({ direction: 'outbound', status: 'no-answer', answeredAt: null }))).toMatchObject({ label: 'No answer', talkSeconds: null });
    expect(callOutcome(item({ status: 'in-progress', endedAt: null }))).toMatchObject({ label: 'In progress', talkSeconds: null });
  });
});

describe('taskOutcomeLabel', () => {
  it('names a call task’s outcome that is not a disposition; nothing for a disposition or a call not from a task', () => {
    expect(taskOutcomeLabel(item({ taskId: 't', taskOutcome: 'no_answer' }))).toBe('No answer');
    expect(taskOutcomeLabel(item({ taskId: 't', taskOutcome: 'left_voicemail' }))).toBe('Left voicemail');
    expect(taskOutcomeLabel(item({ taskId: 't', taskOutcome: 'wrong_number' }))).toBe('Wrong number');
    expect(taskOutcomeLabel(item({ taskId: 't', taskOutcome: 'disposition' }))).toBeNull();
    expect(taskOutcomeLabel(item({}))).toBeNull();
  });
});
