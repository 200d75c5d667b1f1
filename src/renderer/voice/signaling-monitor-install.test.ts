import { afterEach, describe, expect, it, vi } from 'vitest';
import { HOLD_LIMIT_MS, untilPanelPainted } from './signaling-monitor-install';

const FAKED = ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] as const;

describe('untilPanelPainted: how long the SDK waits after an invite', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('in a visible page: until the task after the frame that follows the panel\'s, once', () => {
    vi.useFakeTimers({ toFake: [...FAKED] });
    const release = vi.fn();
    untilPanelPainted(release);
    expect(release).not.toHaveBeenCalled();
    vi.advanceTimersToNextTimer(); // the frame that paints the panel
    vi.advanceTimersToNextTimer(); // the next frame begins: the panel's is on screen
    expect(release).not.toHaveBeenCalled();
    vi.advanceTimersToNextTimer(); // the task after it
    expect(release).toHaveBeenCalledTimes(1);
    vi.runAllTimers(); // the limit was cleared: no second release
    expect(release).toHaveBeenCalledTimes(1);
  });

  it(`in a visible page that draws no frame: at most ${HOLD_LIMIT_MS} ms`, () => {
    vi.useFakeTimers({ toFake: [...FAKED] });
    vi.spyOn(globalThis, 'requestAnimationFrame').mockImplementation(() => 0); // a frame that never comes
    const release = vi.fn();
    untilPanelPainted(release);
    vi.advanceTimersByTime(HOLD_LIMIT_MS - 1);
    expect(release).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('in a hidden page (no frame is drawn; the ringtone is what the receptionist hears): not at all', () => {
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    const release = vi.fn();
    untilPanelPainted(release);
    expect(release).toHaveBeenCalledTimes(1);
  });
});
