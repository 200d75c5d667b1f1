import { useEffect, useRef, useState, type FormEvent } from 'react';
import { MAX_DISPOSITIONS } from '../../../shared/cloud';
import type { DispositionAdminInput } from '../../../shared/ipc/views';
import { usePractice } from '../../state/practice';
import { useIsAdmin } from '../../state/session';
import { administerDispositions } from './admin-actions';
import { labelProblem, MAX_LABEL } from './disposition-label';
import { DispositionRow } from './DispositionRow';

const NEW_FIELD = 'new-disposition';

/**
 * Settings → Phone System → Call Dispositions, for account admins: create, rename, delete and
 * reorder, at most 10. Renames are safe: calls and automations refer to the disposition's id.
 * Each problem is shown at the field or row that caused it, and what was typed stays.
 */
export function DispositionAdmin() {
  const isAdmin = useIsAdmin();
  const dispositions = usePractice((s) => s.dispositions);
  const [label, setLabel] = useState('');
  const [createError, setCreateError] = useState<string | null>(null);
  const [rowProblem, setRowProblem] = useState<{ id: string; message: string } | null>(null);
  const list = useRef<HTMLOListElement>(null);
  const newField = useRef<HTMLInputElement>(null);
  // The place of a row just deleted: once the list is drawn without it, the keyboard goes to the row
  // now in its place (the next one), else the one before, else the new-disposition field — never
  // back to the top of the window with the removed row.
  const [deletedAt, setDeletedAt] = useState<number | null>(null);
  useEffect(() => {
    if (deletedAt === null) return;
    setDeletedAt(null);
    const rows = list.current?.children ?? [];
    const row = rows[Math.min(deletedAt, rows.length - 1)];
    (row instanceof HTMLElement ? row : newField.current)?.focus();
  }, [deletedAt]);

  if (!isAdmin) return <p className="placeholder">Only account admins can change dispositions.</p>;
  const active = dispositions?.active ?? [];
  const full = active.length >= MAX_DISPOSITIONS;

  /** Null when main did it, else its message. */
  const run = async (input: DispositionAdminInput): Promise<string | null> => {
    const result = await administerDispositions(input);
    return result.ok ? null : result.error.message;
  };

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const problem = full ? `You already have ${MAX_DISPOSITIONS} dispositions, the most an account can have. Delete one first.` : labelProblem(label, active);
    if (problem) return setCreateError(problem);
    const failed = await run({ action: 'create', label: label.trim() });
    setCreateError(failed);
    if (!failed) setLabel('');
  };

  const remove = async (index: number, dispositionId: string): Promise<string | null> => {
    const failed = await run({ action: 'delete', dispositionId });
    if (!failed) setDeletedAt(index);
    return failed;
  };

  const move = (index: number, delta: -1 | 1) => {
    const target = index + delta;
    if (target < 0 || target >= active.length) return;
    const ids = active.map((d) => d.id);
    [ids[index], ids[target]] = [ids[target]!, ids[index]!];
    const id = active[index]!.id;
    setRowProblem(null);
    void run({ action: 'reorder', orderedIds: ids }).then((message) => message && setRowProblem({ id, message }));
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
      <ol ref={list} className="disposition-list">
        {active.map((d, index) => (
          <DispositionRow
            key={d.id}
            disposition={d}
            index={index}
            count={active.length}
            problem={rowProblem?.id === d.id ? rowProblem.message : null}
            onMove={(delta) => move(index, delta)}
            onRename={async (next) => labelProblem(next, active, d.id) ?? (next.trim() === d.label ? null : await run({ action: 'rename', dispositionId: d.id, label: next.trim() }))}
            onDelete={() => remove(index, d.id)}
          />
        ))}
      </ol>
      <form className="new-disposition" noValidate onSubmit={(e) => void create(e)}>
        <label htmlFor={NEW_FIELD}>New disposition</label>
        <div className="row">
          <input
            ref={newField}
            id={NEW_FIELD}
            value={label}
            maxLength={MAX_LABEL}
            placeholder="e.g. Price shopper"
            aria-invalid={createError ? true : undefined}
            aria-describedby={createError ? `${NEW_FIELD}-error` : undefined}
            onChange={(e) => {
              setLabel(e.target.value);
              setCreateError(null);
            }}
            disabled={full}
          />
          <button type="submit" disabled={full}>
            Add
          </button>
        </div>
        {createError ? (
          <p className="field-error" id={`${NEW_FIELD}-error`} role="alert">
            {createError}
          </p>
        ) : null}
      </form>
      {full ? <p className="hint" role="status">You have reached the limit of {MAX_DISPOSITIONS} dispositions. Delete one to add another.</p> : null}
    </section>
  );
}
