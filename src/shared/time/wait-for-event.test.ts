import { describe, expect, it } from 'vitest';
import { waitForEvent, type EventSource } from './wait-for-event';

/** The smallest emitter: shared code has no Node typings, and needs none. */
class Numbers implements EventSource<number> {
  readonly listeners = new Set<(n: number) => void>();
  on(_event: string, listener: (n: number) => void) {
    this.listeners.add(listener);
  }
  off(_event: string, listener: (n: number) => void) {
    this.listeners.delete(listener);
  }
  emit(n: number) {
    for (const listener of [...this.listeners]) listener(n);
  }
}

describe('waitForEvent', () => {
  it('resolves with a past match at once, else with the first matching event, and stops listening', async () => {
    const source = new Numbers();
    expect(await waitForEvent(source, 'n', (n) => n > 1, { past: [1, 2, 3], timeoutMs: 1_000, timeoutMessage: () => 'x' })).toBe(2);
    const waiting = waitForEvent(source, 'n', (n) => n > 10, { past: [1], timeoutMs: 1_000, timeoutMessage: () => 'x' });
    source.emit(5);
    source.emit(11);
    expect(await waiting).toBe(11);
    expect(source.listeners.size).toBe(0);
  });

  it('rejects with the caller’s words after the timeout', async () => {
    const source = new Numbers();
    await expect(waitForEvent(source, 'n', () => false, { timeoutMs: 10, timeoutMessage: () => 'no n came' })).rejects.toThrow('no n came');
    expect(source.listeners.size).toBe(0);
  });
});
