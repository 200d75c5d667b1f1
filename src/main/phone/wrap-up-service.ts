import { MAX_KEYED_DISPOSITIONS } from '../../shared/disposition-keys';
import { IpcFailure } from '../../shared/ipc';
import type { WrapupChooseInput, WrapupStartInput, WrapUpResolvedView, WrapUpStateView } from '../../shared/ipc/views';
import type { CallCache } from '../cache/cache';
import type { Wrapup } from '../cache/types';
import { newIdempotencyKey } from '../cache/idempotency-key';
import type { Clock, TimerHandle } from '../../shared/time/clock';

/** How long a choice can be undone before it is committed. */
export const UNDO_MS = 5_000;

/** How many ended wrap-ups are remembered so a late report of their call's end cannot bring them back. */
export const REMEMBERED_ENDED = 1_000;

export interface WrapUpServiceDeps {
  cache: CallCache;
  clock: Clock;
  /** Binds this many disposition hotkeys (modifier + 1…0); 0 unbinds them. */
  bindDispositionHotkeys(slots: number): void;
  /** The state changed: pushed to the renderer as `wrapups.changed`. */
  onState(state: WrapUpStateView): void;
  /** A wrap-up ended: pushed as `wrapups.resolved`. */
  onResolved(resolved: WrapUpResolvedView): void;
  /** Something was written to the outbox: push it soon. */
  kickSync(): void;
  /** The cache changed locally: views refresh at once, before any round trip. */
  onLocalChange(entities: string[]): void;
  log?: (message: string, error?: unknown) => void;
  undoMs?: number;
}

interface PendingCommit {
  twilioCallSid: string;
  dispositionId: string;
  commitAt: number;
  timer: TimerHandle;
}

/**
 * The wrap-up after a call, owned by main because main stores it: choosing a disposition (from the
 * picker or a global digit hotkey), the undo window, the commit (call row + outbox row in one durable
 * write; or, when the call has not synced yet, a mark on the wrap-up that commits it when it arrives), skipping,
 * and which digit hotkeys are bound. The renderer renders `state()` and sends intents.
 */
export class WrapUpService {
  private pending: PendingCommit | null = null;
  private error: WrapUpStateView['error'] = null;
  private workLocationId: string | null = null;
  private phoneBusy = false;
  private boundSlots = 0;
  /** Calls whose wrap-up was logged or skipped since start, oldest first (bounded by REMEMBERED_ENDED). */
  private readonly ended = new Set<string>();

  constructor(private readonly deps: WrapUpServiceDeps) {}

  state(): WrapUpStateView {
    // A choice committed but waiting for its call to arrive is done for the receptionist.
    const items = this.deps.cache.wrapups.open();
    const undo = this.pending ? { twilioCallSid: this.pending.twilioCallSid, dispositionId: this.pending.dispositionId, commitAt: this.pending.commitAt } : null;
    return { items, undo, error: this.error };
  }

  /** A call ended on this phone: it waits for a disposition (again, after a reload or crash). */
  start(input: WrapupStartInput): WrapUpStateView {
    // A second report of the same call's end, arriving after the receptionist logged or skipped it,
    // must not ask for a disposition again.
    if (this.ended.has(input.twilioCallSid)) {
      this.deps.log?.(`The end of call ${input.twilioCallSid} was reported again after its wrap-up ended; ignored`);
      return this.state();
    }
    const existing = this.deps.cache.wrapups.get(input.twilioCallSid);
    this.deps.cache.wrapups.upsert({
      ...input,
      callId: input.callId ?? existing?.callId ?? null,
      dispositionId: existing?.dispositionId ?? null,
      note: existing?.note ?? null,
    });
    return this.changed();
  }

