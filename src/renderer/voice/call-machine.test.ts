import { describe, expect, it } from 'vitest';
import { callTransition, incomingCall, isEngaged, isLive, outgoingCall, type CallEvent, type CallPhase, type CallPhaseName, type CallState } from './call-machine';

const AT = 5_000;
const ERR = { code: 31005, message: 'Connection error' };

const base = { id: 'c1', from: '+13105550100', to: 'client:alice', callSid: 'CA1', customParameters: { callId: 'call_1' }, at: 1_000 };
const withPhase = (call: CallState, phase: CallPhase): CallState => ({ ...call, phase });

const phases: Record<CallPhaseName, CallState> = {
  ringing: incomingCall(base),
  dialing: outgoingCall({ ...base, callSid: null }),
  connecting: withPhase(outgoingCall({ ...base, callSid: 'TJS1' }), { name: 'connecting', remoteRinging: false }),
  open: withPhase(incomingCall(base), { name: 'open', connectedAt: 2_000, reconnecting: false }),
  'wrap-up': withPhase(incomingCall(base), { name: 'wrap-up', ending: { kind: 'remote-hangup' }, connectedAt: 2_000, endedAt: 3_000 }),
  done: withPhase(incomingCall(base), { name: 'done', ending: { kind: 'canceled' }, connectedAt: null, endedAt: 3_000 }),
};

const events = {
  'accept-requested': { type: 'accept-requested', at: AT },
  placed: { type: 'placed', at: AT, callSid: 'TJS9' },
  'remote-ringing': { type: 'remote-ringing', at: AT, callSid: 'CA9' },
  accepted: { type: 'accepted', at: AT, callSid: 'CA9' },
  rejected: { type: 'rejected', at: AT, reason: 'user' },
  canceled: { type: 'canceled', at: AT },
  'disconnected-local': { type: 'disconnected', at: AT, by: 'local', error: null },
  'disconnected-remote': { type: 'disconnected', at: AT, by: 'remote', error: null },
  'disconnected-error': { type: 'disconnected', at: AT, by: 'remote', error: ERR },
  failed: { type: 'failed', at: AT, error: ERR },
  error: { type: 'error', at: AT, error: ERR },
  reconnecting: { type: 'reconnecting', at: AT, error: null },
  reconnected: { type: 'reconnected', at: AT },
  warning: { type: 'warning', at: AT, name: 'high-rtt' },
  'warning-cleared': { type: 'warning-cleared', at: AT, name: 'high-rtt' },
  'mute-changed': { type: 'mute-changed', muted: true },
  'hold-changed': { type: 'hold-changed', hold: 'held' },
  'recording-changed': { type: 'recording-changed', recording: 'paused' },
  'wrap-up-finished': { type: 'wrap-up-finished', at: AT },
} satisfies Record<string, CallEvent>;
type EventName = keyof typeof events;

