import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startOpenAiStub, textReply, toolReply, type OpenAiStub } from '../../../test/support/openai-stub';
import { AiClientError, createAiClient } from './openai-client';

let stub: OpenAiStub;
beforeAll(async () => {
  stub = await startOpenAiStub();
});
afterAll(() => stub.stop());

const bookTool = {
  name: 'book_appointment',
  description: 'Book an appointment for the caller',
  parameters: { type: 'object', properties: { startsAt: { type: 'string' } }, required: ['startsAt'], additionalProperties: false },
};

describe('OpenAI-compatible client against a loopback stub', () => {
  it('sends the tool-calling wire format and parses tool calls', async () => {
    const client = createAiClient({ baseUrl: `${stub.baseUrl}/`, model: 'gpt-test', apiKey: 'sk-secret-123' });
    stub.enqueue(toolReply([{ id: 'call_1', name: 'book_appointment', arguments: { startsAt: '2026-12-08T10:00:00Z' } }]));
    const completion = await client.complete({ messages: [{ role: 'system', content: 'You are the front desk.' }, { role: 'user', content: 'Book me Tuesday at ten' }], tools: [bookTool], temperature: 0 });

    const sent = stub.requests.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-secret-123');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({
      model: 'gpt-test',
      messages: [{ role: 'system', content: 'You are the front desk.' }, { role: 'user', content: 'Book me Tuesday at ten' }],
      tools: [{ type: 'function', function: bookTool }],
      tool_choice: 'auto',
      temperature: 0,
    });
    expect(completion.finishReason).toBe('tool_calls');
    expect(completion.toolCalls).toEqual([{ id: 'call_1', name: 'book_appointment', arguments: { startsAt: '2026-12-08T10:00:00Z' } }]);
    expect(completion.message.tool_calls?.[0]?.function.name).toBe('book_appointment');

    // The tool's result goes back as a `tool` message answering the call id.
    stub.enqueue(textReply('You are booked for Tuesday at ten.'));
    const next = await client.complete({
      messages: [{ role: 'user', content: 'Book me Tuesday at ten' }, completion.message, { role: 'tool', tool_call_id: 'call_1', content: '{"booked":true}' }],
      tools: [bookTool],
      toolChoice: { name: 'book_appointment' },
    });
    expect(next.content).toBe('You are booked for Tuesday at ten.');
    const second = stub.requests.at(-1)!.body as { messages: unknown[]; tool_choice: unknown };
    expect(second.messages[1]).toEqual({ role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'book_appointment', arguments: '{"startsAt":"2026-12-08T10:00:00Z"}' } }] });
    expect(second.messages[2]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '{"booked":true}' });
    expect(second.tool_choice).toEqual({ type: 'function', function: { name: 'book_appointment' } });
  });

  it('asks for structured output and validates it', async () => {
    const client = createAiClient({ baseUrl: stub.baseUrl, model: 'gpt-test' });
    stub.enqueue(textReply('{"email":"ana@example.com"}'));
    const schema = { type: 'object', properties: { email: { type: ['string', 'null'] } }, required: ['email'], additionalProperties: false };
    const value = await client.completeJson({ messages: [{ role: 'user', content: 'x' }] }, 'fields', schema, z.object({ email: z.string().nullable() }));
    expect(value).toEqual({ email: 'ana@example.com' });
    const sent = stub.requests.at(-1)!;
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'fields', schema, strict: true } });

    stub.enqueue(textReply('{"email": 42}'));
    await expect(client.completeJson({ messages: [{ role: 'user', content: 'x' }] }, 'fields', schema, z.object({ email: z.string().nullable() }))).rejects.toMatchObject({ kind: 'invalid_response' });
  });

  it('reports HTTP errors without the key, bad bodies, bad arguments and timeouts', async () => {
    const client = createAiClient({ baseUrl: stub.baseUrl, model: 'gpt-test', apiKey: 'sk-secret-123', timeoutMs: 300 });
    const ask = () => client.complete({ messages: [{ role: 'user', content: 'hi' }] });

    stub.enqueue({ status: 401, json: { error: { message: 'Incorrect API key provided: sk-secret-123' } } });
    const unauthorised = await ask().catch((e: unknown) => e);
    expect(unauthorised).toBeInstanceOf(AiClientError);
    expect(unauthorised).toMatchObject({ kind: 'http', status: 401 });
    expect((unauthorised as Error).message).not.toContain('sk-secret-123');

    stub.enqueue({ status: 200, text: 'not json' });
    await expect(ask()).rejects.toMatchObject({ kind: 'invalid_response' });
    stub.enqueue({ json: { choices: [] } });
    await expect(ask()).rejects.toMatchObject({ kind: 'invalid_response' });
    stub.enqueue({ json: { choices: [{ message: { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'x', arguments: '{oops' } }] }, finish_reason: 'tool_calls' }] } });
    await expect(ask()).rejects.toMatchObject({ kind: 'invalid_arguments' });
    stub.enqueue({ hang: true });
    await expect(ask()).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('reports an unreachable endpoint as a network error', async () => {
    const client = createAiClient({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm', timeoutMs: 5000 });
    await expect(client.complete({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ kind: 'network' });
  });
});
