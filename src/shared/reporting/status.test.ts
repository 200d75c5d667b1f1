import { describe, expect, it } from 'vitest';
import { reportStatusOf, ringSecondsOf, talkSecondsOf, type ClassifiableCall } from './status';

const call = (over: Partial<ClassifiableCall>): ClassifiableCall => ({
  direction: 'inbound', status: 'completed', source: 'softphone', answeredAt: null, endedAt: null, recordings: [], ...over,
});
const T = '2024-03-10T10:00:00.000Z';

describe('what a call counts as', () => {
  it.each([
    ['refused for DND', call({ status: 'rejected', endedAt: T }), 'blocked'],
    ['refused even when logged outside', call({ status: 'rejected', source: 'external' }), 'blocked'],
    ['forwarded to an outside phone', call({ source: 'external', answeredAt: T, endedAt: T }), 'external'],
    ['answered by a user', call({ answeredAt: T, endedAt: T }), 'answered'],
    ['answered, still talking', call({ status: 'in-progress', answeredAt: T }), 'answered'],
    ['still ringing', call({ status: 'ringing' }), 'live'],
    ['queued outbound', call({ direction: 'outbound', status: 'queued' }), 'live'],
    ['rang, nobody answered', call({ status: 'missed', endedAt: T }), 'missed'],
    ['missed, caller still at the voicemail prompt', call({ status: 'missed' }), 'missed'],
    ['left a voicemail', call({ status: 'missed', endedAt: T, recordings: [{ kind: 'voicemail' }] }), 'voicemail'],
    ['callee busy', call({ direction: 'outbound', status: 'busy', endedAt: T }), 'no_answer'],
    ['a workflow call nobody picked up', call({ direction: 'outbound', source: 'workflow', status: 'no-answer', endedAt: T }), 'no_answer'],
  ])('%s → %s', (_name, c, expected) => {
    expect(reportStatusOf(c)).toBe(expected);
  });

  it('ring time is time to answer; talk time is answer to end; both in whole seconds, never negative', () => {
    expect(ringSecondsOf({ startedAt: T, answeredAt: '2024-03-10T10:00:07.500Z' })).toBe(8);
    expect(ringSecondsOf({ startedAt: T, answeredAt: null })).toBeNull();
    expect(talkSecondsOf({ answeredAt: T, endedAt: '2024-03-10T10:02:00.499Z' })).toBe(120);
    expect(talkSecondsOf({ answeredAt: T, endedAt: null })).toBeNull();
    expect(talkSecondsOf({ answeredAt: T, endedAt: '2024-03-10T09:59:00.000Z' })).toBe(0);
  });
});
