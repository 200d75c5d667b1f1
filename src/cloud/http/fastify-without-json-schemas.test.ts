import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { WITHOUT_JSON_SCHEMAS } from '../../shared/http/without-json-schemas';

const root = resolve(import.meta.dirname, '../../..');

// The option lives in src/shared (the cloud's and the sandbox's servers both use it); tested here,
// where Fastify and Node's child processes may be used.

describe('WITHOUT_JSON_SCHEMAS', () => {
  it('serves routes that declare no schema', async () => {
    const app = Fastify({ schemaController: WITHOUT_JSON_SCHEMAS });
    app.post('/echo', async (request) => ({ got: request.body }));
    const reply = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({ got: { a: 1 } });
    await app.close();
  });

  it('refuses to start with a route that declares a JSON schema, naming it', async () => {
    const validated = Fastify({ schemaController: WITHOUT_JSON_SCHEMAS });
    validated.get('/things', { schema: { querystring: { type: 'object', properties: { q: { type: 'string' } } } } }, async () => ({}));
    await expect(validated.ready()).rejects.toThrow('GET /things declares a JSON schema');

    const serialized = Fastify({ schemaController: WITHOUT_JSON_SCHEMAS });
    serialized.get('/things', { schema: { response: { 200: { type: 'object' } } } }, async () => ({}));
    await expect(serialized.ready()).rejects.toThrow('GET /things declares a JSON schema');
  });

  it('never loads the JSON-schema compilers (a fresh process)', () => {
    // The module cache of this test's own process is shared with whatever ran before it here.
    // (Fastify itself always loads fast-json-stringify's small runtime for its error replies.)
    const script = `
      const Fastify = require('fastify');
      const { WITHOUT_JSON_SCHEMAS } = require('./src/shared/http/without-json-schemas.ts');
      const app = Fastify({ schemaController: WITHOUT_JSON_SCHEMAS });
      app.get('/', async () => ({ ok: true }));
      app.ready().then(() => {
        const loaded = Object.keys(require.cache).filter((file) => /node_modules\\/(ajv|@fastify\\/(ajv-compiler|fast-json-stringify-compiler))\\/|fast-json-stringify\\/index\\.js/.test(file));
        process.stdout.write(JSON.stringify(loaded));
        return app.close();
      });`;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual([]);
  });
});
