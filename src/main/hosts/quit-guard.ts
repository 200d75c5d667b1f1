import type { Clock, TimerHandle } from '../../shared/time/clock';
import type { ConfirmPort, ConfirmQuestion } from './host-port';

/**
 * The OS ending the session (shutdown, restart, log-off) waits at most this long for the person's
 * answer once the question is up; then the app quits, the edits discarded: a shutdown is never held.
 */
export const SESSION_END_ANSWER_MS = 15_000;

/** Who asked to quit: the person (tray, app menu, Cmd/Ctrl+Q) or the OS ending the session. */
export type QuitReason = 'user' | 'session-end';

export interface QuitGuardDeps {
  /** Ringing or on a call. Quitting then goes on at once, as it always has: no question in the way of a call. */
  phoneBusy(): boolean;
  /** What the window holds unsaved, by name; null when it did not answer in time (ipc/quit-question.ts). */
  askUnsaved(): Promise<string[] | null>;
  /** Main's own dialog (the host's native message box). */
  confirm: ConfirmPort;
  /** Keep editing: show the window with the unsaved edits on screen. */
  keepEditing(): void;
  /** The host's quit, called once the guard lets it through (the host's before-quit then asks `mayQuit` again). */
  quit(): void;
  clock: Clock;
  log(message: string, error?: unknown): void;
  sessionEndAnswerMs?: number;
}

/** "Call policy", "Call policy and Templates", "A, B and C". */
export function namesInWords(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The quit dialog's words: Keep editing is the first button, the default and Escape. */
export function quitQuestion(unsaved: readonly string[], reason: QuitReason, sessionEndAnswerMs = SESSION_END_ANSWER_MS): ConfirmQuestion {
  const ending = reason === 'session-end' ? ` The computer is shutting down or signing out: unless you keep editing, the softphone quits in ${Math.round(sessionEndAnswerMs / 1000)} seconds without them.` : '';
  return {
    message: `${namesInWords(unsaved)} ${unsaved.length === 1 ? 'has' : 'have'} unsaved changes`,
    detail: `If you quit now, they are lost. Keep editing to save them first.${ending}`,
    confirmLabel: 'Discard and quit',
    cancelLabel: 'Keep editing',
  };
}

/** A quit being asked about: the dialog's closer, the session end's clock, and an outcome decided outside the dialog. */
interface Asking {
  closeDialog: AbortController;
  deadline: TimerHandle | null;
  outcome: 'quit' | 'stay' | null;
}

/**
 * Quitting with unsaved edits asks first. The host calls `mayQuit` from its before-quit: true lets
 * the quit go on; false holds it while the guard asks the window what is unsaved (bounded by the
 * question's timeout: a hung window never holds a quit) and, when something is, the person. Discard
 * and quit quits through the host; Keep editing brings the edits back on screen. With the phone
 * ringing or on a call, the quit goes on at once, as before; a call that starts ringing while the
 * dialog is up closes it as Keep editing, so the call can be answered in the window.
 */
export class QuitGuard {
  private allowed = false;
  private asking: Asking | null = null;

  constructor(private readonly deps: QuitGuardDeps) {}

  mayQuit(reason: QuitReason): boolean {
    if (this.allowed) return true;
    if (this.asking) {
      // A second Quit while asking changes nothing; the OS ending the session starts the clock.
      if (reason === 'session-end') this.startDeadline();
      return false;
    }
    if (this.deps.phoneBusy()) {
      this.allowed = true;
      return true;
    }
    void this.ask(reason);
    return false;
  }

  /** The phone's state changed: a call ringing or answered while the dialog is up closes it (Keep editing). */
  phoneChanged(): void {
    if (!this.asking || this.asking.outcome || !this.deps.phoneBusy()) return;
    this.asking.outcome = 'stay';
    this.asking.closeDialog.abort();
  }

  private async ask(reason: QuitReason): Promise<void> {
    const asking: Asking = { closeDialog: new AbortController(), deadline: null, outcome: null };
    this.asking = asking;
    if (reason === 'session-end') this.startDeadline();
    const unsaved = await this.deps.askUnsaved();
    if (unsaved === null) this.deps.log('The window did not say in time whether edits are unsaved: quitting');
    // Busy by now: the quit goes on, as a quit during a call always has.
    if (!unsaved?.length || asking.outcome === 'quit' || this.deps.phoneBusy()) return this.proceed();
    let discard = false;
    try {
      discard = await this.deps.confirm({ ...quitQuestion(unsaved, reason, this.deps.sessionEndAnswerMs), signal: asking.closeDialog.signal });
    } catch (error) {
      this.deps.log('The quit dialog failed: quitting', error);
      discard = true;
    }
    if (asking.deadline) this.deps.clock.clearTimeout(asking.deadline);
    const outcome = asking.outcome ?? (discard ? 'quit' : 'stay');
    if (outcome === 'quit') return this.proceed();
    this.asking = null;
    // Closed for a call: the window shows the call, not the editor.
    if (!this.deps.phoneBusy()) this.deps.keepEditing();
  }

  private startDeadline(): void {
    const asking = this.asking;
    if (!asking || asking.deadline) return;
    asking.deadline = this.deps.clock.setTimeout(() => {
      if (asking.outcome) return;
      asking.outcome = 'quit';
      asking.closeDialog.abort();
    }, this.deps.sessionEndAnswerMs ?? SESSION_END_ANSWER_MS);
  }

  private proceed(): void {
    if (this.asking?.deadline) this.deps.clock.clearTimeout(this.asking.deadline);
    this.asking = null;
    this.allowed = true;
    this.deps.quit();
  }
}
