import { useEffect, useState } from 'react';
import type { PhoneNumber } from '../../../shared/cloud';
import { formatPhone } from '../../lib/phone';
import { useCacheVersion } from '../../state/cache-versions';
import { loadMyInboundNumber } from './numbers-actions';

/** The signed-in member's own Inbound Number, read-only (an admin sets it). */
export function MyInboundNumber() {
  const [mine, setMine] = useState<PhoneNumber | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  const version = useCacheVersion('phoneNumbers') + useCacheVersion('users');
  useEffect(() => {
    void loadMyInboundNumber().then((result) => {
      if (result.ok) setMine(result.value.number);
      else setProblem(result.error.message);
    });
  }, [version]);
  return (
    <section className="card my-inbound" aria-labelledby="my-inbound-title">
      <h2 id="my-inbound-title">My inbound number</h2>
      {problem ? (
        <p className="error">{problem}</p>
      ) : mine === undefined ? (
        <p className="placeholder">Loading…</p>
      ) : mine ? (
        <p data-testid="my-inbound-number">
          <strong>{formatPhone(mine.number)}</strong> <span className="muted">{mine.name}</span> — calls to it ring you.
        </p>
      ) : (
        <p className="muted" data-testid="my-inbound-number">
          You have no inbound number of your own. Calls reach you through the practice’s shared numbers; an admin can give you one.
        </p>
      )}
    </section>
  );
}
