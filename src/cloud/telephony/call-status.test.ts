import { describe, expect, it } from 'vitest';
import { nextCallProgress, type CallProgress, type StatusCallback } from './call-status';

const T1 = '2025-03-03T09:00:01.000Z';
const T2 = '2025-03-03T09:00:02.000Z';
const AT = '2025-03-03T09:00:05.000Z';

const inQueued: CallProgress = {
  direction: 'inbound', status: 'queued', answeredAt: null, endedAt: null, durationSeconds: null, userId: null, otherLegSid: null, rangUserIds: ['usr_a', 'usr_b'],
};
const inAnswered: CallProgress = { ...inQueued, status: 'in-progress', answeredAt: T1, userId: 'usr_a', otherLegSid: 'CAleg1' };
const outQueued: CallProgress = { ...inQueued, direction: 'outbound', userId: 'usr_a', rangUserIds: [] };

const states = {
  'inbound queued': inQueued,
  'inbound ringing': { ...inQueued, status: 'ringing' },
  'inbound ringing nobody': { ...inQueued, status: 'ringing', rangUserIds: [] },
  'inbound answered': inAnswered,
  'inbound completed': { ...inAnswered, status: 'completed', endedAt: T2, durationSeconds: 40 },
  'inbound missed': { ...inQueued, status: 'missed' },
  'inbound rejected': { ...inQueued, status: 'rejected', rangUserIds: [], endedAt: T2 },
  'outbound queued': outQueued,
  'outbound answered': { ...outQueued, status: 'in-progress', answeredAt: T1, otherLegSid: 'CAleg1' },
  'outbound no-answer': { ...outQueued, status: 'no-answer', otherLegSid: 'CAleg2' },
  'outbound completed': { ...outQueued, status: 'completed', answeredAt: T1, otherLegSid: 'CAleg1', endedAt: T2, durationSeconds: 30 },
} satisfies Record<string, CallProgress>;
type StateName = keyof typeof states;

const dial = (status: StatusCallback['status'], to = 'client:usr_b'): StatusCallback => ({ leg: 'dial', callSid: 'CAleg9', status, at: AT, to });
const events = {
  'call ringing': { leg: 'call', status: 'ringing', at: AT },
  'call in-progress': { leg: 'call', status: 'in-progress', at: AT },
  'call completed': { leg: 'call', status: 'completed', at: AT, durationSeconds: 42 },
  'call busy': { leg: 'call', status: 'busy', at: AT },
  'call no-answer': { leg: 'call', status: 'no-answer', at: AT },
  'call canceled': { leg: 'call', status: 'canceled', at: AT },
  'call failed': { leg: 'call', status: 'failed', at: AT },
  'dial ringing': dial('ringing'),
  'dial answered by softphone': dial('in-progress'),
  'dial answered by number': dial('answered', '+14245550123'),
  'dial completed': dial('completed'),
  'dial busy': dial('busy'),
  'dial no-answer': dial('no-answer'),
  // The leg that answered (CAleg1 in the answered states) hangs up.
  'answered leg completed': { leg: 'dial', callSid: 'CAleg1', status: 'completed', at: AT, to: '+14245550123', durationSeconds: 30 },
} satisfies Record<string, StatusCallback>;
type EventName = keyof typeof events;

/** `same`: the very same object back; otherwise exactly the fields that change. */
type Outcome = 'same' | Partial<CallProgress>;
const missed = (extra: Partial<CallProgress> = {}): Outcome => ({ status: 'missed', endedAt: AT, ...extra });
const answeredBySoftphone = { status: 'in-progress', answeredAt: AT, otherLegSid: 'CAleg9', userId: 'usr_b' } as const;
const answeredByNumber = { status: 'in-progress', answeredAt: AT, otherLegSid: 'CAleg9' } as const;
const inboundUnanswered = (ringing: Outcome): Record<EventName, Outcome> => ({
  'call ringing': ringing,
  'call in-progress': 'same',
  'call completed': missed({ durationSeconds: 42 }),
  'call busy': missed(),
  'call no-answer': missed(),
  'call canceled': missed(),
  'call failed': missed(),
  'dial ringing': 'same',
  'dial answered by softphone': answeredBySoftphone,
  'dial answered by number': answeredByNumber,
  'dial completed': 'same',
  'dial busy': 'same',
  'dial no-answer': 'same',
  'answered leg completed': 'same',
});
const endsAsReported = (base: Record<EventName, Outcome>): Record<EventName, Outcome> => ({
  ...base,
  'call completed': { status: 'completed', endedAt: AT, durationSeconds: 42 },
  'call busy': { status: 'busy', endedAt: AT },
  'call no-answer': { status: 'no-answer', endedAt: AT },
  'call canceled': { status: 'canceled', endedAt: AT },
  'call failed': { status: 'failed', endedAt: AT },
});
const allSame = (): Record<EventName, Outcome> => Object.fromEntries(Object.keys(events).map((e) => [e, 'same'])) as Record<EventName, Outcome>;
const endedLate = (extra: Partial<Record<EventName, Outcome>>): Record<EventName, Outcome> => ({
  ...allSame(),
  'call completed': { endedAt: AT, durationSeconds: 42 },
  'call busy': { endedAt: AT },
  'call no-answer': { endedAt: AT },
  'call canceled': { endedAt: AT },
  'call failed': { endedAt: AT },
  ...extra,
});

