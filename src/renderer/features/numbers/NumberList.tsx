import { useMemo, useState } from 'react';
import type { ManagedNumber } from '../../../shared/cloud/numbers';
import { formatPhone } from '../../lib/phone';
import { DeleteNumberDialog } from './DeleteNumberDialog';
import { capabilitiesText, formatMoney, TYPE_LABELS, unconfirmedText } from './number-text';
import { loadNumbers } from './numbers-actions';
import { useNumbers } from './numbers-store';
import { TrashIcon } from '../../ui/icons';

/** Matches a name, a number as typed in any format, or a member's name. */
function matches(n: ManagedNumber, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const digits = q.replace(/\D/g, '');
  return n.name.toLowerCase().includes(q) || (n.assignedUserName ?? '').toLowerCase().includes(q) || (digits.length > 0 && n.number.includes(digits));
}

/** Settings → Phone Numbers: the live numbers with what they are, who they ring and what they cost. */
export function NumberList(props: { onMessage: (message: string) => void }) {
  const overview = useNumbers((s) => s.overview);
  const open = useNumbers((s) => s.open);
  const [query, setQuery] = useState('');
  const [deleting, setDeleting] = useState<ManagedNumber | null>(null);
  const shown = useMemo(() => (overview?.numbers ?? []).filter((n) => matches(n, query)), [overview, query]);
  if (!overview) return null;

  return (
    <section aria-labelledby="numbers-list-title" className="numbers-list">
      <div className="numbers-toolbar">
        <h2 id="numbers-list-title">Phone numbers</h2>
        <label className="numbers-search">
          <span className="sr-only">Search numbers</span>
          <input type="search" placeholder="Search by name, number or member" value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <button type="button" className="primary" onClick={() => open({ kind: 'buy' })}>
          + Add Number
        </button>
      </div>
      {overview.unconfirmed.length > 0 ? (
        <section aria-labelledby="unconfirmed-title" className="notice-box unconfirmed-purchases" data-testid="unconfirmed-purchases">
          <h3 id="unconfirmed-title">Purchases Twilio did not confirm</h3>
          <ul>
            {overview.unconfirmed.map((p) => (
              <li key={p.id}>
                <strong>{formatPhone(p.phoneNumber)}</strong> (bought {new Date(p.requestedAt).toLocaleString()}): {unconfirmedText(p)}
              </li>
            ))}
          </ul>
          {overview.unconfirmed.some((p) => p.state === 'checking') ? (
            <button type="button" onClick={() => void loadNumbers()}>
              Refresh
            </button>
          ) : null}
        </section>
      ) : null}
      {overview.numbers.length === 0 ? (
        <p className="placeholder">The practice has no phone numbers yet. Add one to take calls.</p>
      ) : shown.length === 0 ? (
        <p className="placeholder" role="status">
          No number matches “{query}”.
        </p>
      ) : (
        <div className="table-scroll" role="region" aria-label="Numbers table" tabIndex={0}>
          <table className="numbers-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Number</th>
                <th scope="col">Type</th>
                <th scope="col">Capabilities</th>
                <th scope="col">Assigned to</th>
                <th scope="col">Status</th>
                <th scope="col">Monthly cost</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((n) => (
                <tr key={n.id} data-testid={`number-row-${n.number}`}>
                  <th scope="row">{n.name}</th>
                  <td>{formatPhone(n.number)}</td>
                  <td>{TYPE_LABELS[n.numberType]}</td>
                  <td>{capabilitiesText(n.capabilities)}</td>
                  <td>{n.assignedUserName ?? (n.inboundRouting === 'ring_all' ? 'Ring all' : 'No one')}</td>
                  <td>{n.status === 'active' ? 'Active' : n.status}</td>
                  <td>{n.monthlyFee ? formatMoney(n.monthlyFee) : 'Not billed'}</td>
                  <td className="row-actions">
                    <button type="button" onClick={() => open({ kind: 'settings', numberId: n.id })} aria-label={`Settings for ${n.name}`}>
                      Settings
                    </button>
                    <button type="button" className="icon-button" onClick={() => setDeleting(n)} aria-label={`Delete ${n.name}, ${formatPhone(n.number)}`} title="Delete">
                      <TrashIcon />
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deleting ? (
        <DeleteNumberDialog
          number={deleting}
          onCancel={() => setDeleting(null)}
          onDone={(message) => {
            setDeleting(null);
            props.onMessage(message);
          }}
        />
      ) : null}
    </section>
  );
}
