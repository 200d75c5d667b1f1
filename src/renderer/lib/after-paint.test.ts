import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterPaint, afterPresented } from './after-paint';

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

describe('afterPresented', () => {
  afterEach(() => vi.useRealTimers());

  it('runs in a task after the frame that follows the next one has begun', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    const run = vi.fn();
    afterPresented(run);
    vi.advanceTimersToNextTimer(); // the frame that paints
    vi.advanceTimersToNextTimer(); // the next one begins
    expect(run).not.toHaveBeenCalled();
    vi.runAllTimers(); // the task after it
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('never runs once cancelled, at any step', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    const runs = [vi.fn(), vi.fn(), vi.fn()];
    const cancels = runs.map((run) => afterPresented(run));
    cancels[0]!();
    vi.advanceTimersToNextTimer();
    cancels[1]!();
    vi.advanceTimersToNextTimer();
    cancels[2]!();
    vi.runAllTimers();
    for (const run of runs) expect(run).not.toHaveBeenCalled();
  });
});
