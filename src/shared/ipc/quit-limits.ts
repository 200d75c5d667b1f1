/**
 * The bounds of the window's unsaved-work report (contract-quit.ts): zod-free, so the page's start
 * path, which sends the report, loads no schema library (test/integration/renderer-start-imports.test.ts).
 */

/** The most editors one report names: more than the app has, few enough for a readable dialog. */
export const UNSAVED_WORK_MAX = 10;
