import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CloudError, createCloudClient } from './cloud-client';

/** A cloud that never answers: the request ends only when its signal aborts it. */
const silentCloud: typeof fetch = (_url, init) =>
  new Promise((_resolve, reject) => {
    init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
  });

describe('the cloud client’s time limits', () => {
  it('gives up on a silent cloud after the client’s limit, or a route’s own when the call names one', async () => {
    const api = createCloudClient({ baseUrl: 'http://127.0.0.1:9', fetch: silentCloud, timeoutMs: 60_000 });
    const quick = createCloudClient({ baseUrl: 'http://127.0.0.1:9', fetch: silentCloud, timeoutMs: 20 });
    await expect(quick.call('token', 'GET', '/v1/me', undefined, z.unknown())).rejects.toMatchObject({ code: 'TIMEOUT', message: 'The cloud did not answer in time.' });
    const named = api.call('token', 'POST', '/v1/ai/write', { channel: 'sms', prompt: 'Hi' }, z.unknown(), { timeoutMs: 20 });
    await expect(named).rejects.toBeInstanceOf(CloudError);
    await expect(named).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});
