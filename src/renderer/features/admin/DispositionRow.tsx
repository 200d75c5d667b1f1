import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Disposition } from '../../../shared/cloud';
import { dispositionKey } from '../../../shared/disposition-keys';
import { MAX_LABEL } from './disposition-label';
import { focusNextFrame } from '../../lib/focus-next-frame';

type Mode = 'view' | 'rename' | 'confirm-delete';

export interface DispositionRowProps {
  disposition: Disposition;
  index: number;
  count: number;
  /** Resolves with null when done, else the message to show at this row. */
  onRename(label: string): Promise<string | null>;
  onDelete(): Promise<string | null>;
  onMove(delta: -1 | 1): void;
  /** A problem with this row from elsewhere (a reorder main refused). */
  problem?: string | null;
}

/**
 * One disposition: its key, its label (wrapping, however long), and its actions. Rename edits in
 * place with the error under the field; Delete asks on the row itself.
 */
export function DispositionRow(props: DispositionRowProps) {
  const { disposition: d, index, count } = props;
  const [mode, setMode] = useState<Mode>('view');
  const [draft, setDraft] = useState(d.label);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const keepRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const renameRef = useRef<HTMLButtonElement>(null);
  const fieldId = `rename-${d.id}`;
  const errorId = `${fieldId}-error`;

  useEffect(() => {
    if (mode === 'confirm-delete') keepRef.current?.focus();
  }, [mode]);

  const close = (focus: 'rename' | 'delete') => {
    setMode('view');
    setError(null);
    // Back to the button that opened it, so the keyboard user is where they were.
    focusNextFrame(() => (focus === 'rename' ? renameRef : deleteRef).current);
  };

  const onRowKey = (event: KeyboardEvent) => {
    if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      props.onMove(event.key === 'ArrowUp' ? -1 : 1);
    }
  };

  const act = async (work: () => Promise<string | null>, after: () => void) => {
    setBusy(true);
    const problem = await work();
    setBusy(false);
    if (problem) setError(problem);
    else after();
  };

  const shownError = error ?? props.problem ?? null;
  return (
    <li className={`disposition-row${mode === 'confirm-delete' ? ' confirming' : ''}`} tabIndex={0} onKeyDown={onRowKey} aria-label={`${d.label}, key ${dispositionKey(index)}`} data-testid="disposition-row">
      <div className="row-main">
        <kbd>{dispositionKey(index)}</kbd>
        {mode === 'rename' ? (
          <form
            className="rename-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void act(() => props.onRename(draft), () => close('rename'));
            }}
          >
            <label className="sr-only" htmlFor={fieldId}>
              New name for {d.label}
            </label>
            <input
              id={fieldId}
              value={draft}
              maxLength={MAX_LABEL}
              autoFocus
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              onChange={(e) => {
                setDraft(e.target.value);
                setError(null);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  e.stopPropagation();
                  close('rename');
                }
              }}
            />
            <button type="submit" disabled={busy}>
              Save
            </button>
            <button type="button" onClick={() => close('rename')}>
              Cancel
            </button>
          </form>
        ) : (
          <span className="label">{d.label}</span>
        )}
        {mode === 'view' ? (
          <span className="actions">
            <button type="button" aria-label={`Move ${d.label} up`} disabled={index === 0} onClick={() => props.onMove(-1)}>
              ↑
            </button>
            <button type="button" aria-label={`Move ${d.label} down`} disabled={index === count - 1} onClick={() => props.onMove(1)}>
              ↓
            </button>
            <button
              ref={renameRef}
              type="button"
              aria-label={`Rename ${d.label}`}
              onClick={() => {
                setDraft(d.label);
                setError(null);
                setMode('rename');
              }}
            >
              Rename
            </button>
            <button ref={deleteRef} type="button" className="danger" aria-label={`Delete ${d.label}`} onClick={() => setMode('confirm-delete')}>
              Delete
            </button>
          </span>
        ) : null}
      </div>
      {mode === 'confirm-delete' ? (
        <div role="alertdialog" aria-labelledby={`confirm-${d.id}`} className="confirm" onKeyDown={(e) => e.key === 'Escape' && close('delete')}>
          <p id={`confirm-${d.id}`}>Delete “{d.label}”? Calls already marked with it keep the label; it will no longer be offered.</p>
          <button type="button" className="danger" disabled={busy} onClick={() => void act(() => props.onDelete(), () => setMode('view'))}>
            Delete “{d.label}”
          </button>
          <button ref={keepRef} type="button" onClick={() => close('delete')}>
            Keep it
          </button>
        </div>
      ) : null}
      {shownError ? (
        <p className="field-error" id={errorId} role="alert">
          {shownError}
        </p>
      ) : null}
    </li>
  );
}
