import { getBridge } from '../bridge';
import { UNSAVED_WORK_MAX } from '../../shared/ipc/quit-limits';
import { showUnsavedWork, watchUnsavedWork } from './unsaved-changes';

/**
 * Keeps main told what the window holds unsaved (`app.reportUnsaved`: the whole set, at once and each
 * time it changes), so main decides a quit without asking the window: nothing unsaved quits at once,
 * something unsaved gets main's own dialog (hosts/quit-guard.ts). Follows that dialog's Keep editing
 * (`app.keepEditing`) by bringing the edits back on screen. Returns the unsubscribe.
 */
export function connectQuitGuard(): () => void {
  const bridge = getBridge();
  const report = (unsaved: string[]) =>
    void bridge.app.reportUnsaved({ unsaved: unsaved.slice(0, UNSAVED_WORK_MAX) }).then(
      (result) => {
        if (!result.ok) console.warn('Main was not told what is unsaved', result.error);
      },
      (error: unknown) => console.warn('Main was not told what is unsaved', error),
    );
  const offs = [watchUnsavedWork(report), bridge.on('app.keepEditing', () => showUnsavedWork())];
  return () => {
    for (const off of offs) off();
  };
}
