import { describe, expect, it } from 'vitest';
import { incomingCall, outgoingCall, type CallEvent, type CallState } from './call-machine';
import { cancelEvent, endingEvents, SdkCallTracker, toCallError, type PendingEnd } from './call-tracker';
import { settle } from './testing/deferred';
import { FakeCall } from './testing/fake-sdk';

const AT = 1_000;
const gatewayError = { code: 31005, message: 'Connection error' };
const pending = (over: Partial<PendingEnd> = {}): PendingEnd => ({ errors: [], disconnected: false, transportClosed: false, ...over });

describe('endingEvents: what one turn of SDK events means', () => {
  const cases: Array<{ name: string; pending: PendingEnd; call: { localHangup: boolean; live: boolean; sdkClosed: boolean }; expected: CallEvent[] }> = [
    { name: 'a disconnect we asked for', pending: pending({ disconnected: true }), call: { localHangup: true, live: true, sdkClosed: true }, expected: [{ type: 'disconnected', at: AT, by: 'local', error: null }] },
    { name: 'a disconnect from the far end', pending: pending({ disconnected: true }), call: { localHangup: false, live: true, sdkClosed: true }, expected: [{ type: 'disconnected', at: AT, by: 'remote', error: null }] },
    {
      name: 'error then disconnect (a gateway hangup): the last error goes with it',
      pending: pending({ disconnected: true, errors: [{ code: 1, message: 'first' }, toCallError(gatewayError)] }),
      call: { localHangup: false, live: true, sdkClosed: true },
      expected: [{ type: 'disconnected', at: AT, by: 'remote', error: { code: 31005, message: 'Connection error' } }],
    },
    {
      name: 'a closed live call with no disconnect (a lost socket): failed',
      pending: pending({ transportClosed: true }),
      call: { localHangup: false, live: true, sdkClosed: true },
      expected: [{ type: 'failed', at: AT, error: { code: null, message: 'The connection to the call was lost' } }],
    },
    {
      name: 'a closed live call with an error and no disconnect: failed with that error',
      pending: pending({ errors: [toCallError(gatewayError)] }),
      call: { localHangup: false, live: true, sdkClosed: true },
      expected: [{ type: 'failed', at: AT, error: toCallError(gatewayError) }],
    },
    {
      name: 'errors on a call still up are not fatal: each is shown',
      pending: pending({ errors: [{ code: 31201, message: 'a' }, { code: 53405, message: 'b' }] }),
      call: { localHangup: false, live: true, sdkClosed: false },
      expected: [
        { type: 'error', at: AT, error: { code: 31201, message: 'a' } },
        { type: 'error', at: AT, error: { code: 53405, message: 'b' } },
      ],
    },
    { name: 'a transport close on a call already over: nothing', pending: pending({ transportClosed: true }), call: { localHangup: false, live: false, sdkClosed: true }, expected: [] },
  ];
  for (const c of cases) {
    it(c.name, () => expect(endingEvents(c.pending, c.call, AT)).toEqual(c.expected));
  }
});

describe('cancelEvent', () => {
  it('is the caller giving up, unless we sent the call on', () => {
    expect(cancelEvent(null, AT)).toEqual({ type: 'canceled', at: AT });
    expect(cancelEvent('voicemail', AT)).toEqual({ type: 'rejected', at: AT, reason: 'voicemail' });
  });
});

describe('toCallError', () => {
  it('keeps a numeric code and the best message', () => {
    expect(toCallError({ code: 31005, message: '', description: 'Gateway' })).toEqual({ code: 31005, message: 'Gateway' });
    expect(toCallError({})).toEqual({ code: null, message: 'The call failed' });
    expect(toCallError('boom')).toEqual({ code: null, message: 'boom' });
  });
});

/** A tracker over one call whose state the test holds, recording what it applies. */
function rig(initial: CallState) {
  let state: CallState | undefined = initial;
  const applied: CallEvent[] = [];
  let evidence = 0;
  const logs: string[] = [];
  const tracker = new SdkCallTracker({
    now: () => AT,
    find: (id) => (state?.id === id ? state : undefined),
    apply: (_id, event) => applied.push(event),
    evidence: () => evidence++,
    log: (m) => logs.push(m),
  });
  return {
    tracker,
    applied,
    logs,
    evidence: () => evidence,
    setState: (next: CallState | undefined) => {
      state = next;
    },
  };
}

const ringingCall = (id = 'c1') => incomingCall({ id, from: '+13105550100', to: 'client:me', callSid: 'CA1', customParameters: {}, at: 0 });
const sdkIncoming = () => new FakeCall('INCOMING', { CallSid: 'CA1', From: '+13105550100', To: 'client:me' });