  /** Picks a disposition; it is committed when the undo window ends. A choice for another call waiting to commit is committed now. */
  choose(input: WrapupChooseInput): WrapUpStateView {
    const { twilioCallSid, dispositionId } = input;
    // These checks sit before the choice's durable point: the cache parses the input once, reads
    // what they need in one statement, and writes nothing when they refuse.
    this.deps.cache.wrapups.pick(input, (target) => {
      if (!target) throw new IpcFailure('NOT_FOUND', 'That call is no longer waiting for a disposition.');
      if (target.disposition !== 'usable') throw new IpcFailure('NOT_FOUND', 'That disposition no longer exists. Pick another.');
      const elsewhere = this.outsideWorkLocation(target.locationId);
      if (elsewhere) throw new IpcFailure('WRONG_LOCATION', `This call belongs to ${elsewhere}. Dispositions apply only in the call’s location.`);
    });
    // A choice of another call still in its undo window is committed now, once this one is durable.
    if (this.pending && this.pending.twilioCallSid !== twilioCallSid) this.commitNow(this.pending.twilioCallSid);
    this.cancelPending();
    const undoMs = this.deps.undoMs ?? UNDO_MS;
    const commitAt = this.deps.clock.now() + undoMs;
    const timer = this.deps.clock.setTimeout(() => {
      if (this.pending?.twilioCallSid !== twilioCallSid) return;
      this.pending = null;
      this.commitNow(twilioCallSid);
    }, undoMs);
    this.pending = { twilioCallSid, dispositionId, commitAt, timer };
    this.error = null;
    return this.changed();
  }

  /** A digit hotkey (modifier + 1…0): the disposition at that place in the picker, for the wrap-up the picker shows. */
  chooseByHotkey(index: number): boolean {
    const shown = this.state().items[0];
    const disposition = this.deps.cache.dispositions.active()[index];
    if (!shown || !disposition || this.phoneBusy) return false;
    try {
      this.choose({ twilioCallSid: shown.twilioCallSid, dispositionId: disposition.id, note: shown.note });
      return true;
    } catch (error) {
      // The picker shows the same refusal when the receptionist looks (e.g. the call's location).
      this.deps.log?.('A disposition hotkey was refused', error);
      return false;
    }
  }

  /**
   * Takes the choice back inside its undo window: nothing is committed. Once the window has ended the
   * choice is committed (or waits for its call to be), and an Undo that arrives then is refused and
   * writes nothing: clearing it would leave the call with no disposition and nothing to say so.
   */
  undo(twilioCallSid: string): WrapUpStateView {
    const existing = this.deps.cache.wrapups.get(twilioCallSid);
    if (this.pending?.twilioCallSid === twilioCallSid) {
      this.cancelPending();
    } else if (!existing || !this.isOpen(twilioCallSid)) {
      throw this.tooLateToUndo(twilioCallSid, existing?.dispositionId ?? null);
    } else if (existing.dispositionId === null) {
      return this.state(); // nothing chosen (e.g. a second Undo): nothing to take back
    }
    // In its window, or open with a choice whose commit failed (this.error says why): nothing was saved.
    if (existing) this.deps.cache.wrapups.setChoice(twilioCallSid, { dispositionId: null, note: existing.note });
    if (this.error?.twilioCallSid === twilioCallSid) this.error = null;
    return this.changed();
  }

  setNote(twilioCallSid: string, note: string | null): WrapUpStateView {
    const existing = this.deps.cache.wrapups.get(twilioCallSid);
    if (!existing) throw new IpcFailure('NOT_FOUND', 'That call is no longer waiting for a disposition.');
    if (existing.note !== note) this.deps.cache.wrapups.setChoice(twilioCallSid, { dispositionId: existing.dispositionId, note });
    return this.changed();
  }

  /** No disposition applies (desk phone, skipped): forget the wrap-up. */
  dismiss(twilioCallSid: string): WrapUpStateView {
    if (this.pending?.twilioCallSid === twilioCallSid) this.cancelPending();
    if (this.deps.cache.wrapups.resolve(twilioCallSid)) this.deps.onResolved({ twilioCallSid, outcome: 'skipped', dispositionLabel: null });
    this.remember(twilioCallSid);
    return this.changed();
  }

  /** The location the receptionist works in (null: not chosen yet). */
  setWorkLocation(locationId: string | null): WrapUpStateView {
    this.workLocationId = locationId;
    return this.changed();
  }

  /** From the phone report: on a ringing or open call the digit hotkeys belong to nobody. */
  setPhoneBusy(busy: boolean): void {
    if (busy === this.phoneBusy) return;
    this.phoneBusy = busy;
    this.syncHotkeys();
  }

  /** After a pull: commit wrap-ups that waited for their call; the dispositions may have changed too. */
  afterPull(entities: readonly string[]): void {
    if (entities.includes('calls')) this.commitWaiting();
    if (entities.includes('calls') || entities.includes('dispositions')) this.changed();
  }

