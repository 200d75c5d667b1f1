import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventLog } from '../events/event-log';
import { WebhookClient } from './webhook-client';

describe('WebhookClient', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A loopback receiver that records the order callbacks arrive in. */
  async function receiver(): Promise<{ url: string; received: string[] }> {
    const received: string[] = [];
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(new URLSearchParams(body).get('CallStatus') ?? '');
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/status`, received };
  }

  it('a spent failure fault does not hide the next one for the same URL', async () => {
    const { url } = await receiver();
    const client = new WebhookClient('token', new EventLog(), 1);
    client.addFault({ urlIncludes: '/status', failTimes: 1 });
    expect((await client.send(url, 'POST', {})).status).toBe(500);
    expect((await client.send(url, 'POST', {})).status).toBe(204);
    client.addFault({ urlIncludes: '/status', failTimes: 1 });
    expect((await client.send(url, 'POST', {})).status).toBe(500);
    expect((await client.send(url, 'POST', {})).status).toBe(204);
  });

  it('sends callbacks only once beforeCallback settles', async () => {
    const { url, received } = await receiver();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const client = new WebhookClient('token', new EventLog(), 10, () => held);
    const sent = [client.callback(url, 'POST', { CallStatus: 'in-progress' }), client.callback(url, 'POST', { CallStatus: 'completed' })];
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual([]);
    release();
    const results = await Promise.all(sent);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    // Sent concurrently, as before: the receiver orders them by SequenceNumber, as with Twilio.
    expect(received.sort()).toEqual(['completed', 'in-progress']);
  });

  it('sends voice-URL requests at once: only callbacks wait', async () => {
    const { url, received } = await receiver();
    const client = new WebhookClient('token', new EventLog(), 10, () => new Promise<void>(() => undefined));
    const result = await client.send(url, 'POST', { CallStatus: 'ringing' });
    expect(result.ok).toBe(true);
    expect(received).toEqual(['ringing']);
  });
});