/** `same` (the very same object), a phase name, `phase:ending`, or `~what` for a change within the phase. */
type Outcome = string;
const table: Record<CallPhaseName, Record<EventName, Outcome>> = {
  ringing: {
    'accept-requested': 'connecting',
    placed: '~sid',
    'remote-ringing': 'same',
    accepted: 'open',
    rejected: 'done:rejected',
    canceled: 'done:canceled',
    'disconnected-local': 'done:local-hangup',
    'disconnected-remote': 'done:canceled',
    'disconnected-error': 'done:failed',
    failed: 'done:failed',
    error: '~error',
    reconnecting: 'same',
    reconnected: 'same',
    warning: 'same',
    'warning-cleared': 'same',
    'mute-changed': '~muted',
    'hold-changed': 'same',
    'recording-changed': '~recording',
    'wrap-up-finished': 'same',
  },
  dialing: {
    'accept-requested': 'same',
    placed: 'connecting',
    'remote-ringing': 'connecting',
    accepted: 'open',
    rejected: 'same',
    canceled: 'done:canceled',
    'disconnected-local': 'done:local-hangup',
    'disconnected-remote': 'done:remote-hangup',
    'disconnected-error': 'done:failed',
    failed: 'done:failed',
    error: '~error',
    reconnecting: 'same',
    reconnected: 'same',
    warning: 'same',
    'warning-cleared': 'same',
    'mute-changed': '~muted',
    'hold-changed': 'same',
    'recording-changed': '~recording',
    'wrap-up-finished': 'same',
  },
  connecting: {
    'accept-requested': 'same',
    placed: '~sid',
    'remote-ringing': '~remote-ringing',
    accepted: 'open',
    rejected: 'same',
    canceled: 'done:canceled',
    'disconnected-local': 'done:local-hangup',
    'disconnected-remote': 'done:remote-hangup',
    'disconnected-error': 'done:failed',
    failed: 'done:failed',
    error: '~error',
    reconnecting: 'same',
    reconnected: 'same',
    warning: '~warning',
    'warning-cleared': 'same',
    'mute-changed': '~muted',
    'hold-changed': 'same',
    'recording-changed': '~recording',
    'wrap-up-finished': 'same',
  },
  open: {
    'accept-requested': 'same',
    placed: 'same',
    'remote-ringing': '~sid',
    accepted: 'same',
    rejected: 'same',
    canceled: 'same',
    'disconnected-local': 'wrap-up:local-hangup',
    'disconnected-remote': 'wrap-up:remote-hangup',
    'disconnected-error': 'wrap-up:failed',
    failed: 'wrap-up:failed',
    error: '~error',
    reconnecting: '~reconnecting',
    reconnected: 'same',
    warning: '~warning',
    'warning-cleared': 'same',
    'mute-changed': '~muted',
    'hold-changed': '~hold',
    'recording-changed': '~recording',
    'wrap-up-finished': 'same',
  },
  'wrap-up': {
    'accept-requested': 'same',
    placed: 'same',
    'remote-ringing': 'same',
    accepted: 'same',
    rejected: 'same',
    canceled: 'same',
    'disconnected-local': 'same',
    'disconnected-remote': 'same',
    'disconnected-error': 'same',
    failed: 'same',
    error: 'same',
    reconnecting: 'same',
    reconnected: 'same',
    warning: 'same',
    'warning-cleared': 'same',
    'mute-changed': 'same',
    'hold-changed': 'same',
    'recording-changed': '~recording',
    'wrap-up-finished': 'done:remote-hangup',
  },
  done: Object.fromEntries(Object.keys(events).map((e) => [e, 'same'])) as Record<EventName, Outcome>,
};

function describeChange(before: CallState, after: CallState): Outcome {
  if (after === before) return 'same';
  if (after.phase.name !== before.phase.name) {
    return 'ending' in after.phase ? `${after.phase.name}:${after.phase.ending.kind}` : after.phase.name;
  }
  if (after.callSid !== before.callSid && after.phase.name === 'connecting' && before.phase.name === 'connecting' && after.phase.remoteRinging) return '~remote-ringing';
  if (after.callSid !== before.callSid) return '~sid';
  if (after.lastError !== before.lastError) return '~error';
  if (after.muted !== before.muted) return '~muted';
  if (after.recording !== before.recording) return '~recording';
  if (after.hold !== before.hold) return '~hold';
  if (after.warnings !== before.warnings) return '~warning';
  if (after.phase.name === 'open' && before.phase.name === 'open' && after.phase.reconnecting !== before.phase.reconnecting) return '~reconnecting';
  if (after.phase.name === 'connecting' && before.phase.name === 'connecting' && after.phase.remoteRinging !== before.phase.remoteRinging) return '~remote-ringing';
  return 'changed-unexpectedly';
}

describe('callTransition: every phase × every event', () => {
  for (const [phase, row] of Object.entries(table) as Array<[CallPhaseName, Record<EventName, Outcome>]>) {
    for (const [eventName, expected] of Object.entries(row) as Array<[EventName, Outcome]>) {
      it(`${phase} + ${eventName} → ${expected}`, () => {
        const before = phases[phase];
        expect(describeChange(before, callTransition(before, events[eventName]))).toBe(expected);
      });
    }
  }

  it('the table names every phase and every event', () => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(phases).sort());
    for (const row of Object.values(table)) expect(Object.keys(row).sort()).toEqual(Object.keys(events).sort());
  });
});

