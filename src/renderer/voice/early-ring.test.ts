import { describe, expect, it } from 'vitest';
import { incomingCall, type CallState } from './call-machine';
import { arrivalAction } from './early-ring';

const ringing = incomingCall({ id: 'c1', from: '+13105550100', to: 'client:u', callSid: 'CA1', customParameters: {}, at: 0 });
const inPhase = (name: 'connecting' | 'done'): CallState =>
  name === 'done' ? { ...ringing, phase: { name: 'done', ending: { kind: 'rejected', reason: 'user' }, connectedAt: null, endedAt: 1 } } : { ...ringing, phase: { name: 'connecting', remoteRinging: false } };

describe('arrivalAction: what the SDK Call must do when it comes for a call already ringing from its invite', () => {
  it.each([
    ['still ringing', ringing, 'pending', 'ring'],
    ['answered meanwhile', inPhase('connecting'), 'pending', 'accept'],
    ['rejected meanwhile', inPhase('done'), 'pending', 'reject'],
    ['gone from the state', undefined, 'pending', 'reject'],
    ['canceled by the caller before incoming', ringing, 'closed', 'canceled'],
    ['answered, but the caller gave up first', inPhase('connecting'), 'closed', 'canceled'],
  ] as const)('%s → %s', (_name, call, status, action) => {
    expect(arrivalAction(call, status)).toBe(action);
  });
});