  /**
   * At start: a choice shown as "Logged" is durable (stored with the wrap-up when it was made), and
   * only its undo window lived in memory. A crash or quit inside that window ends the window, so the
   * choice is committed now — the receptionist never picks the same wrap-up twice. Returns how many.
   * Wrap-ups waiting for their call are settled first, as after a pull: one an earlier version left
   * there with no disposition goes back to the picker instead of failing every pull from now on.
   */
  commitInterruptedChoices(): number {
    this.commitWaiting();
    let committed = 0;
    // A choice waiting for its call is committed when the call arrives (commitWaiting), not here.
    for (const wrapup of this.deps.cache.wrapups.open()) {
      if (wrapup.dispositionId === null || this.pending?.twilioCallSid === wrapup.twilioCallSid) continue;
      try {
        this.commit(wrapup.twilioCallSid);
        committed++;
      } catch (error) {
        // E.g. the disposition was deleted meanwhile: the picker offers the wrap-up again and says why.
        this.deps.log?.('Could not commit a wrap-up chosen before the restart', error);
      }
    }
    if (committed > 0) this.changed();
    return committed;
  }

  /**
   * Commits wrap-ups whose call has now arrived, each on its own: one that fails is logged and tried
   * again after the next pull, and never holds up the others (or the rest of the pull's listeners).
   * One whose choice can never be committed goes back to the picker. Returns how many were committed.
   */
  commitWaiting(): number {
    let committed = 0;
    let reopened = false;
    for (const wrapup of this.deps.cache.wrapups.waitingForCall()) {
      const { twilioCallSid } = wrapup;
      try {
        const lost = this.choiceThatCannotBeSaved(wrapup);
        if (lost) {
          this.deps.log?.(`The disposition waiting for call ${twilioCallSid} cannot be saved (${lost.why}): it is back in the wrap-up`);
          this.deps.cache.wrapups.reopen(twilioCallSid);
          this.error = { twilioCallSid, message: lost.message };
          reopened = true;
        } else if (this.commit(twilioCallSid, true)) {
          committed++;
        }
      } catch (error) {
        this.deps.log?.(`Could not commit the disposition waiting for call ${twilioCallSid}; trying again after the next pull`, error);
      }
    }
    if (reopened) this.changed();
    return committed;
  }

  dispose(): void {
    this.cancelPending();
  }

  /**
   * Why a choice waiting for its call can never be committed, or null if it can: it has none (an
   * Undo after the window cleared it, in versions before undo() refused that), or its disposition
   * was deleted meanwhile. The receptionist is asked again rather than sync retrying it forever.
   */
  private choiceThatCannotBeSaved(wrapup: Wrapup): { why: string; message: string } | null {
    if (wrapup.dispositionId === null) {
      return { why: 'no disposition', message: 'The disposition for this call was not saved. Choose it again.' };
    }
    const disposition = this.deps.cache.dispositions.get(wrapup.dispositionId);
    if (!disposition || disposition.deletedAt !== null) {
      const label = disposition ? `“${disposition.label}”` : 'The disposition chosen';
      return { why: 'its disposition was deleted', message: `${label} was deleted before this call’s disposition was saved. Choose another.` };
    }
    return null;
  }

  /** Whether the picker shows this wrap-up (it is not waiting for its call). */
  private isOpen(twilioCallSid: string): boolean {
    return this.deps.cache.wrapups.open().some((w) => w.twilioCallSid === twilioCallSid);
  }

  /** The refusal of an Undo after the window: what was saved, in the receptionist's words. */
  private tooLateToUndo(twilioCallSid: string, waitingDispositionId: string | null): IpcFailure {
    const savedId = waitingDispositionId ?? this.deps.cache.calls.getBySid(twilioCallSid)?.call.dispositionId ?? null;
    const label = savedId ? this.deps.cache.dispositions.get(savedId)?.label : undefined;
    if (!savedId) return new IpcFailure('NOT_FOUND', 'That call is no longer waiting for a disposition.');
    return new IpcFailure('TOO_LATE', label ? `Too late to undo: “${label}” was already saved.` : 'Too late to undo: the disposition was already saved.');
  }