describe('SdkCallTracker', () => {
  it('turns SDK call events into call-machine events, with evidence for the watchdog', () => {
    const r = rig(ringingCall());
    const sdk = sdkIncoming();
    r.tracker.track('c1', sdk);
    sdk.edgeAnswer();
    sdk.warning('high-rtt');
    sdk.warningCleared('high-rtt');
    sdk.mute(true);
    sdk.reconnecting();
    sdk.reconnected();
    expect(r.applied.map((e) => e.type)).toEqual(['accepted', 'warning', 'warning-cleared', 'mute-changed', 'reconnecting', 'reconnected']);
    expect(r.applied[0]).toEqual({ type: 'accepted', at: AT, callSid: 'CA1' });
    expect(r.evidence()).toBe(2); // accept, reconnected
  });

  it('keeps one record per call: the reject reason and the local hangup travel with the call', async () => {
    const r = rig(ringingCall());
    const sdk = sdkIncoming();
    r.tracker.track('c1', sdk);
    r.tracker.setRejectReason('c1', 'voicemail');
    sdk.edgeCancel();
    expect(r.applied).toEqual([{ type: 'rejected', at: AT, reason: 'voicemail' }]);
    expect(r.tracker.idOf(sdk)).toBe('c1');
    r.tracker.forget('c1');
    expect(r.tracker.has('c1')).toBe(false);
    expect(r.tracker.idOf(sdk)).toBeUndefined();
    expect(r.tracker.sdkCall('c1')).toBeUndefined();
  });

  it('a reject with no reason recorded is the user’s', () => {
    const r = rig(ringingCall());
    const sdk = sdkIncoming();
    r.tracker.track('c1', sdk);
    sdk.reject();
    expect(r.applied).toEqual([{ type: 'rejected', at: AT, reason: 'user' }]);
  });

  it('collects an ending over one turn and decides once (error then disconnect)', async () => {
    const r = rig(ringingCall());
    const sdk = sdkIncoming();
    r.tracker.track('c1', sdk);
    sdk.edgeAnswer();
    r.applied.length = 0;
    sdk.edgeHangup(gatewayError);
    expect(r.applied).toEqual([]);
    await settle();
    expect(r.applied).toEqual([{ type: 'disconnected', at: AT, by: 'remote', error: toCallError(gatewayError) }]);
  });

  it('a hangup marked local is reported as local', async () => {
    const r = rig(ringingCall());
    const sdk = sdkIncoming();
    r.tracker.track('c1', sdk);
    sdk.edgeAnswer();
    r.applied.length = 0;
    r.tracker.markLocalHangup('c1');
    sdk.disconnect();
    await settle();
    expect(r.applied).toEqual([{ type: 'disconnected', at: AT, by: 'local', error: null }]);
  });

  it('an ending collected for a call forgotten meanwhile is dropped', async () => {
    const r = rig(ringingCall());
    const sdk = sdkIncoming();
    r.tracker.track('c1', sdk);
    sdk.edgeAnswer();
    r.applied.length = 0;
    sdk.edgeHangup();
    r.tracker.forget('c1');
    await settle();
    expect(r.applied).toEqual([]);
  });

  it('release stops listening and hands back the SDK call; the record stays until forgotten', () => {
    const r = rig(ringingCall());
    const sdk = sdkIncoming();
    r.tracker.track('c1', sdk);
    expect(sdk.listenerCount('accept')).toBe(1);
    expect(r.tracker.release('c1')).toBe(sdk);
    expect(sdk.listenerCount('accept')).toBe(0);
    expect(r.tracker.sdkCall('c1')).toBeUndefined();
    expect(r.tracker.has('c1')).toBe(true);
    sdk.edgeAnswer();
    expect(r.applied).toEqual([]);
  });

  it('a record can exist before its SDK call (hung up while dialing)', () => {
    const r = rig(outgoingCall({ id: 'c1', from: '+1', to: '+2', callSid: null, customParameters: {}, at: 0 }));
    r.tracker.markLocalHangup('c1');
    expect(r.tracker.has('c1')).toBe(true);
    expect(r.tracker.sdkCall('c1')).toBeUndefined();
  });

  it('ends live calls the SDK closed silently, and only those', () => {
    const r = rig(ringingCall());
    const sdk = sdkIncoming();
    r.tracker.track('c1', sdk);
    r.tracker.endDeadCalls([ringingCall()]);
    expect(r.applied).toEqual([]);
    sdk.dieSilently();
    r.tracker.endDeadCalls([ringingCall()]);
    expect(r.applied).toEqual([{ type: 'failed', at: AT, error: { code: null, message: 'The call was lost while the computer was asleep or offline' } }]);
  });

  it('disconnectAll hangs up every call that is up, as local, and leaves pending and closed ones', async () => {
    const r = rig(ringingCall());
    const up = sdkIncoming();
    const pendingCall = sdkIncoming();
    const closed = sdkIncoming();
    r.tracker.track('c1', up);
    r.tracker.track('c2', pendingCall);
    r.tracker.track('c3', closed);
    up.edgeAnswer();
    closed.edgeAnswer();
    closed.dieSilently();
    r.applied.length = 0;
    r.tracker.disconnectAll();
    expect([up.status(), pendingCall.status(), closed.status()]).toEqual(['closed', 'pending', 'closed']);
    await settle();
    expect(r.applied).toEqual([{ type: 'disconnected', at: AT, by: 'local', error: null }]);
  });
});
