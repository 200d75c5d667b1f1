import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { MAX_DISPOSITIONS, type Disposition } from '../../../shared/cloud';
import type { DispositionAdminInput } from '../../../shared/ipc/views';
import { dispositionKey } from '../../../shared/disposition-keys';
import { usePractice } from '../../state/practice';
import { useIsAdmin } from '../../state/session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { administerDispositions } from './admin-actions';

/**
 * Settings → Phone System → Call Dispositions, for account admins: create, rename, delete and
 * reorder, at most 10. Renames are safe: calls and automations refer to the disposition's id.
 */
export function DispositionAdmin() {
  const isAdmin = useIsAdmin();
  const dispositions = usePractice((s) => s.dispositions);
  const [label, setLabel] = useState('');
  const [editing, setEditing] = useState<{ id: string; label: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<Disposition | null>(null);
  const [error, setError] = useState<string | null>(null);

  if (!isAdmin) return <p className="placeholder">Only account admins can change dispositions.</p>;
  const active = dispositions?.active ?? [];
  const full = active.length >= MAX_DISPOSITIONS;

  const run = async (input: DispositionAdminInput) => {
    setError(null);
    const result = await administerDispositions(input);
    if (!result.ok) setError(result.error.message);
    return result.ok;
  };

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (full) return setError(`You already have ${MAX_DISPOSITIONS} dispositions, the most an account can have. Delete one first.`);
    if (await run({ action: 'create', label: label.trim() })) setLabel('');
  };

  const move = (index: number, delta: -1 | 1) => {
    const target = index + delta;
    if (target < 0 || target >= active.length) return;
    const ids = active.map((d) => d.id);
    [ids[index], ids[target]] = [ids[target]!, ids[index]!];
    void run({ action: 'reorder', orderedIds: ids });
  };

  const onRowKey = (event: KeyboardEvent, index: number) => {
    if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      move(index, event.key === 'ArrowUp' ? -1 : 1);
    }
  };

  return (
    <section className="disposition-admin" aria-labelledby="disp-admin-title">
      <header>
        <h2 id="disp-admin-title">Call dispositions</h2>
        <span className={`counter${full ? ' full' : ''}`} aria-live="polite" data-testid="disposition-counter">
          {active.length} of {MAX_DISPOSITIONS}
        </span>
      </header>
      <p className="hint">Receptionists pick these when a call ends, with keys 1–0. Renaming keeps history and automations intact. Alt+↑/↓ reorders.</p>
      <ErrorAlert message={error} />
      <ol className="disposition-list">
        {active.map((d, index) => (
          <li key={d.id} tabIndex={0} onKeyDown={(e) => onRowKey(e, index)} aria-label={`${d.label}, key ${dispositionKey(index)}`}>
            <kbd>{dispositionKey(index)}</kbd>
            {editing?.id === d.id ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  void run({ action: 'rename', dispositionId: d.id, label: editing.label.trim() }).then((ok) => ok && setEditing(null));
                }}
              >
                <input aria-label={`New name for ${d.label}`} value={editing.label} maxLength={60} autoFocus onChange={(e) => setEditing({ id: d.id, label: e.target.value })} onKeyDown={(e) => e.key === 'Escape' && setEditing(null)} />
                <button type="submit">Save</button>
              </form>
            ) : (
              <span className="label">{d.label}</span>
            )}
            <span className="actions">
              <button type="button" aria-label={`Move ${d.label} up`} disabled={index === 0} onClick={() => move(index, -1)}>
                ↑
              </button>
              <button type="button" aria-label={`Move ${d.label} down`} disabled={index === active.length - 1} onClick={() => move(index, 1)}>
                ↓
              </button>
              <button type="button" onClick={() => setEditing({ id: d.id, label: d.label })}>
                Rename
              </button>
              <button type="button" className="danger" onClick={() => setConfirmDelete(d)}>
                Delete
              </button>
            </span>
          </li>
        ))}
      </ol>
      {confirmDelete ? (
        <div role="alertdialog" aria-labelledby="confirm-delete" className="confirm">
          <p id="confirm-delete">
            Delete “{confirmDelete.label}”? Calls already marked with it keep the label; it will no longer be offered.
          </p>
          <button type="button" className="danger" onClick={() => void run({ action: 'delete', dispositionId: confirmDelete.id }).then(() => setConfirmDelete(null))}>
            Delete
          </button>
          <button type="button" onClick={() => setConfirmDelete(null)} autoFocus>
            Keep it
          </button>
        </div>
      ) : null}
      <form className="row" onSubmit={(e) => void create(e)}>
        <label>
          New disposition
          <input value={label} maxLength={60} placeholder="e.g. Price shopper" onChange={(e) => setLabel(e.target.value)} disabled={full} />
        </label>
        <button type="submit" disabled={full || label.trim() === ''}>
          Add
        </button>
      </form>
      {full ? <p className="hint" role="status">You have reached the limit of {MAX_DISPOSITIONS} dispositions. Delete one to add another.</p> : null}
    </section>
  );
}
