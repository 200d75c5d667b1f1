import { getBridge } from '../bridge';
import { showUnsavedWork, unsavedWork } from './unsaved-changes';

/**
 * Answers main's question before a quit (`app.quitAsked`: what is unsaved?) at once, from the
 * unsaved-changes guard, and brings the edits back on screen when the person chose Keep editing in
 * main's quit dialog (`app.keepEditing`). Main shows the dialog itself (hosts/quit-guard.ts).
 * Returns the unsubscribe.
 */
export function connectQuitQuestions(): () => void {
  const bridge = getBridge();
  const offs = [
    bridge.on('app.quitAsked', ({ requestId }) => void bridge.app.answerQuit({ requestId, unsaved: unsavedWork().slice(0, 10) })),
    bridge.on('app.keepEditing', () => showUnsavedWork()),
  ];
  return () => {
    for (const off of offs) off();
  };
}
