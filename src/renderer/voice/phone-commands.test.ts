import { describe, expect, it } from 'vitest';
import type { PhoneCommand } from '../../shared/ipc';
import { incomingCall, outgoingCall, type CallState, type HoldState } from './call-machine';
import { engagedCall, ringingKeysTarget } from './engine-state';
import { focusCall } from './phone-report';
import { answerRefusal, holdDecision, hotkeyTarget } from './phone-commands';
import { VoiceError } from './voice-error';

const ringing = (id: string): CallState => incomingCall({ id, from: '+1310', to: 'client:me', callSid: null, customParameters: {}, at: 0 });
const dialing = (id: string): CallState => outgoingCall({ id, from: '+1310', to: '+1424', callSid: null, customParameters: {}, at: 0 });
const open = (id: string, hold: HoldState = 'off', muted = false): CallState => ({
  ...ringing(id),
  phase: { name: 'open', connectedAt: 1, reconnecting: false },
  hold,
  muted,
});
const wrapUp = (id: string): CallState => ({ ...ringing(id), phase: { name: 'wrap-up', ending: { kind: 'remote-hangup' }, connectedAt: 1, endedAt: 2 } });
const code = (result: unknown) => (result instanceof VoiceError ? result.code : result);

describe('answerRefusal', () => {
  const cases: Array<[string, CallState, CallState[], boolean, string | null]> = [
    ['a ringing call with nothing else', ringing('r'), [ringing('r')], false, null],
    ['a call no longer ringing', open('r'), [open('r')], false, 'wrong-state'],
    ['over an open call', ringing('r'), [open('a'), ringing('r')], false, 'busy'],
    ['over a call still dialing', ringing('r'), [dialing('a'), ringing('r')], false, 'busy'],
    ['over a call only going on hold', ringing('r'), [open('a', 'holding'), ringing('r')], false, 'busy'],
    ['over a held call', ringing('r'), [open('a', 'held'), ringing('r')], false, null],
    ['over a held call with a shared microphone', ringing('r'), [open('a', 'held'), ringing('r')], true, 'busy'],
    ['over a held call and an open one', ringing('r'), [open('a', 'held'), open('b'), ringing('r')], false, 'busy'],
    ['with a call in wrap-up (not engaged)', ringing('r'), [wrapUp('a'), ringing('r')], true, null],
  ];
  for (const [name, call, calls, shared, expected] of cases) {
    it(name, () => expect(code(answerRefusal(call, calls, shared))).toBe(expected));
  }
});

describe('holdDecision', () => {
  const cases: Array<[string, CallState, boolean, CallState[], boolean, string]> = [
    ['hold an open call', open('a'), true, [open('a')], true, 'go'],
    ['resume a held call', open('a', 'held'), false, [open('a', 'held')], true, 'go'],
    ['hold a held call', open('a', 'held'), true, [open('a', 'held')], true, 'unchanged'],
    ['resume a call not held', open('a'), false, [open('a')], true, 'unchanged'],
    ['hold a ringing call', ringing('a'), true, [ringing('a')], true, 'wrong-state'],
    ['hold without hold audio', open('a'), true, [open('a')], false, 'not-available'],
    ['press while going on hold', open('a', 'holding'), false, [open('a', 'holding')], true, 'wrong-state'],
    ['press while resuming', open('a', 'resuming'), true, [open('a', 'resuming')], true, 'wrong-state'],
    ['resume while another call is open', open('a', 'held'), false, [open('a', 'held'), open('b')], true, 'busy'],
    ['resume while the other call is held too', open('a', 'held'), false, [open('a', 'held'), open('b', 'held')], true, 'go'],
  ];
  for (const [name, call, hold, calls, available, expected] of cases) {
    it(name, () => expect(code(holdDecision(call, hold, calls, available))).toBe(expected));
  }
});

describe('hotkeyTarget and engagedCall', () => {
  const target = (command: PhoneCommand, calls: CallState[]) => hotkeyTarget(command, calls, engagedCall(calls));

  it('answer and reject act on the ringing call', () => {
    expect(target({ kind: 'answer' }, [open('a', 'held'), ringing('r')])).toEqual({ action: 'accept', callId: 'r' });
    expect(target({ kind: 'reject' }, [ringing('r')])).toEqual({ action: 'reject', callId: 'r' });
    expect(target({ kind: 'answer' }, [open('a')])).toBeNull();
  });

  it('hang up and mute act on the call not on hold, else the held one', () => {
    expect(target({ kind: 'hangUp' }, [open('a', 'held'), open('b')])).toEqual({ action: 'hangUp', callId: 'b' });
    expect(target({ kind: 'hangUp' }, [open('a', 'held')])).toEqual({ action: 'hangUp', callId: 'a' });
    expect(target({ kind: 'mute' }, [open('a', 'off', true)])).toEqual({ action: 'mute', callId: 'a', muted: false });
    expect(target({ kind: 'mute' }, [dialing('a')])).toBeNull();
    expect(target({ kind: 'hangUp' }, [wrapUp('a')])).toBeNull();
  });

  it('two calls ringing: the hotkeys, the tray (the report names its call) and the window keys all act on the one that rang first', () => {
    const calls = [wrapUp('w'), ringing('first'), ringing('second')];
    expect(ringingKeysTarget(calls)?.id).toBe('first');
    expect(target({ kind: 'answer' }, calls)).toEqual({ action: 'accept', callId: 'first' });
    expect(target({ kind: 'reject' }, calls)).toEqual({ action: 'reject', callId: 'first' });
    expect(focusCall(calls)?.id).toBe('first');
    // Once the first stops ringing the keys move on to the next.
    expect(ringingKeysTarget([open('first'), ringing('second')])?.id).toBe('second');
  });

  it('leaves showing the window to the UI (dispositions never reach the engine: main owns them)', () => {
    expect(target({ kind: 'showWindow' }, [ringing('r')])).toBeNull();
  });
});
