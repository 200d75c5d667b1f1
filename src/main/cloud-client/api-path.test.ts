import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { isSafeApiPath } from './api-path';
import { CloudError, createCloudClient } from './cloud-client';

describe('ids in the cloud client’s URL paths', () => {
  it.each(['/v1/me', '/v1/calls/call_3f2a9c/hold', '/v1/2fa/users/usr_demo_jordan/status', '/v1/sync/pull?cursor=0&limit=5000', '/v1/2fa/challenges/ch-1/verify', '/v1/reports/calls.csv?from=2025-01-01'])(
    'sends %s',
    (path) => expect(isSafeApiPath(path)).toBe(true),
  );

  it.each([
    '/v1/calls/../hold',
    '/v1/calls/./hold',
    '/v1/calls/%2e%2e/hold',
    '/v1/calls/%2E%2E/hold',
    '/v1/calls/a%2Fb/hold',
    '/v1/calls//hold',
    '/v1/calls/a.b/hold',
    '/v1/reports/calls.csv/x',
    '/v1/reports/calls..csv',
    '/v1/reports/.csv',
    '/v1/reports/calls.CSV%00',
    '/v1/calls/a b/hold',
    '/v1/calls/x#frag',
    '/v1/calls/\u202Eevil/hold',
    `/v1/calls/${'a'.repeat(65)}/hold`,
    '/v2/calls/c1',
    'v1/calls',
    '//evil.example/v1/me',
    '/v1',
    '/v1/',
  ])('never sends %s', (path) => expect(isSafeApiPath(path)).toBe(false));

  it('refuses such a path before anything reaches the network, as a non-retryable error', async () => {
    const fetch = vi.fn();
    const api = createCloudClient({ baseUrl: 'https://cloud.example', fetch });
    const attempt = api.call('token', 'POST', `/v1/calls/${encodeURIComponent('..')}/hold`, { hold: true }, z.unknown());
    await expect(attempt).rejects.toBeInstanceOf(CloudError);
    await expect(attempt).rejects.toMatchObject({ status: 400, code: 'INVALID_ID', retryable: false });
    expect(fetch).not.toHaveBeenCalled();
  });
});
