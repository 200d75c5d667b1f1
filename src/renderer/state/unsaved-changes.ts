import { useEffect } from 'react';
import { create } from 'zustand';

/**
 * An editor on screen with edits not saved yet: what it is, as the warning names it ("Call policy"),
 * how to save them (null once saved, else the problem to show: the edits stay) and how to drop them.
 */
export interface UnsavedEdits {
  what: string;
  save(): Promise<string | null>;
  discard(): void;
}

interface UnsavedChangesState {
  /** The editor on screen with unsaved edits, or null. */
  edits: UnsavedEdits | null;
  /** What the person asked to do meanwhile (leave the tab, the page…), held until they answer the warning. */
  leaving: (() => void) | null;
  /** Saving from the warning is under way. */
  saving: boolean;
  /** Why the save from the warning failed, or null. */
  problem: string | null;
}

/**
 * The one unsaved-changes guard of the window. An editor registers its unsaved edits while it is on
 * screen (`useUnsavedEdits`); every way of leaving it asks first (`leaveEdits`: the tabs and every
 * other navigation through `useNavigation.setView`, Settings' pages, signing out), and the shell's
 * dialog (app/UnsavedChangesDialog) offers Save, Discard or Keep editing. Closing the window asks too
 * (`beforeunload`), and so does quitting the Electron app: main is told `unsavedWork()` each time it
 * changes (quit-actions.ts) and asks with its own dialog. The phone alone never waits for it
 * (`useNavigation.showPhone`, an answered call): an editor that registers keeps its edits in its
 * store, so they are still there when it comes back.
 */
export const useUnsavedChanges = create<UnsavedChangesState>(() => ({ edits: null, leaving: null, saving: false, problem: null }));

/** Runs `leave` now when nothing is unsaved; else holds it until the person answers the warning. */
export function leaveEdits(leave: () => void): void {
  if (!useUnsavedChanges.getState().edits) return leave();
  useUnsavedChanges.setState({ leaving: leave, problem: null });
}

/** The warning's Keep editing (and Escape): nothing happens, the edits stay on screen. Not while a save is under way (it leaves when done). */
export function keepEditing(): void {
  if (useUnsavedChanges.getState().saving) return;
  useUnsavedChanges.setState({ leaving: null, problem: null });
}

/** The warning's Discard: the edits are dropped and the person goes where they asked. */
export function discardAndLeave(): void {
  const { edits, leaving } = useUnsavedChanges.getState();
  edits?.discard();
  useUnsavedChanges.setState({ edits: null, leaving: null, problem: null });
  leaving?.();
}

/** The warning's Save: once saved the person goes where they asked; a refusal stays in the warning and nothing is lost. */
export async function saveAndLeave(): Promise<void> {
  const { edits, leaving, saving } = useUnsavedChanges.getState();
  if (!edits || saving) return;
  useUnsavedChanges.setState({ saving: true, problem: null });
  const problem = await edits.save().catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
  useUnsavedChanges.setState({ saving: false, problem });
  if (problem !== null) return;
  if (useUnsavedChanges.getState().edits === edits) useUnsavedChanges.setState({ edits: null });
  useUnsavedChanges.setState({ leaving: null });
  leaving?.();
}

/**
 * An editor's registration: `edits` while it has unsaved ones (a stable object: memoise it), null
 * when it has none. Taken back when the editor leaves the screen.
 */
export function useUnsavedEdits(edits: UnsavedEdits | null): void {
  useEffect(() => {
    if (!edits) return;
    useUnsavedChanges.setState({ edits });
    return () => {
      if (useUnsavedChanges.getState().edits === edits) useUnsavedChanges.setState({ edits: null, leaving: null, saving: false, problem: null });
    };
  }, [edits]);
}

/**
 * Edits an editor keeps in its store while it is off screen (the phone took the screen for a call,
 * and the editor's registration went with it): what they are, whether there are any now, how to be
 * told when that may have changed, and how to bring them back on screen. Quitting and closing the
 * window ask about these too.
 */
export interface KeptEdits {
  what: string;
  present(): boolean;
  /** Calls `changed` whenever `present()` may answer differently. Returns the unsubscribe. */
  subscribe(changed: () => void): () => void;
  show(): void;
}

/** Each kept editor with its unsubscribe. */
const keptEdits = new Map<KeptEdits, () => void>();
/** Told whenever what is unsaved may have changed (`watchUnsavedWork`). */
const workWatchers = new Set<() => void>();
const workMayHaveChanged = () => {
  for (const watcher of [...workWatchers]) watcher();
};

/** Adds an editor's off-screen edits to what quitting asks about. Returns the unsubscribe. */
export function keepEditsOffScreen(kept: KeptEdits): () => void {
  keptEdits.set(kept, kept.subscribe(workMayHaveChanged));
  workMayHaveChanged();
  return () => {
    keptEdits.get(kept)?.();
    keptEdits.delete(kept);
    workMayHaveChanged();
  };
}

/** Everything the window holds unsaved, by name, each once: the editor on screen first, then edits kept off screen. */
export function unsavedWork(): string[] {
  const onScreen = useUnsavedChanges.getState().edits?.what;
  const kept = [...keptEdits.keys()].filter((k) => k.present()).map((k) => k.what);
  return [...new Set(onScreen ? [onScreen, ...kept] : kept)];
}

const sameNames = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((name, i) => name === b[i]);

/**
 * Calls `listener` with `unsavedWork()` now and again each time it changes (not on every keystroke:
 * only when the set of names does). Returns the unsubscribe.
 */
export function watchUnsavedWork(listener: (work: string[]) => void): () => void {
  let last = unsavedWork();
  const check = () => {
    const now = unsavedWork();
    if (sameNames(now, last)) return;
    last = now;
    listener(now);
  };
  workWatchers.add(check);
  const offScreen = useUnsavedChanges.subscribe(check);
  listener(last);
  return () => {
    workWatchers.delete(check);
    offScreen();
  };
}

/** Keep editing, from main's quit dialog: the editor on screen stays; else the first kept edits come back on screen. */
export function showUnsavedWork(): void {
  if (useUnsavedChanges.getState().edits) return;
  [...keptEdits.keys()].find((k) => k.present())?.show();
}

/**
 * Closing (or reloading) the window with unsaved edits, on screen or kept, asks first: the browser's
 * own "Leave site?" prompt. Returns the unsubscribe. (Electron's window hides on close instead, edits
 * intact; on quit main asks with its own dialog first — hosts/quit-guard.ts — then lets the page go.)
 */
export function askBeforeUnload(target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): () => void {
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (unsavedWork().length === 0) return;
    event.preventDefault();
    // Older Chromium builds ask only when returnValue is set.
    event.returnValue = '';
  };
  target.addEventListener('beforeunload', onBeforeUnload);
  return () => target.removeEventListener('beforeunload', onBeforeUnload);
}
