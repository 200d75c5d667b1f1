import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectingMedia } from './connecting-media';

describe('ConnectingMedia', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** Settles `promise` through the microtask queue; true when it resolved. */
  const resolved = async (promise: Promise<void>) => {
    let done = false;
    void promise.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    return done;
  };

  it('lets a callback through at once when no media is connecting', async () => {
    expect(await resolved(new ConnectingMedia().settled())).toBe(true);
  });

  it('holds a callback until the last connecting far end is done, in the order they waited', async () => {
    const media = new ConnectingMedia(100);
    const first = media.begin();
    const second = media.begin();
    const order: string[] = [];
    void media.settled().then(() => order.push('a'));
    void media.settled().then(() => order.push('b'));
    first();
    await vi.advanceTimersByTimeAsync(10);
    expect(order).toEqual([]);
    second();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['a', 'b']);
    expect(media.connecting).toBe(0);
  });

  it('waits at most maxWaitMs for media that is still connecting', async () => {
    const media = new ConnectingMedia(100, 10_000);
    media.begin();
    const waiting = media.settled();
    await vi.advanceTimersByTimeAsync(99);
    expect(await resolved(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await resolved(waiting)).toBe(true);
    expect(media.connecting).toBe(1);
  });

  it('stops counting a far end that never reports its end, and an end called twice counts once', async () => {
    const media = new ConnectingMedia(100, 2_000);
    const hung = media.begin();
    const other = media.begin();
    other();
    other();
    expect(media.connecting).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(media.connecting).toBe(0);
    hung();
    expect(media.connecting).toBe(0);
    expect(await resolved(media.settled())).toBe(true);
  });
});
