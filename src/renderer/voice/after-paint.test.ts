import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterFrameOnScreen } from './after-paint';

describe('afterFrameOnScreen', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('waits for the frame after the ringing one to begin, not only for the ringing frame', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] });
    const task = vi.fn();
    afterFrameOnScreen(task);
    vi.advanceTimersToNextTimer(); // the ringing frame
    vi.advanceTimersToNextTimer(); // the next step: a task right after the ringing frame would run here, while it is still rastered and drawn
    expect(task).not.toHaveBeenCalled();
    vi.runAllTimers(); // the following frame begins (the ringing one is on screen), then the task after it
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('runs in the next task where there are no frames', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.stubGlobal('requestAnimationFrame', undefined);
    const task = vi.fn();
    afterFrameOnScreen(task);
    expect(task).not.toHaveBeenCalled();
    vi.advanceTimersToNextTimer();
    expect(task).toHaveBeenCalledTimes(1);
  });
});
