import { mkdtemp, rm } from 'node:fs/promises';
import { Resolver } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDnsStandIn, type DnsStandIn } from './index';

/** node:dns's own resolver (c-ares) against the stand-in: what the cloud's sending-domain check uses. */
function resolverFor(dns: DnsStandIn, timeout = 2000): Resolver {
  const resolver = new Resolver({ timeout, tries: 1 });
  resolver.setServers([dns.server]);
  return resolver;
}
const codeOf = async (lookup: Promise<unknown>): Promise<string | undefined> =>
  lookup.then(
    () => undefined,
    (error: NodeJS.ErrnoException) => error.code,
  );

describe('DNS stand-in', () => {
  let dns: DnsStandIn | undefined;
  afterEach(async () => dns?.stop());

  it('answers TXT lookups from its zone: several values, NXDOMAIN for unknown names, NODATA for names above a record', async () => {
    dns = await startDnsStandIn();
    dns.zone.setTxt('_aesthetix-verification.Glow.Example.', ['aesthetix-verification=abc']);
    dns.zone.addTxt('_aesthetix-verification.glow.example', 'google-site-verification=x');
    const resolver = resolverFor(dns);
    expect(await resolver.resolveTxt('_aesthetix-verification.glow.example')).toEqual([['aesthetix-verification=abc'], ['google-site-verification=x']]);
    expect(await codeOf(resolver.resolveTxt('nothing.glow.example'))).toBe('ENOTFOUND');
    expect(await codeOf(resolver.resolveTxt('glow.example'))).toBe('ENODATA');
    expect(dns.queries.every((q) => q.transport === 'udp')).toBe(true);
  });

  it('splits a long value into 255-byte strings, and an answer too big for UDP goes over TCP', async () => {
    dns = await startDnsStandIn();
    const key = `v=DKIM1; k=rsa; p=${'A'.repeat(392)}`;
    const names = Array.from({ length: 3 }, (_, i) => `ax${i}._domainkey.a-rather-long-domain-name-for-a-practice.example`);
    for (const name of names) dns.zone.addTxt(names[0]!, `${key}${name}`);
    const answer = await resolverFor(dns).resolveTxt(names[0]!);
    expect(answer.map((chunks) => chunks.join(''))).toEqual(names.map((n) => `${key}${n}`));
    expect(answer[0]!.map((chunk) => Buffer.byteLength(chunk))).toEqual([255, Buffer.byteLength(`${key}${names[0]}`) - 255]);
    expect(dns.queries.some((q) => q.transport === 'tcp')).toBe(true);
  });

  it('a silenced name times out; a failing one is SERVFAIL', async () => {
    dns = await startDnsStandIn();
    dns.zone.setTxt('slow.example', ['x']);
    dns.zone.silence('slow.example');
    dns.zone.setTxt('broken.example', ['x']);
    dns.zone.fail('broken.example');
    const resolver = resolverFor(dns, 200);
    expect(await codeOf(resolver.resolveTxt('slow.example'))).toBe('ETIMEOUT');
    expect(await codeOf(resolver.resolveTxt('broken.example'))).toBe('ESERVFAIL');
    dns.zone.silence('slow.example', false);
    expect(await resolver.resolveTxt('slow.example')).toEqual([['x']]);
  });

  it('keeps its zone in the state file across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dns-standin-'));
    try {
      const stateFile = join(dir, 'dns-standin.json');
      dns = await startDnsStandIn({ stateFile });
      dns.zone.setTxt('_aesthetix-verification.glow.example', ['aesthetix-verification=abc']);
      await dns.stop();
      dns = await startDnsStandIn({ stateFile });
      expect(await resolverFor(dns).resolveTxt('_aesthetix-verification.glow.example')).toEqual([['aesthetix-verification=abc']]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
