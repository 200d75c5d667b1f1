import { useEffect, useState } from 'react';
import type { UnsentList } from '../../../shared/ipc/contract-local-first';
import { dismissRefused, exportUnsent, followUnsent } from './unsent-actions';

/**
 * The changes on this computer no cloud has accepted yet. An admin sees everyone's (someone who
 * signed out may have left some); a receptionist sees their own. They can be saved as a file; only
 * a change the cloud refused can be dismissed, one by one, by explicit choice.
 */
export function UnsentChanges() {
  const [list, setList] = useState<UnsentList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(
    () =>
      followUnsent((result) => {
        if (typeof result === 'string') return setError(result);
        setList(result);
        setError(null);
      }),
    [],
  );

  if (error) return <p className="error">{error}</p>;
  if (!list) return null;
  const others = list.changes.filter((c) => !c.mine).length;
  return (
    <div data-testid="unsent-changes">
      <p>
        {list.changes.length === 0
          ? 'Every change made on this computer has reached the cloud.'
          : `${list.changes.length} change${list.changes.length === 1 ? '' : 's'} on this computer ${list.changes.length === 1 ? 'has' : 'have'} not reached the cloud yet${
              others > 0 ? ` (${others} by other people or for another cloud; sent when they sign in here again)` : ''
            }.`}
      </p>
      {list.changes.length > 0 ? (
        <>
          <ul className="unsent-list">
            {list.changes.map((change) => (
              <li key={change.idempotencyKey}>
                <span>
                  {change.summary}
                  {change.state === 'refused' ? ' — refused by the cloud' : ''}
                  {change.state === 'refused' ? (
                    <>
                      {' '}
                      <button
                        type="button"
                        aria-label={`Dismiss: ${change.summary}`}
                        onClick={() => void dismissRefused([change.idempotencyKey]).then((r) => (typeof r === 'string' ? setError(r) : setList(r)))}
                      >
                        Dismiss
                      </button>
                    </>
                  ) : null}
                </span>
                <small className="hint">
                  {new Date(change.createdAt).toLocaleString()} · {change.mine ? 'yours' : `by ${change.ownerUserId ?? 'unknown'} on ${change.ownerCloud ?? 'unknown cloud'}`}
                  {change.lastError ? ` · last try: ${change.lastError}` : ''}
                </small>
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => void exportUnsent().then(setSaved)}>
            Save a copy of {list.scope === 'all' ? 'all unsent changes' : 'my unsent changes'}…
          </button>
          {saved ? <p role="status">{saved}</p> : null}
        </>
      ) : null}
    </div>
  );
}
