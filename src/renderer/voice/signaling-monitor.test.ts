import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSignalingMonitor, installSignalingMonitor, isSignalingUrl, parseInvite, type SignalingEvent } from './signaling-monitor';
import { FakeWebSocket, inviteFrame, ManualHold } from './testing/fake-websocket';

function setup(hold?: ManualHold) {
  let now = 1_000;
  const target = { WebSocket: FakeWebSocket as unknown as typeof WebSocket };
  const monitor = installSignalingMonitor(target, () => now, hold?.schedule)!;
  const events: SignalingEvent[] = [];
  monitor.subscribe((e) => events.push(e));
  // What wstransport does at module load: capture the global once.
  const Captured = target.WebSocket;
  return {
    target,
    monitor,
    events,
    Captured,
    open: (url: string) => new Captured(url) as unknown as FakeWebSocket,
    tick: (ms: number) => {
      now += ms;
    },
  };
}

describe('signaling monitor', () => {
  it('recognises the SDK signaling URL only', () => {
    expect(isSignalingUrl('wss://127.0.0.1:4443/signal')).toBe(true);
    expect(isSignalingUrl('wss://voice-js.roaming.twilio.com/signal?x=1')).toBe(true);
    expect(isSignalingUrl('ws://127.0.0.1:5000/bridge')).toBe(false);
    expect(isSignalingUrl('wss://example.com/signals')).toBe(false);
    expect(isSignalingUrl('not a url')).toBe(false);
  });

  it('is a transparent subclass: instanceof, statics, name, constructor arguments, send', () => {
    const t = setup();
    expect(t.Captured).not.toBe(FakeWebSocket);
    const socket = t.open('wss://127.0.0.1:4443/signal');
    expect(socket).toBeInstanceOf(FakeWebSocket);
    expect(t.Captured.OPEN).toBe(1);
    expect(t.Captured.CONNECTING).toBe(0);
    expect(t.Captured.name).toBe('FakeWebSocket');
    const withProtocols = new t.Captured('wss://h/signal', ['a', 'b']) as unknown as FakeWebSocket;
    expect(withProtocols.protocols).toEqual(['a', 'b']);
    socket.send('{"type":"listen"}');
    expect(socket.sent).toEqual(['{"type":"listen"}']);
  });

  it('records open, every received frame (heartbeats included) and close of a signaling socket', () => {
    const t = setup();
    expect(t.monitor).toMatchObject({ isOpen: false, lastFrameAt: null, socketsSeen: 0 });
    const socket = t.open('wss://127.0.0.1:4443/signal');
    const sdkSaw: string[] = [];
    socket.addEventListener('message', (e) => sdkSaw.push(String((e as MessageEvent).data)));
    t.tick(10);
    socket.serverOpen();
    expect(t.monitor.isOpen).toBe(true);
    t.tick(40);
    socket.serverSend('{"type":"connected"}');
    expect(t.monitor.lastFrameAt).toBe(1_050);
    t.tick(5_000);
    socket.serverSend('\n');
    expect(t.monitor.lastFrameAt).toBe(6_050);
    expect(sdkSaw).toEqual(['{"type":"connected"}', '\n']); // the SDK still gets every frame, untouched
    socket.close();
    expect(t.monitor.isOpen).toBe(false);
    expect(t.events.map((e) => `${e.type}@${e.at}#${e.socket}`)).toEqual(['open@1010#1', 'frame@1050#1', 'frame@6050#1', 'close@6050#1']);
    expect(t.monitor.socketsSeen).toBe(1);
  });

  it('announces an incoming call from the edge invite frame, after its frame event, the SDK still getting the frame', () => {
    const t = setup();
    const socket = t.open('wss://127.0.0.1:4443/signal');
    const sdkSaw: string[] = [];
    socket.addEventListener('message', (e) => sdkSaw.push(String((e as MessageEvent).data)));
    socket.serverOpen();
    const frame = JSON.stringify({
      type: 'invite',
      version: '1.6',
      payload: { callsid: 'CA1', sdp: 'v=0', parameters: { CallSid: 'CA1', From: '+13105550111', To: 'client:u1', Params: 'callId=call_1&note=Jane+Roe%21&=x&empty' } },
    });
    socket.serverSend(frame);
    expect(t.events.map((e) => e.type)).toEqual(['open', 'frame', 'invite']);
    expect(t.events[2]!.invite).toEqual({ callSid: 'CA1', from: '+13105550111', to: 'client:u1', customParameters: { callId: 'call_1', note: 'Jane Roe!', empty: '' } });
    expect(sdkSaw).toEqual([frame]);
  });

  it('parseInvite: only a well-formed invite announces a call (as the SDK would accept it)', () => {
    const invite = (payload: unknown) => JSON.stringify({ type: 'invite', payload });
    expect(parseInvite(invite({ callsid: 'CA2', sdp: 'v=0' }))).toEqual({ callSid: 'CA2', from: '', to: '', customParameters: {} });
    expect(parseInvite(invite({ callsid: 'CA2' }))).toBeNull(); // no sdp: the SDK calls it malformed
    expect(parseInvite(invite({ sdp: 'v=0' }))).toBeNull();
    expect(parseInvite(JSON.stringify({ type: 'cancel', payload: { callsid: 'CA2', note: 'invite' } }))).toBeNull();
    expect(parseInvite('{"type":"invite",')).toBeNull();
    expect(parseInvite('\n')).toBeNull();
    expect(parseInvite(new ArrayBuffer(4))).toBeNull();
    expect(parseInvite(invite({ callsid: 'CA3', sdp: 'v=0', parameters: { Params: 'bad=%E0%A4%A' } }))?.customParameters).toEqual({ bad: '%E0%A4%A' });
  });

  it('keeps isOpen while a new socket is open and the old one closes (a repair)', () => {
    const t = setup();
    const old = t.open('wss://h/signal');
    old.serverOpen();
    const fresh = t.open('wss://h/signal');
    fresh.serverOpen();
    old.close();
    expect(t.monitor.isOpen).toBe(true);
    expect(t.events.map((e) => `${e.type}#${e.socket}`)).toEqual(['open#1', 'open#2', 'close#1']);
  });

  it('leaves every other socket alone: no listener added, nothing recorded', () => {
    const t = setup();
    const spy = vi.spyOn(FakeWebSocket.prototype, 'addEventListener');
    const bridge = t.open('ws://127.0.0.1:5000/bridge');
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    bridge.serverOpen();
    bridge.serverSend('hello');
    bridge.close();
    expect(t.events).toEqual([]);
    expect(t.monitor).toMatchObject({ isOpen: false, lastFrameAt: null, socketsSeen: 0 });
  });

  it('a throwing subscriber does not disturb the socket or other subscribers', () => {
    const t = setup();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    t.monitor.subscribe(() => {
      throw new Error('boom');
    });
    const socket = t.open('wss://h/signal');
    const sdkSaw: string[] = [];
    socket.addEventListener('message', (e) => sdkSaw.push(String((e as MessageEvent).data)));
    socket.serverOpen();
    socket.serverSend('\n');
    expect(sdkSaw).toEqual(['\n']);
    expect(t.events.map((e) => e.type)).toEqual(['open', 'frame']);
    expect(errors).toHaveBeenCalled();
    errors.mockRestore();
  });

  it('installs once (a second install returns the same monitor) and not at all without a WebSocket', () => {
    const t = setup();
    const before = t.target.WebSocket;
    expect(installSignalingMonitor(t.target)).toBe(t.monitor);
    expect(t.target.WebSocket).toBe(before);
    expect(installSignalingMonitor({})).toBeNull();
  });

  it('unsubscribe stops the events', () => {
    const t = setup();
    const seen: string[] = [];
    const off = t.monitor.subscribe((e) => seen.push(e.type));
    const socket = t.open('wss://h/signal');
    socket.serverOpen();
    off();
    socket.serverSend('\n');
    expect(seen).toEqual(['open']);
  });

  it('createSignalingMonitor leaves globals untouched', () => {
    const before = globalThis.WebSocket;
    const { WebSocket: Monitored } = createSignalingMonitor(FakeWebSocket as unknown as typeof WebSocket);
    expect(Monitored).not.toBe(before);
    expect(globalThis.WebSocket).toBe(before);
  });
});

