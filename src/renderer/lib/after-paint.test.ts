import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterPaint, afterPresented, PRESENTED_LIMIT_MS, useAfterPresented } from './after-paint';

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

describe('one animation frame callback for the waiters of a task', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("asks for one frame for a ring's waiters, and one for their next step", () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    const frames = vi.spyOn(globalThis, 'requestAnimationFrame');
    const runs = Array.from({ length: 9 }, () => vi.fn());
    for (const run of runs) afterPresented(run);
    afterPaint(runs[0]!);
    expect(frames).toHaveBeenCalledTimes(1);
    vi.advanceTimersToNextTimer(); // the frame that paints
    expect(frames).toHaveBeenCalledTimes(2);
    vi.runAllTimers();
    expect(runs[0]).toHaveBeenCalledTimes(2);
    for (const run of runs.slice(1)) expect(run).toHaveBeenCalledTimes(1);
  });

  it('a later task asks for a frame of its own', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    const frames = vi.spyOn(globalThis, 'requestAnimationFrame');
    const [first, second] = [vi.fn(), vi.fn()];
    afterPaint(first);
    await Promise.resolve(); // the task ends
    afterPaint(second);
    expect(frames).toHaveBeenCalledTimes(2);
    vi.runAllTimers();
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('asks for no frame once every waiter has cancelled', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    const cancelled = vi.spyOn(globalThis, 'cancelAnimationFrame');
    const cancels = [afterPaint(vi.fn()), afterPaint(vi.fn())];
    cancels[0]!();
    expect(cancelled).not.toHaveBeenCalled();
    cancels[1]!();
    expect(cancelled).toHaveBeenCalledTimes(1);
  });
});

describe("afterPresented: a task's waiters share one timer, one frame wait and one task", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("a ring's nine waiters: one limit timer and one task after the frames, run in the order they came", () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const order: number[] = [];
    for (let i = 0; i < 9; i++) afterPresented(() => order.push(i));
    expect(timers).toHaveBeenCalledTimes(1); // the limit
    vi.advanceTimersToNextTimer(); // the frame that paints
    vi.advanceTimersToNextTimer(); // the next one begins
    expect(timers).toHaveBeenCalledTimes(2); // and the task after it
    vi.runAllTimers();
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('a waiter that throws: the others still run, and the error is thrown again on its own (reported as uncaught)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    const uncaught: unknown[] = [];
    const queue = globalThis.queueMicrotask;
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) =>
      queue(() => {
        try {
          callback();
        } catch (error) {
          uncaught.push(error);
        }
      }),
    );
    const [before, after] = [vi.fn(), vi.fn()];
    afterPresented(before);
    afterPresented(() => {
      throw new Error('focus failed');
    });
    afterPresented(after);
    vi.runAllTimers();
    expect(before).toHaveBeenCalledTimes(1);
    expect(after).toHaveBeenCalledTimes(1);
    await Promise.resolve();
    expect(uncaught).toEqual([new Error('focus failed')]);
  });

  it('a waiter cancelled by an earlier one in the same task does not run', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    const later = vi.fn();
    afterPresented(() => cancelLater());
    const cancelLater = afterPresented(later);
    vi.runAllTimers();
    expect(later).not.toHaveBeenCalled();
  });

  it('the same function twice: two waiters, each with its own cancel', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    const run = vi.fn();
    afterPresented(run)();
    afterPresented(run);
    vi.runAllTimers();
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('a later task starts a batch of its own, with its own limit', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    vi.spyOn(globalThis, 'requestAnimationFrame').mockImplementation(() => 0); // no frame comes
    const [first, second] = [vi.fn(), vi.fn()];
    afterPresented(first);
    await Promise.resolve(); // the task ends
    vi.advanceTimersByTime(50);
    afterPresented(second);
    vi.advanceTimersByTime(PRESENTED_LIMIT_MS - 50);
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).not.toHaveBeenCalled();
    vi.advanceTimersByTime(50);
    expect(second).toHaveBeenCalledTimes(1);
  });
});

describe('afterPresented when no frame comes', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it(`a visible page that draws no frame (occluded, throttled): at most ${PRESENTED_LIMIT_MS} ms, once`, () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    vi.spyOn(globalThis, 'requestAnimationFrame').mockImplementation(() => 0); // a frame that never comes
    const run = vi.fn();
    afterPresented(run);
    vi.advanceTimersByTime(PRESENTED_LIMIT_MS - 1);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    vi.runAllTimers();
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('the frames coming after the limit do not run it again', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    const run = vi.fn();
    afterPresented(run);
    vi.runAllTimers();
    vi.advanceTimersByTime(PRESENTED_LIMIT_MS * 2);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('a hidden page (no frame is drawn): in the next task, without waiting for a frame', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    const frame = vi.spyOn(globalThis, 'requestAnimationFrame');
    const run = vi.fn();
    afterPresented(run);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(run).toHaveBeenCalledTimes(1);
    expect(frame).not.toHaveBeenCalled();
  });

  it('a hidden page: never once cancelled', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    const run = vi.fn();
    afterPresented(run)();
    vi.runAllTimers();
    expect(run).not.toHaveBeenCalled();
  });
});

describe('useAfterPresented', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps the former value until the frame after the change is on screen, then the latest one', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    const { result, rerender } = renderHook(({ value }) => useAfterPresented(value), { initialProps: { value: 'ready' } });
    expect(result.current).toBe('ready');
    rerender({ value: 'ringing' });
    expect(result.current).toBe('ready');
    act(() => {
      vi.advanceTimersToNextTimer(); // the frame that paints the change elsewhere
      vi.advanceTimersToNextTimer(); // the next one begins
    });
    expect(result.current).toBe('ready');
    act(() => vi.runAllTimers());
    expect(result.current).toBe('ringing');
  });

  it('a value replaced before it was shown is never shown', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    const seen: string[] = [];
    const { rerender } = renderHook(({ value }) => {
      const shown = useAfterPresented(value);
      seen.push(shown);
      return shown;
    }, { initialProps: { value: 'ready' } });
    rerender({ value: 'ringing' });
    rerender({ value: 'ready again' });
    act(() => vi.runAllTimers());
    expect(seen).not.toContain('ringing');
    expect(seen.at(-1)).toBe('ready again');
  });
});
