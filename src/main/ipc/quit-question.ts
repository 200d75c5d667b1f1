import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../../shared/time/clock';
import type { RendererEvents } from './renderer-events';

/** How long main waits for the window to say what it holds unsaved: a hung or gone window must not hold a quit. */
export const QUIT_ANSWER_TIMEOUT_MS = 2_000;

/**
 * Main's one question to the window before quitting: "what is unsaved?". Asked as the `app.quitAsked`
 * event, answered through the `app.answerQuit` channel (so through the router: sender check and zod,
 * like every request), tied to the question by its id. One question at a time; a second ask while
 * one is open shares it. No answer within the timeout reads as null: the host quits as before.
 */
export class QuitQuestion {
  private open: { id: string; promise: Promise<string[] | null>; settle: (unsaved: string[] | null) => void } | null = null;

  constructor(private readonly deps: { events: Pick<RendererEvents, 'emit'>; clock: Clock; timeoutMs?: number }) {}

  /** The window's unsaved edits by name ([] when none), or null when it did not answer in time. */
  ask(): Promise<string[] | null> {
    if (this.open) return this.open.promise;
    const id = randomUUID();
    const timer: { handle?: TimerHandle } = {};
    let settle!: (unsaved: string[] | null) => void;
    const promise = new Promise<string[] | null>((resolve) => {
      settle = (unsaved) => {
        if (this.open?.id !== id) return;
        this.open = null;
        if (timer.handle) this.deps.clock.clearTimeout(timer.handle);
        resolve(unsaved);
      };
    });
    this.open = { id, promise, settle };
    timer.handle = this.deps.clock.setTimeout(() => settle(null), this.deps.timeoutMs ?? QUIT_ANSWER_TIMEOUT_MS);
    this.deps.events.emit('app.quitAsked', { requestId: id });
    return promise;
  }

  /** The window's answer; false (and ignored) when it answers no open question (late, or made up). */
  answer(requestId: string, unsaved: string[]): boolean {
    if (this.open?.id !== requestId) return false;
    this.open.settle([...new Set(unsaved)]);
    return true;
  }
}
