import { useState } from 'react';
import { formatPhone } from '../../lib/phone';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { setInboundNumber } from './numbers-actions';
import { useNumbers } from './numbers-store';

/**
 * My Staff → each member's Call & Voicemail settings → Inbound Number: one number per member; a
 * number another member holds is refused with who holds it.
 */
export function StaffInboundNumbers(props: { onMessage: (message: string) => void }) {
  const overview = useNumbers((s) => s.overview);
  const [error, setError] = useState<string | null>(null);
  if (!overview) return null;
  const numberName = (id: string | null) => {
    const n = overview.numbers.find((x) => x.id === id);
    if (!n) return 'none';
    return n.name === formatPhone(n.number) ? n.name : `${n.name} (${formatPhone(n.number)})`;
  };

  const change = async (userId: string, name: string, phoneNumberId: string | null) => {
    setError(null);
    const result = await setInboundNumber(userId, phoneNumberId);
    if (!result.ok) return setError(`${name}: ${result.error.message}`);
    props.onMessage(`${name}’s Inbound Number is now ${numberName(phoneNumberId)}.`);
  };

  return (
    <section aria-labelledby="staff-title">
      <h2 id="staff-title">Team inbound numbers</h2>
      <p className="hint">All calls to a member’s Inbound Number ring that member. Each member can have one, and each number belongs to one member.</p>
      <ErrorAlert message={error} />
      <ul className="staff-list">
        {overview.members.map((m) => (
          <li key={m.id}>
            <span>
              <strong>{m.name}</strong> <span className="muted">{m.role === 'admin' ? 'Admin' : 'User'}</span>
            </span>
            <label>
              <span className="sr-only">Inbound Number of {m.name}</span>
              <select value={m.inboundNumberId ?? ''} onChange={(e) => void change(m.id, m.name, e.target.value || null)}>
                <option value="">No Inbound Number</option>
                {overview.numbers.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.name} · {formatPhone(n.number)}
                    {n.assignedUserName && n.assignedUserId !== m.id ? ` (${n.assignedUserName}’s)` : ''}
                  </option>
                ))}
              </select>
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}
