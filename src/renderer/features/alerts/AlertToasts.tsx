import { useEffect, useRef, useState } from 'react';
import type { Notification } from '../../../shared/cloud';
import { withNames } from './alert-text';
import { dismissToast, openAlert } from './alerts-actions';
import { useAlerts } from './alerts-store';
import { usePracticeTime } from './AlertsView';

/** How long a toast stays when nobody points at it or focuses it (the alert stays in the list). */
const TOAST_MS = 20_000;

function Toast(props: { alert: Notification }) {
  const { alert } = props;
  const names = useAlerts((s) => s.names);
  const timeOf = usePracticeTime();
  const [held, setHeld] = useState(false);
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (held) return;
    const timer = setTimeout(() => dismissToast(alert.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [alert.id, held]);
  return (
    <li
      ref={ref}
      className="toast"
      data-testid="alert-toast"
      onMouseEnter={() => setHeld(true)}
      onMouseLeave={() => setHeld(ref.current?.contains(document.activeElement) ?? false)}
      onFocus={() => setHeld(true)}
      onBlur={(e) => setHeld(ref.current?.contains(e.relatedTarget as Node | null) ?? false)}
    >
      <button type="button" className="toast-open" onClick={() => void openAlert(alert)}>
        <strong>{alert.title}</strong>
        <span>{withNames(alert.message, names)}</span>
        <time dateTime={alert.createdAt}>{timeOf(alert.createdAt)}</time>
      </button>
      <button type="button" className="icon-button toast-close" aria-label={`Dismiss: “${alert.title}”`} onClick={() => dismissToast(alert.id)}>
        ×
      </button>
    </li>
  );
}

/**
 * New alerts pop in over whatever screen is open: Enter or a click opens what the alert is about,
 * × dismisses (the alert stays in Alerts). Announced politely, never stealing focus.
 */
export function AlertToasts() {
  const toasts = useAlerts((s) => s.toasts);
  return (
    <div className="toasts" role="region" aria-label="New alerts">
      <ul aria-live="polite" aria-relevant="additions">
        {toasts.map((t) => (
          <Toast key={t.id} alert={t} />
        ))}
      </ul>
    </div>
  );
}
