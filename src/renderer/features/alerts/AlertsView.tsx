import { useEffect, useState } from 'react';
import type { Notification } from '../../../shared/cloud';
import { useCacheVersion } from '../../state/cache-versions';
import { useNavigation } from '../../state/navigation';
import { loadAlerts, markAlertRead } from './alerts-actions';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Internal notifications from the practice's automations and missed calls, newest first. */
export function AlertsView() {
  const version = useCacheVersion('notifications');
  const focusTarget = useNavigation((s) => s.focusTarget);
  const [items, setItems] = useState<Notification[] | null>(null);

  useEffect(() => {
    let live = true;
    void loadAlerts().then((loaded) => {
      if (live && loaded) setItems(loaded);
    });
    return () => {
      live = false;
    };
  }, [version]);

  const markRead = async (id: string) => {
    const updated = await markAlertRead(id);
    if (updated) setItems(updated);
  };

  if (!items) return <p className="placeholder">Loading alerts…</p>;
  if (items.length === 0) return <p className="placeholder">No alerts yet. Missed calls and alerts from your automations appear here.</p>;
  return (
    <ul className="alert-list" aria-label="Alerts">
      {items.map((n) => (
        <li key={n.id} className={`alert-item${n.readAt ? '' : ' unread'}${focusTarget === n.redirect ? ' focused' : ''}`}>
          <div>
            <strong>{n.title}</strong>
            <p>{n.message}</p>
            <time dateTime={n.createdAt}>{timeFormat.format(new Date(n.createdAt))}</time>
          </div>
          {n.readAt ? null : (
            <button type="button" onClick={() => void markRead(n.id)} aria-label={`Mark read: “${n.title}”`}>
              Mark read
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
