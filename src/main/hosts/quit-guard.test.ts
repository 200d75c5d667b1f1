import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/testing/manual-clock';
import type { ConfirmQuestion } from './host-port';
import { QuitGuard, SESSION_END_ANSWER_MS, namesInWords, quitQuestion, type QuitReason } from './quit-guard';

/**
 * The quit flow as the Electron host drives it: `before-quit` (and Windows' query-session-end) calls
 * mayQuit, preventing the event when it says false, and a held quit is quit again by the guard (here:
 * `host.quit` calls mayQuit as Electron's app.quit would). What is unsaved is `state.unsaved`, as the
 * window last reported it; the guard never asks the window anything.
 */
function setup(opts: { unsaved?: string[]; busy?: boolean } = {}) {
  const clock = new ManualClock();
  const seen: string[] = [];
  const state = { busy: opts.busy ?? false, unsaved: opts.unsaved ?? ['Call policy'] };
  let answerDialog: ((discard: boolean) => void) | undefined;
  const questions: ConfirmQuestion[] = [];
  const guard = new QuitGuard({
    phoneBusy: () => state.busy,
    unsaved: () => state.unsaved,
    confirm: (question) => {
      questions.push(question);
      seen.push('dialog');
      return new Promise((resolve) => {
        answerDialog = resolve;
        // Electron's box closes as cancelled when its signal aborts.
        question.signal?.addEventListener('abort', () => resolve(false));
      });
    },
    keepEditing: () => seen.push('keep editing'),
    // Electron's app.quit() runs before-quit again.
    quit: () => beforeQuit(),
    clock,
    log: (message) => seen.push(`log: ${message}`),
  });
  const host = { quitted: 0, prevented: 0, beforeQuit };
  /** Electron's before-quit: the quit goes on (disposing the core) only when the guard allows it; else the event is prevented. */
  function beforeQuit(reason: QuitReason = 'user') {
    if (guard.mayQuit(reason)) host.quitted++;
    else host.prevented++;
  }
  const settle = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  return {
    clock,
    guard,
    host,
    seen,
    state,
    questions,
    settle,
    /** Quit, and let the dialog (if any) open. */
    quit: async (reason: QuitReason = 'user') => {
      beforeQuit(reason);
      await settle();
    },
    personChooses: async (choice: 'Discard and quit' | 'Keep editing') => {
      answerDialog?.(choice === 'Discard and quit');
      await settle();
    },
  };
}

