import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addressScope, OutboundHttp, OutboundRefusedError, refusalFor, type ResolveHost } from './outbound';

describe('addressScope: where an address leads', () => {
  it.each([
    // The public internet, also when spelled inside IPv6.
    ['8.8.8.8', 'public'],
    ['93.184.215.14', 'public'],
    ['11.0.0.1', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['169.255.0.1', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::808:808', 'public'],
    // This machine.
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    // "This host" / unspecified: 0.0.0.0 and :: connect to the machine itself on Linux.
    ['0.0.0.0', 'private'],
    ['0.1.2.3', 'private'],
    ['::', 'private'],
    ['::ffff:0.0.0.0', 'private'],
    // RFC 1918, link-local (metadata), CGNAT, IETF, benchmarking, documentation, multicast, broadcast.
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.254', 'private'],
    ['192.0.0.8', 'private'],
    ['198.18.0.1', 'private'],
    ['203.0.113.7', 'private'],
    ['224.0.0.251', 'private'],
    ['255.255.255.255', 'private'],
    // IPv6: ULA, link-local, multicast, documentation, 6to4, IPv4-compatible.
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'private'],
    ['ff02::1', 'private'],
    ['2001:db8::1', 'private'],
    ['2002:7f00:1::1', 'private'],
    ['::127.0.0.1', 'private'],
    // Private IPv4 inside IPv6: mapped and NAT64.
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a9fe:a9fe', 'private'],
    ['64:ff9b::a9fe:a9fe', 'private'],
    ['64:ff9b::10.1.2.3', 'private'],
    ['not-an-address', 'private'],
  ] as const)('%s → %s', (address, scope) => expect(addressScope(address)).toBe(scope));
});

describe('refusalFor: a scheme and every address its host has', () => {
  it.each([
    ['https:', ['8.8.8.8'], false, null],
    ['https:', ['8.8.8.8', '2606:4700:4700::1111'], false, null],
    ['https:', ['8.8.8.8', '10.0.0.1'], false, 'private_address'],
    ['https:', ['127.0.0.1'], false, 'private_address'],
    ['https:', ['127.0.0.1'], true, null],
    ['https:', ['169.254.169.254'], true, 'private_address'],
    ['http:', ['127.0.0.1'], true, null],
    ['http:', ['127.0.0.1'], false, 'private_address'],
    ['http:', ['8.8.8.8'], true, 'not_https'],
    ['ftp:', ['8.8.8.8'], false, 'not_https'],
    ['https:', [], false, 'private_address'],
  ] as const)('%s %j (loopback allowed: %s) → %s', (protocol, addresses, allowLoopback, expected) =>
    expect(refusalFor(protocol, addresses, allowLoopback)).toBe(expected),
  );
});

/** A resolver that answers from a table and counts what it was asked. */
function fakeDns(table: Record<string, string[]>): ResolveHost & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { asked });
}

describe('OutboundHttp.check: a URL as it is saved', () => {
  const dns = fakeDns({ 'kubernetes.default.svc': ['10.96.0.1'], 'hooks.example-shop.com': ['93.184.215.14'], 'split.example': ['93.184.215.14', '192.168.0.10'] });
  const outbound = new OutboundHttp({ allowLoopback: false, resolve: dns });

  it.each([
    'https://0.0.0.0:43321/latest/meta-data',
    'https://[::]:43321/internal',
    'https://[::ffff:127.0.0.1]:43321/admin',
    'https://127.0.0.1/x',
    'https://2130706433/',
    'https://0x7f.1/',
    'https://10.0.0.1/',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fd00::1]/',
    'https://kubernetes.default.svc/api',
    'https://split.example/',
  ])('refuses %s', async (url) => expect(await outbound.check(url)).toBe('private_address'));

  it('lets a public address through, and a name that does not resolve yet (each call checks again)', async () => {
    expect(await outbound.check('https://hooks.example-shop.com/orders')).toBeNull();
    expect(await outbound.check('https://8.8.8.8/')).toBeNull();
    expect(await outbound.check('https://not-live-yet.example/hook')).toBeNull();
  });

  it('in sandbox mode, loopback (and only loopback) is allowed, HTTP included', async () => {
    const sandbox = new OutboundHttp({ allowLoopback: true, resolve: dns });
    expect(await sandbox.check('http://127.0.0.1:9/hook')).toBeNull();
    expect(await sandbox.check('https://[::1]/hook')).toBeNull();
    expect(await sandbox.check('https://0.0.0.0/hook')).toBe('private_address');
    expect(await sandbox.check('https://10.0.0.1/hook')).toBe('private_address');
  });
});

