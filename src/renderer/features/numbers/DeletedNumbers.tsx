import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { DeletedNumber, RestoreResult } from '../../../shared/cloud/numbers';
import { formatPhone } from '../../lib/phone';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { ModalDialog } from '../../ui/ModalDialog';
import { formatMoney, restoreWindowText } from './number-text';
import { loadDeletedNumbers, releaseHeldNumber, restoreNumber } from './numbers-actions';
import { useNumbers } from './numbers-store';

/** A held number released now: "Release" typed, permanent. */
function ReleaseDialog(props: { number: DeletedNumber; onClose: () => void; onReleased: (message: string) => void }) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { onClose } = props;
  const close = useCallback(() => onClose(), [onClose]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (typed !== 'Release') return;
    const result = await releaseHeldNumber(props.number.id);
    if (!result.ok) return setError(result.error.message);
    props.onReleased(`${formatPhone(props.number.number)} was released. It can no longer be restored.`);
  };
  return (
    <ModalDialog labelledBy="release-title" onClose={close} className="numbers-dialog">
      <h2 id="release-title">Release {formatPhone(props.number.number)} now?</h2>
      <ErrorAlert message={error} />
      <form onSubmit={(e) => void submit(e)}>
        <p>Releasing is permanent: anyone may buy the number afterwards. Type <strong>Release</strong> to confirm.</p>
        <label>
          Type Release
          <input value={typed} autoFocus autoComplete="off" onChange={(e) => setTyped(e.target.value)} />
        </label>
        <div className="actions">
          <button type="submit" className="danger" disabled={typed !== 'Release'}>
            Confirm Release
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}

/** What restoring did, in full: back with its settings, whose Inbound Number it is again (or not), what was charged. */
function restoredText(n: DeletedNumber, restored: RestoreResult): string {
  const { number, charged, memberNotRestored } = restored;
  const member = number.assignedUserName
    ? ` It is ${number.assignedUserName}’s Inbound Number again.`
    : memberNotRestored
      ? ` It was ${memberNotRestored}’s Inbound Number; they have another one now or left the team, so assign it from Team inbound numbers if needed.`
      : '';
  return `${formatPhone(n.number)} is back on the practice’s list with its settings as they were.${member} Billing restarted: ${formatMoney(charged)} charged.`;
}

/** Deleted numbers: held ones with the days left to restore them (admin), and released ones. */
export function DeletedNumbers(props: { onMessage: (message: string) => void }) {
  const deleted = useNumbers((s) => s.deleted);
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [releasing, setReleasing] = useState<DeletedNumber | null>(null);
  useEffect(() => {
    void loadDeletedNumbers();
  }, []);
  if (!deleted) return <p className="placeholder">Loading deleted numbers…</p>;

  const restore = async (n: DeletedNumber) => {
    setBusyId(n.id);
    setError(null);
    const result = await restoreNumber(n.id);
    setBusyId(null);
    if (!result.ok) return setError(`${formatPhone(n.number)}: ${result.error.message}`);
    props.onMessage(restoredText(n, result.value));
  };

  return (
    <section aria-labelledby="deleted-title">
      <h2 id="deleted-title">Deleted numbers</h2>
      <p className="hint">
        A number deleted with NO is kept for 10 days with its settings. Restoring it brings it back as it was — its settings, and its team member’s Inbound
        Number if they have no other — and billing restarts. After 10 days it is released automatically. A released number cannot be restored here: within
        10 days of its deletion, Aesthetix support may be able to get it back, without its settings.
      </p>
      <ErrorAlert message={error} />
      {deleted.length === 0 ? (
        <p className="placeholder">No deleted numbers.</p>
      ) : (
        <ul className="deleted-list">
          {deleted.map((n) => (
            <li key={n.id} data-testid={`deleted-${n.number}`}>
              <div>
                <strong>{formatPhone(n.number)}</strong> <span className="muted">{n.name}</span>
                <div className={n.status === 'held' && n.daysLeft ? 'days-left' : 'muted'}>{restoreWindowText(n)}</div>
                <small className="muted">
                  Deleted {new Date(n.deletedAt).toLocaleDateString()}
                  {n.deletedByName ? ` by ${n.deletedByName}` : ''}
                </small>
              </div>
              {n.canRestore ? (
                <span className="actions">
                  <button type="button" className="primary" disabled={busyId === n.id} onClick={() => void restore(n)} aria-label={`Restore ${formatPhone(n.number)}`}>
                    Restore
                  </button>
                  <button type="button" onClick={() => setReleasing(n)} aria-label={`Release now: ${formatPhone(n.number)}`}>
                    Release now
                  </button>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {releasing ? (
        <ReleaseDialog
          number={releasing}
          onClose={() => setReleasing(null)}
          onReleased={(message) => {
            setReleasing(null);
            props.onMessage(message);
          }}
        />
      ) : null}
    </section>
  );
}
