import type { Clock, TimerHandle } from './clock';
import type { VoiceLog } from './engine-ports';
import type { EngineStateStore } from './engine-state';
import type { AnswerWatch, PeerConnections } from './peer-connections';
import { consoleVoiceLog } from './console-log';

/** Longest the listeners wait to hear that a call is being answered (a slow microphone, a busy machine). */
export const ANSWER_WINDOW_MAX_MS = 100;

/**
 * While the SDK answers a call, the renderer's main thread is on the answer's critical path: the
 * SDK's accept, its peer connection and the answer SDP run between awaits on that thread, and every
 * render or listener that runs in between delays the answer to the edge. Profiled (softphone bench,
 * CPU profile of the renderer): the React render of "connecting" ran in a microtask before the SDK
 * made its peer connection, and the render of "open" (the SDK's `accept` event fires when the answer
 * is set, before the SDK sends it) before the answer left. Released as soon as the answer had left,
 * the same render then ran while the browser and the edge were checking ICE, and the page heard of
 * ICE connected ~15 ms later (quiet A/B, session 12).
 *
 * So from the accept until the call's media is up, the engine's listeners (React, the report to
 * main) do not hear of changes; they hear once, in the task after ICE connected (or failed) on the
 * call's peer connection (`peer-connections.ts`), in the task after the call ended, or after
 * ANSWER_WINDOW_MAX_MS, whichever is first. Without a media watch (no browser WebRTC) they hear in
 * the task after the call left `connecting`. The engine's own state changes at once as always: a
 * second Enter, click or hotkey finds the call already answering. To the receptionist the panel goes
 * from ringing to the call a few tens of milliseconds after the key, once the caller can be heard.
 */
export class AnswerWindow {
  private callId: string | null = null;
  private timer: TimerHandle | null = null;
  private cancelWatch: (() => void) | null = null;
  /** ICE of the call's peer connection has settled (or there is no watch to wait for). */
  private mediaSettled = false;
  /** The release waits for the next task. */
  private closing = false;
  /** SDK work on the answering peer connection kept until the window closes (peer-connections.ts). */
  private deferred: Array<() => void> = [];
  /** The open window's watch; null once it has closed. */
  private current: AnswerWatch | null = null;

  constructor(
    private readonly store: EngineStateStore,
    private readonly clock: Clock,
    private readonly media: Pick<PeerConnections, 'watchNext'> | null = null,
    private readonly log: VoiceLog = consoleVoiceLog,
    /** Runs `run` in a later task (after the one in which the SDK sends its answer or sees ICE). */
    private readonly nextTask: (run: () => void) => void = (run) => void globalThis.setTimeout(run, 0),
  ) {}

  /** The receptionist answered `callId` and the SDK is about to answer it. */
  open(callId: string): void {
    if (this.callId !== null || this.closing) return;
    this.callId = callId;
    this.mediaSettled = this.media === null;
    this.store.hold();
    this.timer = this.clock.setTimeout(() => this.close(), ANSWER_WINDOW_MAX_MS);
    const watch: AnswerWatch = {
      settled: () => {
        this.mediaSettled = true;
        if (this.callId === callId) this.closeSoon();
      },
      later: (task) => {
        if (this.current === watch) this.deferred.push(task);
        else task();
      },
    };
    this.current = watch;
    this.cancelWatch = this.media?.watchNext(watch) ?? null;
  }

  /** The call left `connecting`: ended, or answered (then its media may still be on its way). */
  left(callId: string, ended: boolean): void {
    if (this.callId !== callId) return;
    if (ended || this.mediaSettled) this.closeSoon();
  }

  /** The listeners hear the latest state now. */
  close(): void {
    this.clearTimer();
    this.cancelWatch?.();
    this.cancelWatch = null;
    this.callId = null;
    this.closing = false;
    this.current = null;
    // The caller's audio first, then the screen.
    for (const task of this.deferred.splice(0)) {
      try {
        task();
      } catch (error) {
        this.log('Deferred answer work failed (the caller may not be heard)', error);
      }
    }
    this.store.release();
  }

  private closeSoon(): void {
    if (this.closing) return;
    this.clearTimer();
    this.callId = null;
    this.closing = true;
    this.nextTask(() => {
      if (this.closing) this.close();
    });
  }

  private clearTimer(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
