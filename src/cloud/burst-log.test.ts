import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BurstLog } from './burst-log';

interface Event {
  id: string;
  kind: string;
}

describe('BurstLog', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const setup = () => {
    const lines: { fields: object; message: string }[] = [];
    const log = new BurstLog<Event>((fields, message) => lines.push({ fields, message }), {
      first: (e) => `saw ${e.kind}`,
      key: (e) => e.kind,
      summary: (total, seconds) => `saw ${total} more in ${seconds} s`,
      countsField: 'seen',
    }, 5_000);
    return { lines, log };
  };

  it('logs the first event of a quiet spell at once, and the rest of the window as one line of counts by key', () => {
    const { lines, log } = setup();
    log.note({ id: '1', kind: 'a' });
    expect(lines).toEqual([{ fields: { id: '1', kind: 'a' }, message: 'saw a' }]);
    for (let i = 0; i < 1000; i++) log.note({ id: String(i), kind: i % 10 === 0 ? 'b' : 'a' });
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(5_000);
    expect(lines[1]).toEqual({ fields: { seen: { a: 900, b: 100 }, windowMs: 5_000 }, message: 'saw 1000 more in 5 s' });
  });

  it('logs nothing for a quiet window, then the next event at once again; flush on close logs what is counted', () => {
    const { lines, log } = setup();
    log.note({ id: '1', kind: 'a' });
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(1);
    log.note({ id: '2', kind: 'a' });
    log.note({ id: '3', kind: 'c' });
    expect(lines.map((l) => l.message)).toEqual(['saw a', 'saw a']);
    log.flush();
    expect(lines[2]).toEqual({ fields: { seen: { c: 1 }, windowMs: 5_000 }, message: 'saw 1 more in 5 s' });
    // Flushed: the window is over, nothing left to say.
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(3);
  });
});
