import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AI_WRITE_LIMIT } from '../../src/cloud/ai/write';
import { aiWriteResultSchema } from '../../src/shared/cloud/ai-write';
import { problemSchema } from '../../src/shared/cloud/problem';
import { startOpenAiStub, textReply, type OpenAiStub } from '../support/openai-stub';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

afterAll(stopTestPostgres);

const draft = (value: unknown) => textReply(JSON.stringify(value));

describe.each(backends)('Write with AI (POST /v1/ai/write) on %s', (backend) => {
  let stub: OpenAiStub;
  let t: TestCloud;
  let admin: string;
  const expectProblem = (res: { status: number; body: unknown }, status: number, code: string) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(problemSchema.parse(res.body).code).toBe(code);
    return problemSchema.parse(res.body).detail ?? '';
  };

  beforeAll(async () => {
    stub = await startOpenAiStub();
    t = await startTestCloud(backend, { ai: { brain: 'openai', baseUrl: stub.baseUrl, model: 'writer-test', apiKey: 'sk-test-write', timeoutMs: 5_000 } });
    admin = (await t.login('admin')).accessToken;
  });
  afterAll(async () => {
    await t?.stop();
    await stub?.stop();
  });

  it('admins only: a receptionist and a signed-out caller are refused before the AI is asked', async () => {
    const jordan = (await t.login('receptionist')).accessToken;
    const before = stub.requests.length;
    expectProblem(await t.api(jordan, 'POST', '/v1/ai/write', { channel: 'sms', prompt: 'A reminder' }), 403, 'FORBIDDEN');
    expect((await t.api(undefined, 'POST', '/v1/ai/write', { channel: 'sms', prompt: 'A reminder' })).status).toBe(401);
    expectProblem(await t.api(jordan, 'GET', '/v1/ai/write'), 403, 'FORBIDDEN');
    expect((await t.api(admin, 'GET', '/v1/ai/write')).body).toEqual({ available: true, reason: null });
    expect(stub.requests.length).toBe(before);
  });

  it('an email: structured output with subject and body; merge fields the trigger does not offer are removed', async () => {
    stub.enqueue(draft({ subject: '20% off your first HydraFacial, {{contact.first_name}}', body: 'Hi {{contact.first_name}}, book by {{appointment.start_time}} and save 20% on your first HydraFacial. {{account.name}}' }));
    const res = await t.api(admin, 'POST', '/v1/ai/write', {
      channel: 'email', prompt: 'A promotional email offering 20% off a first HydraFacial', tone: 'friendly',
      customValues: ['contact.first_name', 'account.name'],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const result = aiWriteResultSchema.parse(res.body);
    expect(result).toEqual({
      subject: '20% off your first HydraFacial, {{contact.first_name}}',
      body: 'Hi {{contact.first_name}}, book by and save 20% on your first HydraFacial. {{account.name}}',
      removedMergeFields: ['appointment.start_time'],
      model: 'writer-test',
    });
    const sent = stub.requests.at(-1)!;
    expect(sent.headers.authorization).toBe('Bearer sk-test-write');
    expect(sent.body).toMatchObject({ model: 'writer-test', response_format: { type: 'json_schema', json_schema: { name: 'email_draft', strict: true } } });
    const messages = sent.body.messages as Array<{ role: string; content: string }>;
    expect(messages[0]!.content).toContain('{{contact.first_name}}, {{account.name}}');
    expect(messages[0]!.content).toContain('Tone: friendly');
    expect(messages[1]!.content).toBe('A promotional email offering 20% off a first HydraFacial');
  });

  it('an SMS follow-up refines the current text; longer than 1600 characters or a failing endpoint is said plainly', async () => {
    stub.enqueue(draft({ body: 'Hi {{contact.first_name}}, see you tomorrow! Reply C to confirm.' }));
    const ok = await t.api(admin, 'POST', '/v1/ai/write', { channel: 'sms', prompt: 'Make it shorter', currentText: 'Hi {{contact.first_name}}, this is a reminder for your appointment tomorrow.', customValues: ['contact.first_name'] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ subject: null, body: 'Hi {{contact.first_name}}, see you tomorrow! Reply C to confirm.', removedMergeFields: [] });
    const sent = stub.requests.at(-1)!;
    expect(sent.body).toMatchObject({ response_format: { json_schema: { name: 'sms_draft', schema: { properties: { body: { maxLength: 1600 } } } } } });
    expect((sent.body.messages as Array<{ content: string }>)[1]!.content).toMatch(/^Current text:\nHi \{\{contact.first_name\}\}, this is a reminder.*\n\nRewrite it: Make it shorter$/s);

    stub.enqueue(draft({ body: 'x'.repeat(1601) }));
    expect(expectProblem(await t.api(admin, 'POST', '/v1/ai/write', { channel: 'sms', prompt: 'A long one' }), 502, 'AI_REQUEST_FAILED')).toMatch(/1601 characters.*at most 1600/);
    stub.enqueue({ status: 500, json: { error: { message: 'model overloaded' } } });
    const failed = expectProblem(await t.api(admin, 'POST', '/v1/ai/write', { channel: 'sms', prompt: 'A reminder' }), 502, 'AI_REQUEST_FAILED');
    expect(failed).toMatch(/HTTP 500: model overloaded/);
    expect(failed).not.toContain('sk-test-write');
    stub.enqueue(textReply('Sure! Here is your text: Hi there'));
    expectProblem(await t.api(admin, 'POST', '/v1/ai/write', { channel: 'sms', prompt: 'A reminder' }), 502, 'AI_REQUEST_FAILED');

    expectProblem(await t.api(admin, 'POST', '/v1/ai/write', { channel: 'sms', prompt: '   ' }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.api(admin, 'POST', '/v1/ai/write', { channel: 'fax', prompt: 'Hi' }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.api(admin, 'POST', '/v1/ai/write', { channel: 'sms', prompt: 'Hi', customValues: ['{{evil}}'] }), 400, 'VALIDATION_FAILED');
  });

  it(`at most ${AI_WRITE_LIMIT} drafts per practice per window, even when requests race`, async () => {
    await t.cloud.db.query(`DELETE FROM login_throttle WHERE key LIKE 'ai-write:%'`);
    stub.handler = () => draft({ body: 'See you soon!' });
    const results = await Promise.all(Array.from({ length: AI_WRITE_LIMIT + 5 }, () => t.api(admin, 'POST', '/v1/ai/write', { channel: 'sms', prompt: 'A reminder' })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(AI_WRITE_LIMIT);
    for (const r of results.filter((r) => r.status !== 200)) {
      expectProblem(r, 429, 'RATE_LIMITED');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });
});
