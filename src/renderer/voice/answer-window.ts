import type { Clock, TimerHandle } from './clock';
import type { EngineStateStore } from './engine-state';

/** Longest the listeners wait to hear that a call is being answered (a slow microphone, a busy machine). */
export const ANSWER_WINDOW_MAX_MS = 100;

/**
 * While the SDK answers a call, the renderer's main thread is on the answer's critical path: the
 * SDK's accept, its peer connection and the answer SDP run between awaits on that thread, and every
 * render or listener that runs in between delays the answer to the edge. Profiled (softphone bench,
 * CPU profile of the renderer): the React render of "connecting" ran in a microtask before the SDK
 * made its peer connection, and the render of "open" (the SDK's `accept` event fires when the answer
 * is set, before the SDK sends it) before the answer left.
 *
 * So from the accept until the answer has left, the engine's listeners (React, the report to main)
 * do not hear of changes; they hear once, in the task after the call left `connecting` (the SDK sends
 * its answer in the same task as its `accept` event), or after ANSWER_WINDOW_MAX_MS. The engine's own
 * state changes at once as always: a second Enter, click or hotkey finds the call already answering.
 */
export class AnswerWindow {
  private callId: string | null = null;
  private timer: TimerHandle | null = null;
  /** The call has left `connecting`; the release waits for the next task. */
  private closing = false;

  constructor(
    private readonly store: EngineStateStore,
    private readonly clock: Clock,
    /** Runs `run` in a later task (after the one in which the SDK sends its answer). */
    private readonly nextTask: (run: () => void) => void = (run) => void globalThis.setTimeout(run, 0),
  ) {}

  /** The receptionist answered `callId` and the SDK is about to answer it. */
  open(callId: string): void {
    if (this.callId !== null || this.closing) return;
    this.callId = callId;
    this.store.hold();
    this.timer = this.clock.setTimeout(() => this.close(), ANSWER_WINDOW_MAX_MS);
  }

  /** The call left `connecting` (open, or ended): the listeners hear of it in the next task. */
  left(callId: string): void {
    if (this.callId !== callId) return;
    this.clearTimer();
    this.callId = null;
    this.closing = true;
    this.nextTask(() => {
      if (this.closing) this.close();
    });
  }

  /** The listeners hear the latest state now. */
  close(): void {
    this.clearTimer();
    this.callId = null;
    this.closing = false;
    this.store.release();
  }

  private clearTimer(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
