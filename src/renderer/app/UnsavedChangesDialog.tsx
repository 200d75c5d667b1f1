import { useEffect, useId } from 'react';
import { askBeforeUnload, discardAndLeave, keepEditing, saveAndLeave, useUnsavedChanges, type UnsavedEdits } from '../state/unsaved-changes';
import { ErrorAlert } from '../ui/ErrorAlert';
import { ModalDialog } from '../ui/ModalDialog';

/**
 * The unsaved-changes warning (state/unsaved-changes.ts), shown by the shell over every screen when
 * the person leaves an editor with edits not saved: Save (the default, first), Discard, or Keep
 * editing (also Escape). A failed save stays here with the reason, nothing lost. While mounted,
 * closing the window asks too (the browser's own prompt).
 */
export function UnsavedChangesDialog() {
  const edits = useUnsavedChanges((s) => s.edits);
  const leaving = useUnsavedChanges((s) => s.leaving);
  useEffect(() => askBeforeUnload(), []);
  return edits && leaving ? <Warning edits={edits} /> : null;
}

function Warning(props: { edits: UnsavedEdits }) {
  const titleId = useId();
  const saving = useUnsavedChanges((s) => s.saving);
  const problem = useUnsavedChanges((s) => s.problem);
  return (
    <ModalDialog labelledBy={titleId} onClose={keepEditing}>
      <h2 id={titleId}>{props.edits.what}: changes not saved</h2>
      <p>Save them before you go, or discard them. Until they are saved, nothing you changed here is in effect.</p>
      <ErrorAlert message={problem} />
      <div className="actions">
        <button type="button" className="primary" autoFocus disabled={saving} onClick={() => void saveAndLeave()}>
          {saving ? 'Saving…' : 'Save and continue'}
        </button>
        <button type="button" disabled={saving} onClick={discardAndLeave}>
          Discard changes
        </button>
        <button type="button" disabled={saving} onClick={keepEditing}>
          Keep editing
        </button>
      </div>
    </ModalDialog>
  );
}
