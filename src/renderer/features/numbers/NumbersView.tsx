import { useEffect, useState } from 'react';
import { useIsAdmin } from '../../state/session';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { BuyNumbers } from './BuyNumbers';
import { DeletedNumbers } from './DeletedNumbers';
import { MyInboundNumber } from './MyInboundNumber';
import { NumberList } from './NumberList';
import { NumberSettings } from './NumberSettings';
import { loadNumbers } from './numbers-actions';
import { useNumbers, type NumbersScreen } from './numbers-store';
import { StaffInboundNumbers } from './StaffInboundNumbers';
import { SupportRequests } from './SupportRequests';
import './numbers.css';

const PAGES: ReadonlyArray<{ kind: NumbersScreen['kind']; label: string }> = [
  { kind: 'list', label: 'Numbers' },
  { kind: 'buy', label: 'Add number' },
  { kind: 'staff', label: 'Team inbound numbers' },
  { kind: 'deleted', label: 'Deleted numbers' },
  { kind: 'requests', label: 'Support requests' },
];

/**
 * Settings → Phone Numbers. Admins buy, configure, assign, delete and restore; every member sees
 * their own Inbound Number, read-only.
 */
export function NumbersView() {
  const isAdmin = useIsAdmin();
  if (!isAdmin) {
    return (
      <div className="numbers">
        <MyInboundNumber />
        <p className="hint">Only account admins manage the practice’s phone numbers.</p>
      </div>
    );
  }
  return <NumbersAdmin />;
}

function NumbersAdmin() {
  const screen = useNumbers((s) => s.screen);
  const open = useNumbers((s) => s.open);
  const loaded = useNumbers((s) => s.overview !== null);
  const loadError = useNumbers((s) => s.loadError);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    void loadNumbers();
  }, []);
  // An outcome stays shown on the screen the action leads to (saved → the list) until the admin moves on.
  const onMessage = (text: string) => setMessage(text);
  const go = (kind: NumbersScreen['kind']) => {
    setMessage(null);
    open({ kind } as NumbersScreen);
  };

  return (
    <div className="numbers">
      <nav className="numbers-nav" aria-label="Phone numbers">
        {PAGES.map((p) => (
          <button key={p.kind} type="button" aria-current={screen.kind === p.kind || (p.kind === 'list' && screen.kind === 'settings') ? 'page' : undefined} onClick={() => go(p.kind)}>
            {p.label}
          </button>
        ))}
      </nav>
      <p className="numbers-message" role="status">
        {message}
      </p>
      <ErrorAlert message={loadError} />
      {!loaded && !loadError ? <p className="placeholder">Loading phone numbers…</p> : null}
      {loaded ? (
        screen.kind === 'list' ? (
          <NumberList onMessage={onMessage} />
        ) : screen.kind === 'buy' ? (
          <BuyNumbers onMessage={onMessage} />
        ) : screen.kind === 'settings' ? (
          <NumberSettings key={screen.numberId} numberId={screen.numberId} onMessage={onMessage} />
        ) : screen.kind === 'staff' ? (
          <StaffInboundNumbers onMessage={onMessage} />
        ) : screen.kind === 'deleted' ? (
          <DeletedNumbers onMessage={onMessage} />
        ) : (
          <SupportRequests />
        )
      ) : null}
      <MyInboundNumber />
    </div>
  );
}
