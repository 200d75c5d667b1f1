import Fastify from 'fastify';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { CloudContext } from '../context';
import { redactUrl, SecretPathParams } from '../logging';
import { ApiRouter } from './router';

describe('ApiRouter: secret path parameters', () => {
  const setUp = () => {
    const secrets = new SecretPathParams();
    return { secrets, router: new ApiRouter(Fastify(), {} as CloudContext, secrets) };
  };
  const handler = async () => ({});

  it('a public route with path parameters must say which are secrets', () => {
    const { router } = setUp();
    expect(() => router.add({ method: 'GET', url: '/p/:token', tag: 't', summary: 's', access: 'public', params: z.object({ token: z.string() }), handler })).toThrow(
      'GET /p/:token is public and has path parameters: declare which are secrets (secretParams; [] for none)',
    );
    expect(() => router.add({ method: 'GET', url: '/q/:token', tag: 't', summary: 's', access: 'public', params: z.object({ token: z.string() }), secretParams: ['tokne'], handler })).toThrow(
      'secretParams names tokne, not a path parameter of it',
    );
  });

  it('declared secrets reach the logger’s list; “none” and signed-in routes add nothing', () => {
    const { router, secrets } = setUp();
    router.add({ method: 'GET', url: '/p/:token/:name', tag: 't', summary: 's', access: 'public', params: z.object({ token: z.string(), name: z.string() }), secretParams: ['token'], handler });
    router.add({ method: 'GET', url: '/pages/:slug', tag: 't', summary: 's', access: 'public', params: z.object({ slug: z.string() }), secretParams: [], handler });
    router.add({ method: 'GET', url: '/v1/things/:id', tag: 't', summary: 's', access: 'user', params: z.object({ id: z.string() }), handler });
    expect(redactUrl('/p/s3cr3t/file.pdf', secrets)).toBe('/p/[redacted]/file.pdf');
    expect(redactUrl('/pages/about', secrets)).toBe('/pages/about');
    expect(redactUrl('/v1/things/thing_1', secrets)).toBe('/v1/things/thing_1');
  });
});
