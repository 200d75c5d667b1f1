import { describe, expect, it } from 'vitest';
import { QUEUE_LIMIT_MS, queuedFate } from './notification-rate';

describe('queuedFate: a notification over the rate limit waits for the window, or is dropped once it would be too late', () => {
  const t0 = Date.parse('2026-12-01T10:00:00Z');
  it.each([
    ['a slot frees in 2 minutes', t0 + 120_000, { kind: 'wait', until: t0 + 120_000 }],
    ['a slot frees exactly at the queue limit', t0 + QUEUE_LIMIT_MS, { kind: 'wait', until: t0 + QUEUE_LIMIT_MS }],
    ['a slot frees only after the queue limit', t0 + QUEUE_LIMIT_MS + 1, { kind: 'drop' }],
  ])('%s', (_name, nextFree, fate) => {
    expect(queuedFate(t0, nextFree)).toEqual(fate);
  });
});
