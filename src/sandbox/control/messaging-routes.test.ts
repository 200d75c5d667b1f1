import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../index';
import { WebhookApp } from '../testing/webhook-app';

let sandbox: Sandbox;
let hooks: WebhookApp;

beforeAll(async () => {
  sandbox = await startSandbox();
  hooks = await WebhookApp.start(sandbox.authToken);
});
afterAll(async () => {
  await hooks.close();
  await sandbox.stop();
});

function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const auth = `${sandbox.accountSid}:${sandbox.authToken}`;
    const req = request(new URL(path, sandbox.restBaseUrl), { method, ca: sandbox.caPem, auth, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

describe('messaging control over HTTPS', () => {
  it('adds a number with an SMS webhook, texts it in, scripts outcomes and contacts, lists messages, rejects bad input', async () => {
    hooks.route('/in', '<Response><Message>Got it</Message></Response>');
    expect((await call('POST', '/sandbox/numbers', { phoneNumber: '+15125550100', smsUrl: hooks.url('/in'), whatsapp: true })).status).toBe(200);
    const inbound = await call('POST', '/sandbox/messages/inbound', { from: '+15125559001', to: '+15125550100', body: 'Hello' });
    expect(inbound.status).toBe(200);
    expect(inbound.json).toMatchObject({ webhookStatus: 200, replySids: [expect.stringMatching(/^SM/)] });
    expect((await call('GET', '/sandbox/messages?to=%2B15125559001')).json).toEqual([expect.objectContaining({ body: 'Got it', direction: 'outbound-reply' })]);
    expect((await call('PUT', '/sandbox/message-outcomes/%2B15125559002', { status: 'undelivered', errorCode: 30005 })).status).toBe(200);
    expect((await call('PUT', '/sandbox/contacts/%2B15125559002/script', { replies: [{ body: 'yes' }] })).status).toBe(200);
    const template = await call('POST', '/sandbox/templates', { friendlyName: 'reminder', body: 'See you {{1}}', whatsappStatus: 'pending' });
    expect(template.json).toMatchObject({ sid: expect.stringMatching(/^HX/), whatsapp: { status: 'pending' } });
    const decided = await call('POST', `/sandbox/templates/${(template.json as { sid: string }).sid}/decision`, { status: 'rejected', reason: 'too promotional' });
    expect(decided.json).toMatchObject({ whatsapp: { status: 'rejected', rejectionReason: 'too promotional' } });
    expect((await call('POST', '/sandbox/messages/inbound', { from: 'nope', to: '+15125550100' })).status).toBe(400);
    expect((await call('POST', '/sandbox/messages/inbound', { from: '+15125559001', to: '+15550000000', body: 'x' })).json).toMatchObject({ error: expect.stringMatching(/not a number of this account/) });
    expect((await call('PUT', '/sandbox/message-outcomes/%2B15125559002', { status: 'lost' })).status).toBe(400);
  });
});
