import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterPaint } from './after-paint';

describe('afterPaint', () => {
  afterEach(() => vi.useRealTimers());

  it('runs after the next animation frame, in a task of its own', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    const run = vi.fn();
    afterPaint(run);
    vi.advanceTimersToNextTimer(); // the frame
    expect(run).not.toHaveBeenCalled();
    vi.runAllTimers(); // the task after it
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('never runs once cancelled, before or after the frame', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    const before = vi.fn();
    afterPaint(before)();
    const after = vi.fn();
    const cancel = afterPaint(after);
    vi.advanceTimersToNextTimer();
    cancel();
    vi.runAllTimers();
    expect(before).not.toHaveBeenCalled();
    expect(after).not.toHaveBeenCalled();
  });
});
