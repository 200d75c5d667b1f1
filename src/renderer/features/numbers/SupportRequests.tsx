import { useEffect, useState } from 'react';
import { formatPhone } from '../../lib/phone';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { cancelSupportRequest, loadSupportRequests } from './numbers-actions';
import { useNumbers } from './numbers-store';

const KIND_TEXT = { international: 'International number', port_in: 'Port in a number', unlisted: 'A number not listed' } as const;
const STATUS_TEXT = { open: 'Open', in_progress: 'In progress', completed: 'Done', cancelled: 'Cancelled' } as const;

/** What the practice asked Aesthetix support for: international numbers, port-ins, unlisted numbers. */
export function SupportRequests() {
  const requests = useNumbers((s) => s.requests);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void loadSupportRequests();
  }, []);
  if (!requests) return <p className="placeholder">Loading requests…</p>;
  return (
    <section aria-labelledby="requests-title">
      <h2 id="requests-title">Support requests</h2>
      <ErrorAlert message={error} />
      {requests.length === 0 ? (
        <p className="placeholder">No requests. International numbers are requested from the Add Number screen.</p>
      ) : (
        <ul className="deleted-list">
          {requests.map((r) => (
            <li key={r.id}>
              <div>
                <strong>
                  {KIND_TEXT[r.kind]} · {r.country}
                </strong>{' '}
                <span className="muted">{STATUS_TEXT[r.status]}</span>
                {r.phoneNumbers.length ? <div>{r.phoneNumbers.map((p) => formatPhone(p)).join(', ')}</div> : null}
                {r.note ? <div className="muted">{r.note}</div> : null}
                <small className="muted">
                  {new Date(r.createdAt).toLocaleString()}
                  {r.requestedByName ? ` by ${r.requestedByName}` : ''}
                </small>
              </div>
              {r.status === 'open' ? (
                <button
                  type="button"
                  onClick={() =>
                    void cancelSupportRequest(r.id).then((result) => {
                      if (!result.ok) setError(result.error.message);
                    })
                  }
                >
                  Cancel request
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
