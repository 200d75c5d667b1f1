import { request, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { answerWaitingRequests } from './waiting-requests';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Keeps this thread busy, as loading the host's modules does. */
function busy(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('answerWaitingRequests', () => {
  it('answers a request made on a new connection while the thread was busy', async () => {
    let answered = false;
    server = createServer((_req, res) => {
      answered = true;
      res.end('page');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const reply = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end();
    });
    // The client's connect and request are sent in this turn; the server's side waits for the loop.
    await new Promise((resolve) => setImmediate(resolve));
    busy(50);
    expect(answered).toBe(false);
    await answerWaitingRequests();
    expect(answered).toBe(true);
    await expect(reply).resolves.toBe('page');
  });
});
