import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../shared/testing/manual-clock';
import { ANSWER_WINDOW_MAX_MS, AnswerWindow } from './answer-window';
import { EngineStateStore } from './engine-state';
import type { AnswerWatch, PeerConnections } from './peer-connections';

/** An answer window over a real store, with the peer connections' watch in the test's hands. */
function setup(withMedia = true) {
  const store = new EngineStateStore(() => undefined);
  const clock = new ManualClock();
  const tasks: Array<() => void> = [];
  let watch: AnswerWatch | null = null;
  const media: Pick<PeerConnections, 'watchNext'> = {
    watchNext: (w) => {
      watch = w;
      return () => {
        if (watch === w) watch = null;
      };
    },
  };
  const log = vi.fn();
  const window = new AnswerWindow(store, clock, withMedia ? media : null, log, (run) => tasks.push(run));
  const heard: number[] = [];
  store.subscribe((s) => heard.push(s.identity?.length ?? 0));
  /** A change the listeners would render (any field will do). */
  const change = (identity: string) => store.set({ identity });
  const runTasks = () => tasks.splice(0).forEach((run) => run());
  return { window, clock, heard, change, runTasks, log, watch: () => watch };
}

describe('AnswerWindow with the peer connections watched', () => {
  it('an answered call is heard once ICE has connected, in the task after, not when signaling is done', () => {
    const t = setup();
    t.window.open('call-1');
    t.change('a');
    t.window.left('call-1', false); // the SDK's accept: signaling stable, media not yet up
    t.runTasks();
    expect(t.heard).toEqual([]);
    t.watch()!.settled();
    expect(t.heard).toEqual([]);
    t.runTasks();
    expect(t.heard).toEqual([1]);
    t.change('ab'); // after the window every change is heard at once
    expect(t.heard).toEqual([1, 2]);
  });

  it('ICE may settle before the SDK reports the answer: the window closes then', () => {
    const t = setup();
    t.window.open('call-1');
    t.change('a');
    t.watch()!.settled();
    t.runTasks();
    expect(t.heard).toEqual([1]);
  });

  it('a call that ends while being answered is heard in the next task, without waiting for ICE', () => {
    const t = setup();
    t.window.open('call-1');
    t.change('a');
    t.window.left('call-1', true);
    t.runTasks();
    expect(t.heard).toEqual([1]);
  });

  it(`ICE that never settles holds nothing beyond ${ANSWER_WINDOW_MAX_MS} ms`, () => {
    const t = setup();
    t.window.open('call-1');
    t.change('a');
    t.window.left('call-1', false);
    t.clock.advance(ANSWER_WINDOW_MAX_MS - 1);
    expect(t.heard).toEqual([]);
    t.clock.advance(1);
    expect(t.heard).toEqual([1]);
  });

  it('work the peer connection defers runs when the window closes, before the listeners hear; afterwards at once', () => {
    const t = setup();
    const order: string[] = [];
    t.window.open('call-1');
    t.change('a');
    const watch = t.watch()!;
    watch.later(() => order.push(`audio (heard so far ${t.heard.length})`));
    expect(order).toEqual([]);
    watch.settled();
    t.runTasks();
    expect(order).toEqual(['audio (heard so far 0)']);
    expect(t.heard).toEqual([1]);
    watch.later(() => order.push('late'));
    expect(order).toEqual(['audio (heard so far 0)', 'late']);
  });

  it('a deferred task that throws is logged and does not keep the listeners from hearing', () => {
    const t = setup();
    t.window.open('call-1');
    t.change('a');
    const failure = new Error('SDK handler failed');
    t.watch()!.later(() => {
      throw failure;
    });
    t.window.close();
    expect(t.heard).toEqual([1]);
    expect(t.log).toHaveBeenCalledWith('Deferred answer work failed (the caller may not be heard)', failure);
  });

  it('without a media watch the listeners hear in the task after the call left connecting', () => {
    const t = setup(false);
    t.window.open('call-1');
    t.change('a');
    t.window.left('call-1', false);
    expect(t.heard).toEqual([]);
    t.runTasks();
    expect(t.heard).toEqual([1]);
  });
});