describe('OutboundHttp.request: connects only to the addresses it checked', () => {
  let server: Server;
  let port = 0;
  let connections = 0;
  const seen: { method: string; url: string; host: string; body: string }[] = [];
  let answer: (request: IncomingMessage, respond: (status: number, body: string, headers?: Record<string, string>) => void) => void;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ method: request.method!, url: request.url!, host: request.headers.host!, body });
        answer(request, (status, text, headers = {}) => response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text));
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    connections = 0;
    seen.length = 0;
    answer = (_request, respond) => respond(200, '{"order":{"status":"shipped"}}');
  });

  const post = (outbound: OutboundHttp, url: string, init: { signal?: AbortSignal; maxResponseBytes?: number } = {}) =>
    outbound.request(url, { method: 'POST', headers: { authorization: 'Bearer shop-key' }, body: '{"a":1}', signal: init.signal ?? AbortSignal.timeout(5000), maxResponseBytes: init.maxResponseBytes ?? 10_000 });

  it('a name resolving to this machine is refused outside sandbox mode, without a connection', async () => {
    const dns = fakeDns({ 'hooks.shop.test': ['127.0.0.1'] });
    const refused = await post(new OutboundHttp({ allowLoopback: false, resolve: dns }), `https://hooks.shop.test:${port}/orders`).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OutboundRefusedError);
    expect((refused as OutboundRefusedError).refusal).toBe('private_address');
    expect(dns.asked).toEqual(['hooks.shop.test']);
    expect(connections).toBe(0);
  });

  it('a name with one private answer among public ones is refused', async () => {
    const dns = fakeDns({ 'split.test': ['93.184.215.14', '127.0.0.1'] });
    await expect(post(new OutboundHttp({ allowLoopback: false, resolve: dns }), `https://split.test:${port}/`)).rejects.toBeInstanceOf(OutboundRefusedError);
    expect(connections).toBe(0);
  });

  it.each(['http://127.0.0.1', 'https://[::ffff:127.0.0.1]', 'https://0.0.0.0', 'https://[::]'])('a literal address (%s) is refused without a lookup or a connection', async (base) => {
    const dns = fakeDns({});
    await expect(post(new OutboundHttp({ allowLoopback: false, resolve: dns }), `${base}:${port}/x`)).rejects.toBeInstanceOf(OutboundRefusedError);
    expect(dns.asked).toEqual([]);
    expect(connections).toBe(0);
  });

  it('where loopback is allowed, the connection goes to the address the resolver gave — resolved once, for the check and the socket both', async () => {
    const dns = fakeDns({ 'hooks.shop.test': ['127.0.0.1'] });
    const response = await post(new OutboundHttp({ allowLoopback: true, resolve: dns }), `http://hooks.shop.test:${port}/orders?ref=7`);
    expect(response).toEqual({ status: 200, ok: true, text: '{"order":{"status":"shipped"}}' });
    expect(seen).toEqual([{ method: 'POST', url: '/orders?ref=7', host: `hooks.shop.test:${port}`, body: '{"a":1}' }]);
    expect(dns.asked).toEqual(['hooks.shop.test']);
  });

  it('plain HTTP to a public name is refused even where loopback is allowed', async () => {
    const dns = fakeDns({ 'hooks.shop.test': ['93.184.215.14'] });
    const refused = await post(new OutboundHttp({ allowLoopback: true, resolve: dns }), `http://hooks.shop.test:${port}/`).catch((error: unknown) => error);
    expect((refused as OutboundRefusedError).refusal).toBe('not_https');
    expect(connections).toBe(0);
  });

  it('never follows a redirect: a 3xx is the answer', async () => {
    answer = (_request, respond) => respond(302, '', { location: 'http://169.254.169.254/latest/meta-data/' });
    const response = await post(new OutboundHttp({ allowLoopback: true }), `http://127.0.0.1:${port}/moved`);
    expect(response).toMatchObject({ status: 302, ok: false });
    expect(seen.map((s) => s.url)).toEqual(['/moved']);
  });

  it('an answer over the size limit fails, and a silent server times out', async () => {
    answer = (_request, respond) => respond(200, 'x'.repeat(5000));
    await expect(post(new OutboundHttp({ allowLoopback: true }), `http://127.0.0.1:${port}/big`, { maxResponseBytes: 1000 })).rejects.toThrow('larger than 1000 bytes');
    answer = () => undefined;
    await expect(post(new OutboundHttp({ allowLoopback: true }), `http://127.0.0.1:${port}/slow`, { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});
