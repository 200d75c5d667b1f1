import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import type { TokenCheck } from '../auth/access-token';
import { EventLog } from '../events/event-log';
import { DeviceSession, type SessionHooks } from './device-session';

class FakeSocket extends EventEmitter {
  sent: string[] = [];
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.emit('close');
  }
  terminate(): void {
    this.emit('close');
  }
  frames(): Array<{ type: string; payload: Record<string, unknown> }> {
    return this.sent.filter((s) => s !== '\n').map((s) => JSON.parse(s) as { type: string; payload: Record<string, unknown> });
  }
  client(type: string, payload: unknown): void {
    this.emit('message', Buffer.from(JSON.stringify({ type, version: '1.6', payload })), false);
  }
}

const good: TokenCheck = { ok: true, token: { identity: 'ana', accountSid: 'AC1', apiKeySid: 'SK1', expiresAt: Date.now() + 3_600_000, incomingAllowed: true, outgoingApplicationSid: null, outgoingParams: {} } };

function setup(check: TokenCheck = good) {
  const socket = new FakeSocket();
  const events = new EventLog();
  const onCallFrame = vi.fn<SessionHooks['onCallFrame']>();
  const session = new DeviceSession(socket as unknown as WebSocket, { verifyToken: () => check, onCallFrame, onRegistrationChange: () => undefined, onClosed: () => undefined }, events, { heartbeatMs: 5000 });
  return { socket, session, events, frames: onCallFrame };
}

describe('DeviceSession', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('answers listen with identity and ttl, and every register (the 30 s re-register) with ready', () => {
    const { socket, session } = setup();
    socket.client('listen', { token: 'jwt', browserinfo: {}, reconnectTimeout: 0 });
    socket.client('register', { media: { audio: true } });
    socket.client('register', { media: { audio: true } });
    const frames = socket.frames();
    expect(frames.map((f) => f.type)).toEqual(['connected', 'ready', 'ready']);
    expect(frames[0]!.payload.token).toMatchObject({ identity: 'ana' });
    expect((frames[0]!.payload.token as { ttl: number }).ttl).toBeGreaterThan(3590);
    expect(session.reachable).toBe(true);
    socket.client('register', { media: { audio: false } });
    expect(socket.frames().at(-1)!.type).toBe('offline');
    expect(session.reachable).toBe(false);
  });

  it('sends heartbeats every period until stopped', () => {
    const { socket, session } = setup();
    vi.advanceTimersByTime(15_000);
    expect(socket.sent.filter((s) => s === '\n')).toHaveLength(3);
    session.heartbeatsStopped = true;
    vi.advanceTimersByTime(15_000);
    expect(socket.sent.filter((s) => s === '\n')).toHaveLength(3);
    session.close();
  });

  it('rejects a bad token with its code and refuses register and call frames before listen', () => {
    const { socket, frames } = setup({ ok: false, code: 31205, message: 'JWT Token Expired' });
    socket.client('register', { media: { audio: true } });
    socket.client('listen', { token: 'jwt' });
    socket.client('hangup', { callsid: 'CA1' });
    expect(socket.frames().map((f) => (f.payload.error as { code: number }).code)).toEqual([31204, 31205, 31204]);
    expect(frames.mock.calls).toHaveLength(0);
  });

  it('expires the token at its exp with 31205 and logs invalid frames', () => {
    const { socket, events } = setup({ ...good, token: { ...good.token, expiresAt: Date.now() + 10_000 } } as TokenCheck);
    socket.client('listen', { token: 'jwt' });
    vi.advanceTimersByTime(10_001);
    expect(socket.frames().at(-1)).toMatchObject({ type: 'error', payload: { error: { code: 31205 } } });
    socket.emit('message', Buffer.from('{not json'), false);
    socket.client('answer', { nosdp: true });
    expect(events.all((e) => e.type === 'signal.invalid')).toHaveLength(2);
  });
});