  /** Commits the choice now (the undo window ended, or another call was chosen). */
  private commitNow(twilioCallSid: string): void {
    const wrapup = this.deps.cache.wrapups.get(twilioCallSid);
    try {
      this.commit(twilioCallSid);
      const label = wrapup?.dispositionId ? (this.deps.cache.dispositions.get(wrapup.dispositionId)?.label ?? null) : null;
      this.deps.onResolved({ twilioCallSid, outcome: 'logged', dispositionLabel: label });
    } catch (error) {
      this.deps.log?.('Could not commit a wrap-up', error);
      this.error = { twilioCallSid, message: error instanceof Error ? error.message : String(error) };
    }
    this.changed();
  }

  /**
   * Commits a wrap-up if its call is known locally; otherwise marks it to be committed when it is
   * (`alreadyWaiting`: it is marked, so still missing its call costs no write).
   */
  private commit(twilioCallSid: string, alreadyWaiting = false): boolean {
    const { cache } = this.deps;
    const wrapup = cache.wrapups.get(twilioCallSid);
    if (!wrapup) return false;
    if (wrapup.dispositionId === null) throw new IpcFailure('NO_DISPOSITION', 'Choose a disposition first.');
    const callId = wrapup.callId ?? cache.calls.getBySid(twilioCallSid)?.call.id ?? null;
    if (!callId) {
      if (!alreadyWaiting) cache.wrapups.markWaitingForCall(twilioCallSid, this.deps.clock.now());
      this.deps.kickSync();
      return false;
    }
    cache.calls.setDispositionLocally({
      callId,
      dispositionId: wrapup.dispositionId,
      note: wrapup.note,
      idempotencyKey: newIdempotencyKey('disposition'),
      twilioCallSid,
    });
    this.remember(twilioCallSid);
    const task = this.finishTaskOfCall(callId, wrapup.dispositionId, wrapup.note);
    this.deps.onLocalChange(task ? ['calls', 'tasks'] : ['calls']);
    this.deps.kickSync();
    return true;
  }

  /**
   * A call placed while working a call task (Let's Start): its wrap-up is the task's outcome, so the
   * same disposition completes the task and the queue moves on. Returns whether a task was finished.
   */
  private finishTaskOfCall(callId: string, dispositionId: string, note: string | null): boolean {
    const { cache } = this.deps;
    const task = cache.tasks.forCall(callId);
    if (!task) return false;
    try {
      cache.tasks.act({
        type: 'task.finish', idempotencyKey: newIdempotencyKey('task-finish'),
        payload: { taskId: task.id, outcome: 'completed', callOutcome: 'disposition', dispositionId, callId, ...(note ? { note } : {}) },
      });
      return true;
    } catch (error) {
      // The disposition is logged either way; the task stays open on the Tasks tab with its own picker.
      this.deps.log?.('The wrap-up could not complete its task', error);
      return false;
    }
  }

  private remember(twilioCallSid: string): void {
    this.ended.delete(twilioCallSid);
    this.ended.add(twilioCallSid);
    if (this.ended.size > REMEMBERED_ENDED) this.ended.delete(this.ended.values().next().value!);
  }

  private cancelPending(): void {
    if (this.pending) this.deps.clock.clearTimeout(this.pending.timer);
    this.pending = null;
  }

  /** The other location's name when the wrap-up belongs to a location the receptionist is not working in. */
  private outsideWorkLocation(locationId: string | null): string | null {
    if (locationId === null || this.workLocationId === null || locationId === this.workLocationId) return null;
    const locations = this.deps.cache.directory.locations();
    if (locations.length <= 1) return null;
    return locations.find((l) => l.id === locationId)?.name ?? 'another location';
  }

  private changed(): WrapUpStateView {
    const state = this.state();
    this.syncHotkeys(state);
    this.deps.onState(state);
    return state;
  }

  private syncHotkeys(state: WrapUpStateView = this.state()): void {
    const slots = state.items.length > 0 && !this.phoneBusy ? Math.min(MAX_KEYED_DISPOSITIONS, this.deps.cache.dispositions.activeCount()) : 0;
    if (slots === this.boundSlots) return;
    this.boundSlots = slots;
    this.deps.bindDispositionHotkeys(slots);
  }
}
