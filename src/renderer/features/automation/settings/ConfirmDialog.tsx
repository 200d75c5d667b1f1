import { useCallback, useId, useState, type ReactNode } from 'react';
import { ErrorAlert } from '../../../ui/ErrorAlert';
import { ModalDialog } from '../../../ui/ModalDialog';

/**
 * "Delete …?" / "Disconnect …?": says what will happen, acts only on the danger button, and keeps
 * "Keep it" one Tab away. `onConfirm` does the work and answers null (the dialog closes, done) or
 * the sentence to show (the dialog stays, so the admin can read it and try again or keep it).
 */
export function ConfirmDialog(props: { title: string; children?: ReactNode; confirmLabel: string; onConfirm: () => Promise<string | null>; onClose: (done: boolean) => void }) {
  const titleId = useId();
  const [failure, setFailure] = useState<string | null>(null);
  const { onClose } = props;
  const close = useCallback(() => onClose(false), [onClose]);
  const confirm = async () => {
    const problem = await props.onConfirm();
    if (problem === null) onClose(true);
    else setFailure(problem);
  };
  return (
    <ModalDialog labelledBy={titleId} onClose={close}>
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
      <ErrorAlert message={failure} />
      <div className="automation-row">
        <button type="button" className="danger" onClick={() => void confirm()}>
          {props.confirmLabel}
        </button>
        <button type="button" onClick={close}>
          Keep it
        </button>
      </div>
    </ModalDialog>
  );
}
