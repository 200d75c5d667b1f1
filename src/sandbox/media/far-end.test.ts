import dns from 'node:dns';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MediaFarEnd } from './far-end';
import { ConnectingMedia } from './connecting-media';
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

describe('MediaFarEnd and ConnectingMedia', () => {
  it('counts as connecting from the answer until its media is up, and never again', async () => {
    const media = new ConnectingMedia(100, 30_000);
    const clock = new MediaClock();
    // Two far ends as the sandbox and a browser: one offers, the other answers, the first applies the answer.
    const offerer = new MediaFarEnd(clock, media);
    const answerer = new MediaFarEnd(clock);
    try {
      const answer = await answerer.answerOffer(await offerer.createOffer());
      expect(media.connecting).toBe(0);
      const applying = offerer.acceptAnswer(answer);
      expect(media.connecting).toBe(1);
      await applying;
      await vi.waitFor(() => expect(media.connecting).toBe(0), { timeout: 10_000, interval: 5 });
      await expect(media.settled()).resolves.toBeUndefined();
    } finally {
      await offerer.close();
      await answerer.close();
    }
  });

  it('stops counting a far end that closes while its media is connecting', async () => {
    const media = new ConnectingMedia(100, 30_000);
    const farEnd = new MediaFarEnd(new MediaClock(), media);
    const other = new MediaFarEnd(new MediaClock());
    try {
      // Not awaited: werift leaves the answer of a closed connection pending.
      void farEnd.answerOffer(await other.createOffer()).catch(() => undefined);
      expect(media.connecting).toBe(1);
      await farEnd.close();
      expect(media.connecting).toBe(0);
    } finally {
      await farEnd.close();
      await other.close();
    }
    expect(media.connecting).toBe(0);
  });
});
