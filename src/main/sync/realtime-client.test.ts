import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServerMessage } from '../../shared/cloud';
import { systemClock } from '../os/system-clock';
import { RealtimeClient, type RealtimeState } from './realtime-client';

/** A tiny realtime server on loopback standing in for the cloud's /v1/realtime. */
async function startServer() {
  const server = createServer();
  const wss = new WebSocketServer({ server });
  const sockets: WebSocket[] = [];
  const tokens: string[] = [];
  wss.on('connection', (ws, req) => {
    tokens.push(req.headers.authorization ?? '');
    sockets.push(ws);
    ws.send(JSON.stringify({ type: 'hello', userId: 'usr_1', cursor: 7 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1/realtime`;
  return {
    url,
    sockets,
    tokens,
    close: () => new Promise<void>((resolve) => {
      for (const s of wss.clients) s.terminate();
      wss.close();
      server.close(() => resolve());
    }),
  };
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function waitFor<T>(predicate: () => T | undefined, label: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      const value = predicate();
      if (value !== undefined && value !== false) return resolve(value);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${label}`));
      setTimeout(check, 10);
    };
    check();
  });
}

describe('RealtimeClient', () => {
  it('connects with a fresh bearer token, delivers validated messages, and reconnects after a drop', async () => {
    const server = await startServer();
    cleanups.push(server.close);
    const messages: ServerMessage[] = [];
    const states: RealtimeState[] = [];
    let n = 0;
    const client = new RealtimeClient({
      url: () => server.url,
      accessToken: async () => `token-${++n}`,
      clock: systemClock,
      random: () => 0,
      onMessage: (m) => messages.push(m),
      onState: (s) => states.push(s),
    });
    cleanups.push(() => client.stop());
    client.start();
    await waitFor(() => messages.length >= 1, 'hello');
    expect(messages[0]).toEqual({ type: 'hello', userId: 'usr_1', cursor: 7 });
    server.sockets[0]!.send('not json');
    server.sockets[0]!.send(JSON.stringify({ type: 'unknown-kind' }));
    server.sockets[0]!.send(JSON.stringify({ type: 'changed', cursor: 8, entities: ['calls'] }));
    await waitFor(() => messages.length >= 2, 'changed');
    expect(messages[1]).toEqual({ type: 'changed', cursor: 8, entities: ['calls'] });

    server.sockets[0]!.terminate();
    await waitFor(() => server.sockets.length >= 2 && messages.length >= 3, 'reconnect');
    expect(server.tokens).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(states).toEqual(['connecting', 'connected', 'disconnected', 'connecting', 'connected']);
  });

  it('treats a silent socket as dead and reconnects', async () => {
    const server = await startServer();
    cleanups.push(server.close);
    let connects = 0;
    const client = new RealtimeClient({
      url: () => server.url,
      accessToken: async () => `t${++connects}`,
      clock: systemClock,
      random: () => 0,
      pingIntervalMs: 50,
      onMessage: () => undefined,
    });
    cleanups.push(() => client.stop());
    client.start();
    // The server never answers pings: after ~2 intervals of silence the client must give up on it.
    await waitFor(() => server.sockets.length >= 2, 'a second connection');
    expect(connects).toBeGreaterThanOrEqual(2);
  });
});
