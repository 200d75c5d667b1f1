import { z } from 'zod';

/**
 * Quitting with unsaved edits (Electron: tray Quit, the app menu, Cmd/Ctrl+Q, the OS ending the
 * session). Main asks the window what is unsaved (`app.quitAsked`), the window answers with
 * `app.answerQuit` naming each editor as its warning does ("Call policy"), and main shows its own
 * dialog. The id ties an answer to the question main is waiting on; any other answer is ignored.
 * Merged by contract.ts.
 */
export const quitRequestIdSchema = z.string().uuid();

/** What the window holds unsaved, by name; bounded, so a page cannot make main's dialog unreadable. */
export const unsavedWorkSchema = z.array(z.string().trim().min(1).max(80)).max(10);

export const quitChannels = {
  /** The window's answer to `app.quitAsked`: the editors with unsaved edits (none: quit goes on at once). */
  'app.answerQuit': {
    input: z.object({ requestId: quitRequestIdSchema, unsaved: unsavedWorkSchema }).strict(),
    output: z.object({ accepted: z.boolean() }),
  },
} as const;

export const quitEvents = {
  /** Someone asked to quit: answer with `app.answerQuit` and this id (main waits a short while, then quits). */
  'app.quitAsked': z.object({ requestId: quitRequestIdSchema }),
  /** The person chose Keep editing in main's quit dialog: bring the unsaved edits on screen. */
  'app.keepEditing': z.object({}),
} as const;
