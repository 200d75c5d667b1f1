import { z } from 'zod';
import { UNSAVED_WORK_MAX } from './quit-limits';

/**
 * Quitting with unsaved edits (Electron: tray Quit, the app menu, Cmd/Ctrl+Q, the OS ending the
 * session). The window tells main whenever the editors holding unsaved edits change
 * (`app.reportUnsaved`, each named as its warning names it: "Call policy"), so at quit time main
 * knows at once, without asking: nothing unsaved quits straight away, something unsaved gets main's
 * own dialog. Merged by contract.ts.
 */

export { UNSAVED_WORK_MAX };

/** What the window holds unsaved, by name; bounded, so a page cannot make main's dialog unreadable. */
export const unsavedWorkSchema = z.array(z.string().trim().min(1).max(80)).max(UNSAVED_WORK_MAX);

export const quitChannels = {
  /** The window's whole set of unsaved editors, sent each time it changes (and once at start): [] when none. */
  'app.reportUnsaved': {
    input: z.object({ unsaved: unsavedWorkSchema }).strict(),
    output: z.object({ accepted: z.boolean() }),
  },
} as const;

export const quitEvents = {
  /** The person chose Keep editing in main's quit dialog: bring the unsaved edits on screen. */
  'app.keepEditing': z.object({}),
} as const;
