import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BRIDGE_MAX_IN_FLIGHT } from '../../shared/ipc';
import { createSocketBridge } from './socket-bridge';

/** A WebSocket the test drives: it records what the page sent and delivers what the host "answers". */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static all: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  sent: { id: number; channel: string }[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(frame: string) {
    this.sent.push(JSON.parse(frame) as { id: number; channel: string });
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  answer(id: number) {
    this.onmessage?.({ data: JSON.stringify({ type: 'result', id, result: { ok: true, value: { id } } }) });
  }
  drop() {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.();
  }
}

const Impl = FakeSocket as unknown as typeof WebSocket;

describe('socket bridge', () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('puts the secret in the socket URL and waits for the socket before sending', async () => {
    const bridge = createSocketBridge('http://127.0.0.1:4000', 's3cret', Impl);
    const socket = FakeSocket.all[0]!;
    expect(socket.url).toBe('ws://127.0.0.1:4000/bridge?secret=s3cret');
    const result = bridge.app.getInfo();
    expect(socket.sent).toHaveLength(0);
    socket.open();
    expect(socket.sent).toMatchObject([{ channel: 'app.getInfo' }]);
    socket.answer(socket.sent[0]!.id);
    await expect(result).resolves.toEqual({ ok: true, value: { id: socket.sent[0]!.id } });
  });

  it(`never has more than ${BRIDGE_MAX_IN_FLIGHT} calls in flight: the rest go out as results come back`, async () => {
    const bridge = createSocketBridge('http://127.0.0.1:4000', 's', Impl);
    const socket = FakeSocket.all[0]!;
    socket.open();
    const calls = Array.from({ length: BRIDGE_MAX_IN_FLIGHT * 3 }, () => bridge.app.getInfo());
    expect(socket.sent).toHaveLength(BRIDGE_MAX_IN_FLIGHT);
    for (let answered = 0; answered < calls.length; answered++) {
      socket.answer(socket.sent[answered]!.id);
      expect(socket.sent.length - (answered + 1)).toBeLessThanOrEqual(BRIDGE_MAX_IN_FLIGHT);
    }
    expect(socket.sent).toHaveLength(calls.length);
    expect((await Promise.all(calls)).every((r) => r.ok)).toBe(true);
  });

  it('resolves calls in flight as UNAVAILABLE when the socket drops, and sends the waiting ones after reconnecting', async () => {
    const bridge = createSocketBridge('http://127.0.0.1:4000', 's', Impl);
    const first = FakeSocket.all[0]!;
    first.open();
    const calls = Array.from({ length: BRIDGE_MAX_IN_FLIGHT + 2 }, () => bridge.app.getInfo());
    first.drop();
    expect(await calls[0]).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    await vi.advanceTimersByTimeAsync(300);
    const second = FakeSocket.all[1]!;
    second.open();
    expect(second.sent).toHaveLength(2);
    for (const frame of second.sent) second.answer(frame.id);
    expect(await calls.at(-1)).toMatchObject({ ok: true });
  });

  it('ignores a frame that is not JSON', () => {
    createSocketBridge('http://127.0.0.1:4000', 's', Impl);
    const socket = FakeSocket.all[0]!;
    socket.open();
    expect(() => socket.onmessage?.({ data: 'not json' })).not.toThrow();
  });
});
