import { useCallback, useState, type FormEvent } from 'react';
import type { ManagedNumber } from '../../../shared/cloud/numbers';
import { formatPhone } from '../../lib/phone';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { ModalDialog } from '../../ui/ModalDialog';
import { deleteNumber } from './numbers-actions';

type Step = 'delete' | 'keep-or-release' | 'release';

/**
 * Seed 001's delete: type Delete → keep (NO: held 10 days with its settings, restorable as it was,
 * then released automatically) or release (type Release → Confirm Release: permanent).
 */
export function DeleteNumberDialog(props: { number: ManagedNumber; onDone: (message: string) => void; onCancel: () => void }) {
  const [step, setStep] = useState<Step>('delete');
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { onCancel } = props;
  const close = useCallback(() => onCancel(), [onCancel]);
  const shown = `${props.number.name} (${formatPhone(props.number.number)})`;

  const submit = async (release: boolean) => {
    setBusy(true);
    setError(null);
    const result = await deleteNumber(
      props.number.id,
      release ? { confirmation: 'Delete', release: true, releaseConfirmation: 'Release' } : { confirmation: 'Delete', release: false },
    );
    setBusy(false);
    if (!result.ok) return setError(result.error.message);
    props.onDone(
      release
        ? `${shown} was released. It is no longer the practice’s.`
        : `${shown} was deleted. It is held for 10 days with its settings: restore it from Deleted numbers before then, or it is released automatically.`,
    );
  };

  const onTyped = (event: FormEvent) => {
    event.preventDefault();
    if (step === 'delete' && typed === 'Delete') {
      setStep('keep-or-release');
      setTyped('');
    } else if (step === 'release' && typed === 'Release') void submit(true);
  };

  return (
    <ModalDialog labelledBy="delete-number-title" onClose={close} className="numbers-dialog">
      <h2 id="delete-number-title">Delete {shown}?</h2>
      <ErrorAlert message={error} />
      {step === 'keep-or-release' ? (
        <>
          <p>Release the number to the carrier too?</p>
          <ul className="hint">
            <li>
              <strong>NO</strong> keeps the number and its settings for 10 days: it leaves your list and rings no one. Restored from Deleted numbers within those 10
              days, it comes back as it was (billing restarts). After 10 days it is released automatically.
            </li>
            <li>
              <strong>Release</strong> gives it back for others to buy. This is permanent.
            </li>
          </ul>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void submit(false)} autoFocus>
              NO, keep the number
            </button>
            <button type="button" className="danger" disabled={busy} onClick={() => setStep('release')}>
              Release…
            </button>
            <button type="button" onClick={close}>
              Cancel
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={onTyped}>
          {step === 'delete' ? (
            <p>Calls to this number stop reaching the practice. Type <strong>Delete</strong> to continue.</p>
          ) : (
            <p>
              Releasing is permanent: anyone may buy the number afterwards. Type <strong>Release</strong> to confirm.
            </p>
          )}
          <label>
            {step === 'delete' ? 'Type Delete' : 'Type Release'}
            <input value={typed} autoFocus autoComplete="off" onChange={(e) => setTyped(e.target.value)} />
          </label>
          <div className="actions">
            {step === 'delete' ? (
              <button type="submit" className="danger" disabled={typed !== 'Delete'}>
                Delete
              </button>
            ) : (
              <button type="submit" className="danger" disabled={typed !== 'Release' || busy}>
                Confirm Release
              </button>
            )}
            <button type="button" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}