const table: Record<StateName, Record<EventName, Outcome>> = {
  'inbound queued': inboundUnanswered({ status: 'ringing' }),
  'inbound ringing': inboundUnanswered('same'),
  // Nobody was rung (straight to voicemail): not "missed" by anyone, it ends as Twilio reports.
  'inbound ringing nobody': endsAsReported(inboundUnanswered('same')),
  'inbound answered': endsAsReported(allSame()),
  // Terminal: the status stays; a late duration is still recorded, the end time is kept.
  'inbound completed': { ...allSame(), 'call completed': { durationSeconds: 42 } },
  'inbound missed': endedLate({
    'dial answered by softphone': { answeredAt: AT, otherLegSid: 'CAleg9', userId: 'usr_b' },
    'dial answered by number': { answeredAt: AT, otherLegSid: 'CAleg9' },
  }),
  'inbound rejected': {
    ...allSame(),
    'call completed': { durationSeconds: 42 },
    'dial answered by softphone': { answeredAt: AT, otherLegSid: 'CAleg9', userId: 'usr_b' },
    'dial answered by number': { answeredAt: AT, otherLegSid: 'CAleg9' },
  },
  'outbound queued': {
    'call ringing': { status: 'ringing' },
    'call in-progress': 'same',
    // The softphone hung up before the callee answered: not answered, whatever Twilio calls it.
    'call completed': { status: 'no-answer', endedAt: AT, durationSeconds: 42 },
    'call busy': { status: 'busy', endedAt: AT },
    'call no-answer': { status: 'no-answer', endedAt: AT },
    'call canceled': { status: 'canceled', endedAt: AT },
    'call failed': { status: 'failed', endedAt: AT },
    'dial ringing': 'same',
    // The caller is the call's user already; the callee's leg never changes it.
    'dial answered by softphone': answeredByNumber,
    'dial answered by number': answeredByNumber,
    // The callee's leg ended unanswered: so did the call, even with no status callback on the TwiML app.
    'dial completed': { status: 'completed', otherLegSid: 'CAleg9', endedAt: AT },
    'dial busy': { status: 'busy', otherLegSid: 'CAleg9', endedAt: AT },
    'dial no-answer': { status: 'no-answer', otherLegSid: 'CAleg9', endedAt: AT },
    'answered leg completed': { status: 'completed', otherLegSid: 'CAleg1', endedAt: AT, durationSeconds: 30 },
  },
  // B1: the callee hanging up ends an answered outbound call, with the talk time as its length;
  // another leg's end (an earlier attempt, a replay) does not.
  'outbound answered': { ...endsAsReported(allSame()), 'answered leg completed': { status: 'completed', endedAt: AT, durationSeconds: 30 } },
  // Ended by the callee's leg: the softphone's later callback keeps the talk time and the end time.
  'outbound completed': allSame(),
  'outbound no-answer': endedLate({
    'dial answered by softphone': { answeredAt: AT, otherLegSid: 'CAleg9' },
    'dial answered by number': { answeredAt: AT, otherLegSid: 'CAleg9' },
  }),
};

describe('nextCallProgress', () => {
  for (const [stateName, row] of Object.entries(table) as [StateName, Record<EventName, Outcome>][]) {
    describe(stateName, () => {
      for (const [eventName, outcome] of Object.entries(row) as [EventName, Outcome][]) {
        it(`${eventName} → ${outcome === 'same' ? 'same' : JSON.stringify(outcome)}`, () => {
          const before = states[stateName];
          const after = nextCallProgress(before, events[eventName]);
          if (outcome === 'same') expect(after).toBe(before);
          else expect(after).toEqual({ ...before, ...outcome });
        });
      }
    });
  }

  it('is idempotent: a replayed callback changes nothing more', () => {
    for (const state of Object.values(states)) {
      for (const event of Object.values(events)) {
        const once = nextCallProgress(state, event);
        expect(nextCallProgress(once, event)).toBe(once);
      }
    }
  });

  it('never moves a terminal status, never clears an answer, never forgets an end time', () => {
    for (const state of Object.values(states)) {
      for (const event of Object.values(events)) {
        const after = nextCallProgress(state, event);
        if (['completed', 'busy', 'no-answer', 'canceled', 'failed', 'rejected', 'missed'].includes(state.status)) expect(after.status).toBe(state.status);
        if (state.answeredAt) expect(after.answeredAt).toBe(state.answeredAt);
        if (state.endedAt) expect(after.endedAt).toBe(state.endedAt);
      }
    }
  });
});