describe('callTransition: details', () => {
  it('an incoming call answered, talked, hung up by the caller, wrapped up', () => {
    let c = incomingCall(base);
    c = callTransition(c, { type: 'accept-requested', at: 10 });
    c = callTransition(c, { type: 'accepted', at: 20, callSid: 'CA1' });
    expect(c.phase).toEqual({ name: 'open', connectedAt: 20, reconnecting: false });
    c = callTransition(c, { type: 'disconnected', at: 90, by: 'remote', error: null });
    expect(c.phase).toEqual({ name: 'wrap-up', ending: { kind: 'remote-hangup' }, connectedAt: 20, endedAt: 90 });
    c = callTransition(c, { type: 'wrap-up-finished', at: 100 });
    expect(c.phase).toEqual({ name: 'done', ending: { kind: 'remote-hangup' }, connectedAt: 20, endedAt: 90 });
  });

  it('an outgoing call adopts the CA sid from the edge and keeps it', () => {
    let c = outgoingCall({ ...base, callSid: null });
    c = callTransition(c, { type: 'placed', at: 1, callSid: 'TJSabc' });
    expect(c.callSid).toBe('TJSabc');
    c = callTransition(c, { type: 'remote-ringing', at: 2, callSid: 'CA123' });
    expect(c.callSid).toBe('CA123');
    expect(c.phase).toEqual({ name: 'connecting', remoteRinging: true });
    c = callTransition(c, { type: 'accepted', at: 3, callSid: null });
    expect(c.callSid).toBe('CA123');
  });

  it('remembers the reject reason (voicemail) and the failure error', () => {
    const rejected = callTransition(incomingCall(base), { type: 'rejected', at: 1, reason: 'voicemail' });
    expect(rejected.phase).toMatchObject({ name: 'done', ending: { kind: 'rejected', reason: 'voicemail' } });
    const failed = callTransition(phases.open, { type: 'failed', at: 1, error: ERR });
    expect(failed.phase).toMatchObject({ name: 'wrap-up', ending: { kind: 'failed', error: ERR } });
    expect(failed.lastError).toEqual(ERR);
  });

  it('reconnecting while open, then reconnected', () => {
    const r = callTransition(phases.open, { type: 'reconnecting', at: 1, error: ERR });
    expect(r.phase).toMatchObject({ name: 'open', reconnecting: true });
    expect(r.lastError).toEqual(ERR);
    expect(callTransition(r, { type: 'reconnected', at: 2 }).phase).toMatchObject({ name: 'open', reconnecting: false });
  });

  it('warnings are a set, cleared one by one, dropped when the call ends', () => {
    let c = phases.open;
    c = callTransition(c, { type: 'warning', at: 1, name: 'high-rtt' });
    c = callTransition(c, { type: 'warning', at: 2, name: 'low-mos' });
    const again = callTransition(c, { type: 'warning', at: 3, name: 'high-rtt' });
    expect(again).toBe(c);
    expect(c.warnings).toEqual(['high-rtt', 'low-mos']);
    c = callTransition(c, { type: 'warning-cleared', at: 4, name: 'high-rtt' });
    expect(c.warnings).toEqual(['low-mos']);
    c = callTransition(c, { type: 'disconnected', at: 5, by: 'local', error: null });
    expect(c.warnings).toEqual([]);
  });

  it('hold and recording are flags of the open call', () => {
    let c = callTransition(phases.open, { type: 'hold-changed', hold: 'holding' });
    c = callTransition(c, { type: 'hold-changed', hold: 'held' });
    c = callTransition(c, { type: 'recording-changed', recording: 'recording' });
    expect([c.hold, c.recording]).toEqual(['held', 'recording']);
    c = callTransition(c, { type: 'disconnected', at: 5, by: 'local', error: null });
    expect(c.hold).toBe('off');
  });

  it('live and engaged', () => {
    const names = (f: (c: CallState) => boolean) => Object.entries(phases).filter(([, c]) => f(c)).map(([n]) => n);
    expect(names(isLive)).toEqual(['ringing', 'dialing', 'connecting', 'open']);
    expect(names(isEngaged)).toEqual(['dialing', 'connecting', 'open']);
  });
});
