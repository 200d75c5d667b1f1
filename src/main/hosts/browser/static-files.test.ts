import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StaticFiles } from './static-files';

describe('StaticFiles', () => {
  let root: string;
  let server: Server;
  let base: string;
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'static-files-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Softphone</title>');
    writeFileSync(join(root, 'main.js'), 'console.log(1);');
    const files = new StaticFiles(root);
    server = createServer((req, res) => files.serve(req, res, { 'X-Test': 'yes' }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  it('serves a file whole, with its type, length and the headers it is given', async () => {
    const res = await fetch(`${base}/main.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('content-length')).toBe('15');
    expect(res.headers.get('x-test')).toBe('yes');
    expect(await res.text()).toBe('console.log(1);');
  });

  it('serves a rebuilt file as it is now, not as it was first read', async () => {
    expect(await (await fetch(`${base}/main.js`)).text()).toBe('console.log(1);');
    writeFileSync(join(root, 'main.js'), 'console.log(2);');
    // The same size, so only the modification time tells: set it clearly apart.
    utimesSync(join(root, 'main.js'), new Date(), new Date(Date.now() + 5_000));
    expect(await (await fetch(`${base}/main.js`)).text()).toBe('console.log(2);');
    rmSync(join(root, 'main.js'));
    expect((await fetch(`${base}/main.js`)).status).toBe(404);
  });

  it('falls back to the page for the renderer\'s own routes, and answers HEAD without a body', async () => {
    expect(await (await fetch(`${base}/history`)).text()).toContain('<title>Softphone</title>');
    const head = await fetch(`${base}/main.js`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, '15', '']);
  });

  it('refuses other methods, missing assets and paths outside its folder', async () => {
    expect((await fetch(`${base}/main.js`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${base}/missing.css`)).status).toBe(404);
    const escape = await fetch(`${base}/..%2f..%2fetc%2fpasswd`);
    expect([400, 404]).toContain(escape.status);
  });

  it('says the renderer is not built when there is no page', async () => {
    rmSync(join(root, 'index.html'));
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/not built yet/);
  });
});