describe('QuitGuard: quitting with unsaved edits asks first', () => {
  it('nothing unsaved: the quit goes on at once, never held (no preventDefault), no dialog', async () => {
    const t = setup({ unsaved: [] });
    expect(t.guard.mayQuit('user')).toBe(true);
    await t.quit();
    expect(t.host).toMatchObject({ quitted: 1, prevented: 0 });
    expect(t.seen).toEqual([]);
  });

  it('nothing unsaved when the OS ends the session: not held either (Windows would say the app prevents shutdown), no clock', async () => {
    const t = setup({ unsaved: [] });
    await t.quit('session-end');
    expect(t.host).toMatchObject({ quitted: 1, prevented: 0 });
    expect(t.clock.pendingTimers).toEqual([]);
    expect(t.seen).toEqual([]);
    // Nothing is decided for later: edits made after a cancelled shutdown are asked about.
    t.state.unsaved = ['Call policy'];
    await t.quit();
    expect(t.seen).toEqual(['dialog']);
  });

  it('unsaved edits: the quit is held and the dialog names them; Keep editing keeps the app running and brings them on screen', async () => {
    const t = setup({ unsaved: ['Call policy', 'Templates'] });
    await t.quit();
    expect(t.host).toMatchObject({ quitted: 0, prevented: 1 });
    expect(t.questions[0]).toMatchObject({ message: 'Call policy and Templates have unsaved changes', confirmLabel: 'Discard and quit', cancelLabel: 'Keep editing' });
    await t.personChooses('Keep editing');
    expect(t.host.quitted).toBe(0);
    expect(t.seen).toEqual(['dialog', 'keep editing']);
    // A later quit asks again.
    await t.quit();
    await t.personChooses('Discard and quit');
    expect(t.host.quitted).toBe(1);
  });

  it('Discard and quit quits once, through the host (before-quit is let through)', async () => {
    const t = setup();
    await t.quit();
    await t.personChooses('Discard and quit');
    expect(t.host).toMatchObject({ quitted: 1, prevented: 1 });
    expect(t.seen).not.toContain('keep editing');
  });

  it('a second Quit while asking changes nothing: one dialog', async () => {
    const t = setup();
    await t.quit();
    await t.quit();
    expect(t.seen).toEqual(['dialog']);
    expect(t.host.quitted).toBe(0);
  });

  it('the edits gone while the dialog is up (the page crashed or reloaded): nothing left to lose, the quit goes on', async () => {
    const t = setup();
    await t.quit();
    t.state.unsaved = [];
    t.guard.unsavedChanged();
    await t.settle();
    expect(t.host.quitted).toBe(1);
    expect(t.seen).toEqual(['dialog']);
    // Other changes to what is unsaved leave the dialog up.
    const u = setup();
    await u.quit();
    u.state.unsaved = ['Call policy', 'Templates'];
    u.guard.unsavedChanged();
    await u.settle();
    expect(u.host.quitted).toBe(0);
  });

  it('ringing or on a call: the quit goes on at once, as it always has, without asking', async () => {
    const t = setup({ busy: true });
    await t.quit();
    expect(t.host).toMatchObject({ quitted: 1, prevented: 0 });
    expect(t.seen).toEqual([]);
  });

  it('a call that rings while the dialog is up closes it as Keep editing, without taking the screen from the call', async () => {
    const t = setup();
    await t.quit();
    t.state.busy = true;
    t.guard.phoneChanged();
    await t.settle();
    expect(t.host.quitted).toBe(0);
    expect(t.seen).toEqual(['dialog']);
    // The person's late click finds the dialog already closed: nothing more happens.
    await t.personChooses('Discard and quit');
    expect(t.host.quitted).toBe(0);
  });

  it('a call that rings before the dialog opens: no dialog, the app stays for the call', async () => {
    const t = setup();
    t.host.beforeQuit();
    t.state.busy = true;
    t.guard.phoneChanged();
    await t.settle();
    expect(t.seen).toEqual([]);
    expect(t.host.quitted).toBe(0);
  });

  it('the OS ending the session is held at most SESSION_END_ANSWER_MS: unanswered, the app quits without the edits', async () => {
    const t = setup();
    await t.quit('session-end');
    expect(t.host.prevented).toBe(1);
    expect(t.questions[0]?.detail).toContain('the softphone quits in 15 seconds');
    await t.clock.advanceAsync(SESSION_END_ANSWER_MS - 1);
    expect(t.host.quitted).toBe(0);
    await t.clock.advanceAsync(1);
    await t.settle();
    expect(t.host.quitted).toBe(1);
    expect(t.clock.pendingTimers).toEqual([]);
  });

  it('the session ending while the person is looking at a Quit dialog starts the same clock', async () => {
    const t = setup();
    await t.quit();
    expect(t.clock.pendingTimers).toEqual([]);
    t.host.beforeQuit('session-end');
    expect(t.clock.pendingTimers).toEqual([SESSION_END_ANSWER_MS]);
    await t.clock.advanceAsync(SESSION_END_ANSWER_MS);
    await t.settle();
    expect(t.host.quitted).toBe(1);
  });

  it('answered in time during a session end: Keep editing stays, and the clock stops', async () => {
    const t = setup();
    await t.quit('session-end');
    await t.personChooses('Keep editing');
    expect(t.clock.pendingTimers).toEqual([]);
    expect(t.host.quitted).toBe(0);
    expect(t.seen).toContain('keep editing');
  });

  it('a dialog that fails quits, as before (logged)', async () => {
    const t = setup();
    const guard = new QuitGuard({
      phoneBusy: () => false,
      unsaved: () => ['Call policy'],
      confirm: async () => {
        throw new Error('no display');
      },
      keepEditing: () => undefined,
      quit: () => t.seen.push('quit'),
      clock: t.clock,
      log: (message) => t.seen.push(`log: ${message}`),
    });
    expect(guard.mayQuit('user')).toBe(false);
    await t.settle();
    expect(t.seen).toEqual(['log: The quit dialog failed: quitting', 'quit']);
    expect(guard.mayQuit('user')).toBe(true);
  });
});

describe('the quit dialog’s words', () => {
  it('names what is unsaved', () => {
    expect(namesInWords(['Call policy'])).toBe('Call policy');
    expect(namesInWords(['Call policy', 'Templates'])).toBe('Call policy and Templates');
    expect(namesInWords(['A', 'B', 'C'])).toBe('A, B and C');
    expect(quitQuestion(['Call policy', 'Templates'], 'user').message).toBe('Call policy and Templates have unsaved changes');
    expect(quitQuestion(['Call policy'], 'user').detail).not.toContain('shutting down');
  });
});
