import { describe, expect, it, vi } from 'vitest';
import { createSignalingMonitor, installSignalingMonitor, isSignalingUrl, parseInvite, type SignalingEvent } from './signaling-monitor';

/** A WebSocket with the network in the test's hands (happy-dom's EventTarget). */
class FakeWebSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly url: string;
  readyState = FakeWebSocket.CONNECTING;
  readonly sent: string[] = [];
  readonly protocols: string | string[] | undefined;

  constructor(url: string | URL, protocols?: string | string[]) {
    super();
    this.url = String(url);
    this.protocols = protocols;
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.dispatchEvent(new Event('close'));
  }
  // The far end:
  serverOpen(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }
  serverSend(data: string): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

function setup() {
  let now = 1_000;
  const target = { WebSocket: FakeWebSocket as unknown as typeof WebSocket };
  const monitor = installSignalingMonitor(target, () => now)!;
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
