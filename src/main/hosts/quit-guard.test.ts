import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/testing/manual-clock';
import type { ConfirmQuestion } from './host-port';
import { QuitGuard, SESSION_END_ANSWER_MS, namesInWords, quitQuestion, type QuitReason } from './quit-guard';

/**
 * The quit flow as the Electron host drives it: `before-quit` calls mayQuit, and a held quit is
 * quit again by the guard (here: `host.quit` calls mayQuit as Electron's app.quit would).
 */
function setup(opts: { unsaved?: string[] | null; busy?: boolean } = {}) {
  const clock = new ManualClock();
  const seen: string[] = [];
  const state = { busy: opts.busy ?? false, unsaved: opts.unsaved === undefined ? ['Call policy'] : opts.unsaved };
  let answerUnsaved: ((unsaved: string[] | null) => void) | undefined;
  let answerDialog: ((discard: boolean) => void) | undefined;
  const questions: ConfirmQuestion[] = [];
  const guard = new QuitGuard({
    phoneBusy: () => state.busy,
    askUnsaved: () => {
      seen.push('asked the window');
      return new Promise((resolve) => (answerUnsaved = resolve));
    },
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
  const host = { quitted: 0, beforeQuit };
  /** Electron's before-quit: the quit goes on (disposing the core) only when the guard allows it. */
  function beforeQuit(reason: QuitReason = 'user') {
    if (guard.mayQuit(reason)) host.quitted++;
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
    windowAnswers: async (unsaved: string[] | null = state.unsaved) => {
      answerUnsaved?.(unsaved);
      await settle();
    },
    personChooses: async (choice: 'Discard and quit' | 'Keep editing') => {
      answerDialog?.(choice === 'Discard and quit');
      await settle();
    },
  };
}

describe('QuitGuard: quitting with unsaved edits asks first', () => {
  it('nothing unsaved: the quit is held only while the window answers, then goes on', async () => {
    const t = setup({ unsaved: [] });
    t.host.beforeQuit();
    expect(t.host.quitted).toBe(0);
    await t.windowAnswers();
    expect(t.host.quitted).toBe(1);
    expect(t.seen).toEqual(['asked the window']);
  });

  it('unsaved edits: the dialog names them; Keep editing keeps the app running and brings them on screen', async () => {
    const t = setup();
    t.host.beforeQuit();
    await t.windowAnswers();
    expect(t.questions[0]).toMatchObject({ message: 'Call policy has unsaved changes', confirmLabel: 'Discard and quit', cancelLabel: 'Keep editing' });
    await t.personChooses('Keep editing');
    expect(t.host.quitted).toBe(0);
    expect(t.seen).toEqual(['asked the window', 'dialog', 'keep editing']);
    // A later quit asks again.
    t.host.beforeQuit();
    await t.windowAnswers();
    await t.personChooses('Discard and quit');
    expect(t.host.quitted).toBe(1);
  });

  it('Discard and quit quits once, through the host (before-quit is let through)', async () => {
    const t = setup();
    t.host.beforeQuit();
    await t.windowAnswers();
    await t.personChooses('Discard and quit');
    expect(t.host.quitted).toBe(1);
    expect(t.seen).not.toContain('keep editing');
  });

  it('a second Quit while asking changes nothing: one question, one dialog', async () => {
    const t = setup();
    t.host.beforeQuit();
    t.host.beforeQuit();
    await t.windowAnswers();
    t.host.beforeQuit();
    expect(t.seen).toEqual(['asked the window', 'dialog']);
    expect(t.host.quitted).toBe(0);
  });

  it('a window that does not answer in time (null) never holds the quit: it goes on, logged', async () => {
    const t = setup();
    t.host.beforeQuit();
    await t.windowAnswers(null);
    expect(t.host.quitted).toBe(1);
    expect(t.seen).toContain('log: The window did not say in time whether edits are unsaved: quitting');
  });

  it('ringing or on a call: the quit goes on at once, as it always has, without asking', () => {
    const t = setup({ busy: true });
    t.host.beforeQuit();
    expect(t.host.quitted).toBe(1);
    expect(t.seen).toEqual([]);
  });

  it('a call that rings while the window is being asked: the quit goes on, as a quit during a call does', async () => {
    const t = setup();
    t.host.beforeQuit();
    t.state.busy = true;
    await t.windowAnswers();
    expect(t.host.quitted).toBe(1);
    expect(t.seen).not.toContain('dialog');
  });

  it('a call that rings while the dialog is up closes it as Keep editing, without taking the screen from the call', async () => {
    const t = setup();
    t.host.beforeQuit();
    await t.windowAnswers();
    t.state.busy = true;
    t.guard.phoneChanged();
    await t.settle();
    expect(t.host.quitted).toBe(0);
    expect(t.seen).toEqual(['asked the window', 'dialog']);
    // The person's late click finds the dialog already closed: nothing more happens.
    await t.personChooses('Discard and quit');
    expect(t.host.quitted).toBe(0);
  });

  it('the OS ending the session is held at most SESSION_END_ANSWER_MS: unanswered, the app quits without the edits', async () => {
    const t = setup();
    t.host.beforeQuit('session-end');
    await t.windowAnswers();
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
    t.host.beforeQuit();
    await t.windowAnswers();
    expect(t.clock.pendingTimers).toEqual([]);
    t.host.beforeQuit('session-end');
    expect(t.clock.pendingTimers).toEqual([SESSION_END_ANSWER_MS]);
    await t.clock.advanceAsync(SESSION_END_ANSWER_MS);
    await t.settle();
    expect(t.host.quitted).toBe(1);
  });

  it('answered in time during a session end: Keep editing stays, and the clock stops', async () => {
    const t = setup();
    t.host.beforeQuit('session-end');
    await t.windowAnswers();
    await t.personChooses('Keep editing');
    expect(t.clock.pendingTimers).toEqual([]);
    expect(t.host.quitted).toBe(0);
    expect(t.seen).toContain('keep editing');
  });

  it('a dialog that fails quits, as before (logged)', async () => {
    const t = setup();
    const guard = new QuitGuard({
      phoneBusy: () => false,
      askUnsaved: async () => ['Call policy'],
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
