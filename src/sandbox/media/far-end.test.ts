import dns from 'node:dns';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MediaFarEnd } from './far-end';
import { MediaClock } from './media-clock';

describe('MediaFarEnd', () => {
  afterEach(() => vi.restoreAllMocks());

  it('offers loopback candidates only, and gathers without asking DNS for any STUN server', async () => {
    const looked: string[] = [];
    const lookup = dns.promises.lookup.bind(dns.promises);
    vi.spyOn(dns.promises, 'lookup').mockImplementation(((host: string, ...rest: unknown[]) => {
      looked.push(host);
      return (lookup as (...a: unknown[]) => unknown)(host, ...rest);
    }) as typeof dns.promises.lookup);
    const farEnd = new MediaFarEnd(new MediaClock());
    try {
      const offer = await farEnd.createOffer();
      const candidates = offer.split('\r\n').filter((line) => line.startsWith('a=candidate:'));
      expect(candidates.length).toBeGreaterThan(0);
      for (const candidate of candidates) expect(candidate).toMatch(/ 127\.0\.0\.1 \d+ typ host/);
      expect(looked.filter((host) => !/^(127\.|::1$|localhost$)/.test(host))).toEqual([]);
    } finally {
      await farEnd.close();
    }
  });
});
