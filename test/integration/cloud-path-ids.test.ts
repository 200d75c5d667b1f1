import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startTestCloud, stopTestPostgres, type TestCloud } from '../support/cloud-harness';

/**
 * Issue #10: an id in a URL path is checked against the id pattern, so `..` (raw or percent-encoded)
 * can never be one. Every route of the route table with `{id}` in its path is called with ids that
 * are not ids, as an admin, over raw HTTP (fetch would resolve `..` before sending): each answers
 * 400 VALIDATION_FAILED — never another route, never a 500, never a success.
 */
const NOT_IDS = ['%2e%2e', '%2E%2e', '.', '..', 'a.b', '%2F', 'a%2Fb', '%00', 'x%20y', '%E2%80%AE', 'a'.repeat(65)];

function raw(cloud: TestCloud, method: string, path: string, token: string): Promise<{ status: number; body: string }> {
  const url = new URL(cloud.cloud.url);
  const withBody = method !== 'GET' && method !== 'DELETE';
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path, headers: { authorization: `Bearer ${token}`, ...(withBody ? { 'content-type': 'application/json' } : {}) } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(withBody ? '{}' : undefined);
  });
}

describe.each(backends)('ids in URL paths on %s', (backend) => {
  let t: TestCloud;
  let token: string;
  let routes: { method: string; path: string }[];
  beforeAll(async () => {
    t = await startTestCloud(backend);
    token = (await t.login('admin')).accessToken;
    const paths = (await t.api(undefined, 'GET', '/v1/openapi.json')).body.paths as Record<string, Record<string, unknown>>;
    routes = Object.entries(paths)
      .filter(([path]) => path.includes('{id}'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })));
  });
  afterAll(async () => {
    await t?.stop();
    if (backend === 'postgres') await stopTestPostgres();
  });

  it('refuses anything that is not an id in every route that takes one', async () => {
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const answers: string[] = [];
    for (const route of routes) {
      for (const notId of NOT_IDS) {
        const res = await raw(t, route.method, route.path.replace('{id}', notId), token);
        const code = (JSON.parse(res.body || '{}') as { code?: string }).code;
        answers.push(`${route.method} ${route.path} ${notId}: ${res.status} ${code}`);
        if (res.status !== 400 || code !== 'VALIDATION_FAILED') {
          expect.fail(`${route.method} ${route.path.replace('{id}', notId)} answered ${res.status} ${res.body.slice(0, 200)}`);
        }
      }
    }
    expect(answers.length).toBe(routes.length * NOT_IDS.length);
  });

  it('still serves a real id', async () => {
    const res = await t.api(token, 'GET', '/v1/2fa/users/usr_demo_jordan/status');
    expect(res.status).toBe(200);
  });
});
