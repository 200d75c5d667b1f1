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
  /**
   * What the window holds unsaved, by name, as it last reported it (ipc/unsaved-work.ts): known at
   * once, so a quit with nothing unsaved is never held. A window that has not reported, or whose page
   * reloaded or crashed, holds nothing.
   */
  unsaved(): readonly string[];
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

/** Decides a quit outside the dialog (a call, a deadline, nothing left unsaved) and closes the dialog. */
function close(asking: Asking, outcome: 'quit' | 'stay'): void {
  asking.outcome = outcome;
  asking.closeDialog.abort();
}

/**
 * Quitting with unsaved edits asks first. The host calls `mayQuit` from its before-quit (and Windows'
 * query-session-end): true lets the quit go on, at once, whenever nothing is unsaved or the phone is
 * ringing or on a call (a question never stands in the way of a call); false holds it while main's
 * own dialog names the unsaved edits. Discard and quit quits through the host; Keep editing brings
 * the edits back on screen. The window is never waited on: what is unsaved is known already, so a
 * hung window cannot hold a quit. A call that starts ringing while the dialog is up closes it as Keep
 * editing, so the call can be answered in the window; edits that stop being unsaved meanwhile (the
 * page crashed or reloaded) close it as Discard and quit, since nothing is left to lose.
 */
export class QuitGuard {
  /** The guard let this quit through (Discard and quit, a deadline, nothing left): the host's quit passes. */
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
    const unsaved = this.deps.unsaved();
    // Nothing held: a session end that another app then cancels leaves the phone running, as ever.
    if (unsaved.length === 0 || this.deps.phoneBusy()) return true;
    void this.ask(unsaved, reason);
    return false;
  }

  /** The phone's state changed: a call ringing or answered while the dialog is up closes it (Keep editing). */
  phoneChanged(): void {
    if (this.asking && !this.asking.outcome && this.deps.phoneBusy()) close(this.asking, 'stay');
  }

  /** The window's unsaved edits changed: none left while the dialog is up closes it, and the quit goes on. */
  unsavedChanged(): void {
    if (this.asking && !this.asking.outcome && this.deps.unsaved().length === 0) close(this.asking, 'quit');
  }

  private async ask(unsaved: readonly string[], reason: QuitReason): Promise<void> {
    const asking: Asking = { closeDialog: new AbortController(), deadline: null, outcome: null };
    this.asking = asking;
    if (reason === 'session-end') this.startDeadline();
    // The host's before-quit returns (holding the quit) before the dialog opens.
    await Promise.resolve();
    let discard = false;
    if (!asking.outcome) {
      try {
        discard = await this.deps.confirm({ ...quitQuestion(unsaved, reason, this.deps.sessionEndAnswerMs), signal: asking.closeDialog.signal });
      } catch (error) {
        this.deps.log('The quit dialog failed: quitting', error);
        discard = true;
      }
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
      if (!asking.outcome) close(asking, 'quit');
    }, this.deps.sessionEndAnswerMs ?? SESSION_END_ANSWER_MS);
  }

  private proceed(): void {
    if (this.asking?.deadline) this.deps.clock.clearTimeout(this.asking.deadline);
    this.asking = null;
    this.allowed = true;
    this.deps.quit();
  }
}
