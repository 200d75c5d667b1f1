/**
 * What the windows hold unsaved, as each last said (`app.reportUnsaved`, through the router: sender
 * check and zod), so main knows at quit time without asking (hosts/quit-guard.ts). Kept per window:
 * a window that has not reported yet holds nothing main knows of, and one that reloads or whose page
 * crashes is forgotten (`forget`), since its edits went with the page.
 */
export class UnsavedWork {
  private readonly byWindow = new Map<number, readonly string[]>();

  /** `changed` is told after each change (the core's listeners: the quit guard follows it). */
  constructor(private readonly changed: () => void = () => {}) {}

  /** A window's whole set now ([] when none): replaces what it said before. */
  report(windowId: number, unsaved: readonly string[]): void {
    const names = [...new Set(unsaved)];
    if (names.length > 0) this.byWindow.set(windowId, names);
    else if (!this.byWindow.delete(windowId)) return;
    this.changed();
  }

  /** The window's page is gone (reloaded, crashed, closed): so are its edits. */
  forget(windowId: number): void {
    if (this.byWindow.delete(windowId)) this.changed();
  }

  /** Every unsaved editor by name, each once, in the order the windows named them. */
  names(): string[] {
    return [...new Set([...this.byWindow.values()].flat())];
  }
}