describe('signaling monitor: our frame first (the SDK handles an invite after the ringing panel is painted)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A signaling socket with the SDK's listeners added after it was created, as wstransport does. */
  function withSdk(hold: ManualHold) {
    const t = setup(hold);
    const socket = t.open('wss://127.0.0.1:4443/signal');
    const sdkSaw: string[] = [];
    const onMessage = (e: Event) => sdkSaw.push(String((e as MessageEvent).data));
    socket.addEventListener('open', () => sdkSaw.push('open'));
    socket.addEventListener('message', onMessage);
    socket.addEventListener('close', () => sdkSaw.push('close'));
    socket.serverOpen();
    return { ...t, socket, sdkSaw, onMessage };
  }
  const invite = inviteFrame('CA1', '+13105550111', 'client:u1');

  it('the monitor announces the invite at once; the SDK gets it only after the paint', () => {
    const hold = new ManualHold();
    const t = withSdk(hold);
    t.socket.serverSend(invite);
    expect(t.events.map((e) => e.type)).toEqual(['open', 'frame', 'invite']);
    expect(t.sdkSaw).toEqual(['open']);
    expect(hold.holding).toBe(true);
    hold.paint();
    expect(t.sdkSaw).toEqual(['open', invite]);
    t.socket.serverSend('\n');
    expect(t.sdkSaw).toEqual(['open', invite, '\n']); // straight through again
  });

  it('frames and a close received meanwhile reach the SDK after the invite, in order, once each, one per task', () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const hold = new ManualHold();
    const t = withSdk(hold);
    const cancel = JSON.stringify({ type: 'cancel', payload: { callsid: 'CA1' } });
    t.socket.serverSend(invite);
    t.socket.serverSend('\n');
    t.socket.serverSend(cancel);
    t.socket.close();
    expect(t.events.map((e) => e.type)).toEqual(['open', 'frame', 'invite', 'frame', 'frame', 'close']); // the monitor is never held
    expect(t.sdkSaw).toEqual(['open']);
    hold.paint();
    expect(t.sdkSaw).toEqual(['open', invite]);
    t.socket.serverSend('late'); // queued behind the rest, not overtaking it
    vi.advanceTimersToNextTimer();
    expect(t.sdkSaw).toEqual(['open', invite, '\n']);
    vi.runAllTimers();
    expect(t.sdkSaw).toEqual(['open', invite, '\n', cancel, 'close', 'late']);
  });

  it('a second invite while the first waits for its paint keeps the order; a new hold starts only once released', () => {
    const hold = new ManualHold();
    const t = withSdk(hold);
    const second = inviteFrame('CA2', '+13105550122', 'client:u1');
    t.socket.serverSend(invite);
    t.socket.serverSend(second);
    expect(t.events.filter((e) => e.type === 'invite').map((e) => e.invite?.callSid)).toEqual(['CA1', 'CA2']);
    hold.paint();
    expect(t.sdkSaw).toEqual(['open', invite]);
    expect(hold.holding).toBe(false);
  });

  it('a hidden page (released at once) holds nothing', () => {
    const t = withSdk({ schedule: (release: () => void) => release() } as ManualHold);
    t.socket.serverSend(invite);
    expect(t.sdkSaw).toEqual(['open', invite]);
  });

  it('a listener removed while its frames wait gets none of them (the SDK let the socket go); the others still do', () => {
    const hold = new ManualHold();
    const t = withSdk(hold);
    const other: string[] = [];
    t.socket.addEventListener('message', (e) => other.push(String((e as MessageEvent).data)));
    t.socket.serverSend(invite);
    t.socket.removeEventListener('message', t.onMessage);
    hold.paint();
    expect(t.sdkSaw).toEqual(['open']);
    expect(other).toEqual([invite]);
  });

  it('a held listener is added once, can be removed, and a listener object and `once` work as in the DOM', () => {
    const hold = new ManualHold();
    const t = withSdk(hold);
    t.socket.addEventListener('message', t.onMessage); // a duplicate: ignored
    const handled: string[] = [];
    t.socket.addEventListener('message', { handleEvent: (e: Event) => handled.push(String((e as MessageEvent).data)) });
    const once: string[] = [];
    t.socket.addEventListener('message', (e) => once.push(String((e as MessageEvent).data)), { once: true });
    t.socket.serverSend(invite);
    hold.paint();
    t.socket.serverSend('\n');
    expect(t.sdkSaw).toEqual(['open', invite, '\n']);
    expect(handled).toEqual([invite, '\n']);
    expect(once).toEqual([invite]);
    t.socket.removeEventListener('message', t.onMessage);
    t.socket.serverSend('after');
    expect(t.sdkSaw).toEqual(['open', invite, '\n']);
  });

  it('a held listener that throws is reported; the listeners and frames after it are still delivered', () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const hold = new ManualHold();
    const t = withSdk(hold);
    const reported: unknown[] = [];
    const original = (globalThis as { reportError?: unknown }).reportError;
    (globalThis as { reportError?: unknown }).reportError = (error: unknown) => reported.push(error);
    try {
      t.socket.removeEventListener('message', t.onMessage);
      t.socket.addEventListener('message', () => {
        throw new Error('sdk bug');
      });
      t.socket.addEventListener('message', t.onMessage);
      t.socket.serverSend(invite);
      t.socket.serverSend('\n');
      hold.paint();
      vi.runAllTimers();
      expect(t.sdkSaw).toEqual(['open', invite, '\n']);
      expect(reported).toHaveLength(2);
    } finally {
      (globalThis as { reportError?: unknown }).reportError = original;
    }
  });

  it('listeners added while the socket is being built (before the monitor tracks it) are never held', () => {
    const hold = new ManualHold();
    const seen: string[] = [];
    class Instrumented extends FakeWebSocket {
      constructor(url: string | URL) {
        super(url);
        this.addEventListener('message', (e) => seen.push(String((e as MessageEvent).data)));
      }
    }
    const target = { WebSocket: Instrumented as unknown as typeof WebSocket };
    installSignalingMonitor(target, Date.now, hold.schedule);
    const socket = new target.WebSocket('wss://h/signal') as unknown as FakeWebSocket;
    socket.serverSend(invite);
    expect(seen).toEqual([invite]);
  });
});
