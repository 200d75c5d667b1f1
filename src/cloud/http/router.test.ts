import Fastify from 'fastify';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { CloudContext } from '../context';
import { redactUrl, SecretPathParams } from '../logging';
import { errorHandler } from './problem';
import { ApiRouter } from './router';

describe('ApiRouter: secret path parameters', () => {
  const setUp = () => {
    const secrets = new SecretPathParams();
    return { secrets, router: new ApiRouter(Fastify(), {} as CloudContext, secrets) };
  };
  const handler = async () => ({});

  it('a public route with path parameters must say which are secrets', () => {
    const { router } = setUp();
    expect(() => router.add({ method: 'GET', url: '/p/:token', tag: 't', summary: 's', access: 'public', params: z.object({ token: z.string() }), head: 'reads-only', handler })).toThrow(
      'GET /p/:token is public and has path parameters: declare which are secrets (secretParams; [] for none)',
    );
    expect(() => router.add({ method: 'GET', url: '/q/:token', tag: 't', summary: 's', access: 'public', params: z.object({ token: z.string() }), secretParams: ['tokne'], head: 'reads-only', handler })).toThrow(
      'secretParams names tokne, not a path parameter of it',
    );
  });

  it('declared secrets reach the logger’s list; “none” and signed-in routes add nothing', () => {
    const { router, secrets } = setUp();
    router.add({ method: 'GET', url: '/p/:token/:name', tag: 't', summary: 's', access: 'public', params: z.object({ token: z.string(), name: z.string() }), secretParams: ['token'], head: 'reads-only', handler });
    router.add({ method: 'GET', url: '/pages/:slug', tag: 't', summary: 's', access: 'public', params: z.object({ slug: z.string() }), secretParams: [], head: 'reads-only', handler });
    router.add({ method: 'GET', url: '/v1/things/:id', tag: 't', summary: 's', access: 'user', params: z.object({ id: z.string() }), handler });
    expect(redactUrl('/p/s3cr3t/file.pdf', secrets)).toBe('/p/[redacted]/file.pdf');
    expect(redactUrl('/pages/about', secrets)).toBe('/pages/about');
    expect(redactUrl('/v1/things/thing_1', secrets)).toBe('/v1/things/thing_1');
  });
});

describe('ApiRouter: HEAD of a public GET', () => {
  const setUp = () => {
    const app = Fastify({ exposeHeadRoutes: false });
    app.setErrorHandler(errorHandler);
    return { app, router: new ApiRouter(app, {} as CloudContext, new SecretPathParams()) };
  };

  it('every public GET must say what a HEAD does; no other route may answer one', () => {
    const { router } = setUp();
    expect(() => router.add({ method: 'GET', url: '/pages', tag: 't', summary: 's', access: 'public', handler: async () => ({}) })).toThrow(
      "GET /pages is public: declare what a HEAD of it does (head: 'reads-only', or a handler of its own that changes nothing)",
    );
    expect(() => router.add({ method: 'GET', url: '/v1/things', tag: 't', summary: 's', access: 'user', head: 'reads-only', handler: async () => ({}) })).toThrow(
      'GET /v1/things: only a public GET answers HEAD',
    );
    expect(() => router.add({ method: 'POST', url: '/hooks', tag: 't', summary: 's', access: 'public', head: async () => ({}), handler: async () => ({}) })).toThrow(
      'POST /hooks: only a public GET answers HEAD',
    );
  });

  it('a HEAD runs its own handler, with the same validated input, never the GET’s', async () => {
    const { app, router } = setUp();
    const ran: string[] = [];
    router.add({
      method: 'GET', url: '/c/:token', tag: 't', summary: 's', access: 'public', secretParams: ['token'],
      params: z.object({ token: z.string().min(4) }),
      handler: async ({ params }) => (ran.push(`GET ${params.token}`), { counted: true }),
      head: async ({ params }) => (ran.push(`HEAD ${params.token}`), { counted: false }),
    });
    router.add({ method: 'GET', url: '/r', tag: 't', summary: 's', access: 'public', head: 'reads-only', handler: async () => (ran.push('GET /r'), { read: true }) });

    const head = await app.inject({ method: 'HEAD', url: '/c/abcd' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(ran).toEqual(['HEAD abcd']);
    // The HEAD's input is validated as the GET's is.
    expect((await app.inject({ method: 'HEAD', url: '/c/ab' })).statusCode).toBe(400);
    expect(ran).toEqual(['HEAD abcd']);
    expect((await app.inject({ method: 'GET', url: '/c/abcd' })).json()).toEqual({ counted: true });
    expect(ran).toEqual(['HEAD abcd', 'GET abcd']);
    // 'reads-only': the GET's handler answers the HEAD, without its body.
    const readsOnly = await app.inject({ method: 'HEAD', url: '/r' });
    expect(readsOnly.statusCode).toBe(200);
    expect(readsOnly.body).toBe('');
    expect(ran).toEqual(['HEAD abcd', 'GET abcd', 'GET /r']);
  });
});
