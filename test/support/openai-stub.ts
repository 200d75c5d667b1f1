import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible chat-completions server on loopback for tests: it records every request
 * (headers and parsed body) and answers from a queue of canned replies or a handler. No traffic
 * leaves 127.0.0.1.
 */
export interface StubRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export type StubReply =
  | { status?: number; json: unknown }
  | { status: number; text: string }
  | { hang: true };

export interface OpenAiStub {
  baseUrl: string;
  requests: StubRequest[];
  /** Queue replies (used in order); when empty, `handler` answers. */
  enqueue(...replies: StubReply[]): void;
  handler: (request: StubRequest) => StubReply;
  stop(): Promise<void>;
}

/** A chat completion answering with text. */
export function textReply(content: string): StubReply {
  return { json: { id: 'chatcmpl-stub', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5 } } };
}

/** A chat completion calling tools. */
export function toolReply(calls: Array<{ id: string; name: string; arguments: unknown }>): StubReply {
  return {
    json: {
      id: 'chatcmpl-stub',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) }, finish_reason: 'tool_calls' }],
    },
  };
}

export async function startOpenAiStub(): Promise<OpenAiStub> {
  const queue: StubReply[] = [];
  const requests: StubRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const stub: OpenAiStub = {
    baseUrl: '',
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    handler: () => textReply('(no reply queued)'),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        // recorded as {}: the test's assertions say what was expected
      }
      const request = { path: req.url ?? '', headers: req.headers, body };
      requests.push(request);
      const reply = queue.shift() ?? stub.handler(request);
      if ('hang' in reply) {
        hanging.add(res);
        return;
      }
      if ('text' in reply) {
        res.writeHead(reply.status, { 'content-type': 'text/plain' }).end(reply.text);
        return;
      }
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(reply.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return stub;
}
