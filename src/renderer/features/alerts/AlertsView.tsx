import { useEffect, useState } from 'react';
import type { Notification } from '../../../shared/cloud';
import { formatDateTime } from '../../lib/format';
import { useCacheVersion } from '../../state/cache-versions';
import { useNavigation } from '../../state/navigation';
import { usePractice } from '../../state/practice';
import { LoadFailure } from '../../ui/LoadFailure';
import { withNames } from './alert-text';
import { loadAlerts, markAlertRead, markAllAlertsRead, openAlert } from './alerts-actions';
import { useAlerts } from './alerts-store';

/** The practice's time zone and, when the computer is elsewhere, its short name after each time. */
export function usePracticeTime(): (at: string) => string {
  const timeZone = usePractice((s) => s.directory?.account?.timezone);
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (at) => {
    const shown = formatDateTime(at, timeZone);
    if (!timeZone || timeZone === local) return shown;
    const zone = new Intl.DateTimeFormat(undefined, { timeZone, timeZoneName: 'short' }).formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value;
    return zone ? `${shown} ${zone}` : shown;
  };
}

/** Internal notifications from the practice's automations and missed calls, newest first. */
export function AlertsView() {
  const version = useCacheVersion('notifications');
  const focusTarget = useNavigation((s) => s.focusTarget);
  const unread = useAlerts((s) => s.unread);
  const names = useAlerts((s) => s.names);
  const timeOf = usePracticeTime();
  const [items, setItems] = useState<Notification[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Why the list could not be read (it stays as last read, if ever); each Try again reads it anew.
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    void loadAlerts().then((loaded) => {
      if (!live) return;
      if ('error' in loaded) return setLoadProblem(loaded.error);
      setItems(loaded);
      setLoadProblem(null);
    });
    return () => {
      live = false;
    };
  }, [version, attempt]);

  const markRead = async (id: string) => {
    const updated = await markAlertRead(id);
    if (updated) setItems(updated);
    setProblem(updated ? null : 'The alert could not be marked read. Try again.');
  };
  const markAll = async () => {
    const updated = await markAllAlertsRead();
    if (updated) setItems(updated);
    setProblem(updated ? null : 'The alerts could not be marked read. Try again.');
  };

  const retry = () => {
    setLoadProblem(null);
    setAttempt((n) => n + 1);
  };
  const loadFailure = loadProblem ? (
    <LoadFailure message={`${items ? 'The alerts could not be refreshed.' : 'The alerts could not be shown.'} ${loadProblem}`} onRetry={retry} />
  ) : null;
  if (!items) return loadFailure ?? <p className="placeholder">Loading alerts…</p>;
  if (items.length === 0)
    return (
      <>
        {loadFailure}
        <p className="placeholder">No alerts yet. Missed calls and alerts from your automations appear here.</p>
      </>
    );
  return (
    <section className="alerts" aria-label="Alerts">
      {loadFailure}
      <div className="alerts-header">
        <p>{unread > 0 ? `${unread} unread` : 'All read'}</p>
        <button type="button" onClick={() => void markAll()} disabled={unread === 0}>
          Mark all read
        </button>
      </div>
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
      <ul className="alert-list" aria-label="Alerts" data-testid="alert-list">
        {items.map((n) => (
          <li key={n.id} className={`alert-item${n.readAt ? '' : ' unread'}${focusTarget && (focusTarget === n.redirect || focusTarget === `alert:${n.id}`) ? ' focused' : ''}`}>
            <div>
              {n.redirect ? (
                <button type="button" className="link alert-open" onClick={() => void openAlert(n)}>
                  <strong>{n.title}</strong>
                </button>
              ) : (
                <strong>{n.title}</strong>
              )}
              {n.readAt ? null : <span className="sr-only"> (unread)</span>}
              <p>{withNames(n.message, names)}</p>
              <time dateTime={n.createdAt}>{timeOf(n.createdAt)}</time>
            </div>
            {n.readAt ? null : (
              <button type="button" onClick={() => void markRead(n.id)} aria-label={`Mark read: “${n.title}”`}>
                Mark read
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
