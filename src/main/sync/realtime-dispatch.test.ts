import { describe, expect, it } from 'vitest';
import type { IncomingCall, Notification } from '../../shared/cloud';
import { dispatchRealtime } from './realtime-dispatch';

describe('dispatchRealtime', () => {
  it('pulls on hello and changed (with how far the cloud is), alerts and pulls on a notification, pops calls, signs out when revoked', () => {
    const seen: string[] = [];
    const dispatch = dispatchRealtime({
      changed: (cursor) => seen.push(`pull ${cursor ?? 'any'}`),
      incomingCall: (call) => seen.push(`pop ${call.callId}`),
      notification: (n) => seen.push(`alert ${n.id}`),
      sessionRevoked: () => seen.push('sign out'),
    });
    dispatch({ type: 'hello', userId: 'usr_1', cursor: 1 });
    dispatch({ type: 'changed', cursor: 2, entities: ['calls'] });
    dispatch({ type: 'incoming-call', call: { callId: 'call_1' } as IncomingCall });
    dispatch({ type: 'notification', notification: { id: 'n1' } as Notification });
    dispatch({ type: 'pong', at: '2026-11-21T09:00:00Z' });
    dispatch({ type: 'session-revoked' });
    expect(seen).toEqual(['pull 1', 'pull 2', 'pop call_1', 'alert n1', 'pull any', 'sign out']);
  });
});
