import { Resolver } from 'node:dns/promises';
import type { CloudConfig } from '../config';
import { dmarcAlignment } from './dmarc';
import type { RecordSpec } from './records';
import { checkRecord, type RecordCheck, type TxtLookup } from './verification';

/**
 * Looks a sending domain's records up in DNS with node:dns's Resolver (c-ares): the servers of the
 * cloud's configuration (`DNS_SERVERS`), or the system's when none are set. A lookup never throws:
 * a failure is its node:dns code (ENOTFOUND, ENODATA, ETIMEOUT, ESERVFAIL…).
 */
export async function lookupTxt(dns: CloudConfig['dns'], name: string): Promise<TxtLookup> {
  const resolver = new Resolver({ timeout: dns.timeoutMs, tries: dns.tries });
  if (dns.servers.length > 0) resolver.setServers(dns.servers);
  try {
    // A record may be split into several strings (a DKIM key longer than 255 characters): joined, they are the value.
    return { records: (await resolver.resolveTxt(name)).map((strings) => strings.join('')) };
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN' };
  } finally {
    resolver.cancel();
  }
}

/** Every record of a domain, looked up at once. */
export function checkRecords(dns: CloudConfig['dns'], specs: readonly RecordSpec[]): Promise<RecordCheck[]> {
  return Promise.all(specs.map(async (spec) => checkRecord(spec, await lookupTxt(dns, spec.name))));
}

/** Whether the domain's DMARC record asks for strict DKIM alignment (dmarc.ts), read through the same resolver. */
export function checkDmarc(dns: CloudConfig['dns'], domain: string): ReturnType<typeof dmarcAlignment> {
  return dmarcAlignment(domain, (name) => lookupTxt(dns, name));
}
