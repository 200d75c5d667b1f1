import type { Notification } from '../../../shared/cloud';
import { getBridge } from '../../bridge';
import { useSession } from '../../state/session';
import { useAlerts } from './alerts-store';

/** The newest alerts (up to 200), or null when main could not list them; the unread count follows. */
export async function loadAlerts(): Promise<Notification[] | null> {
  const result = await getBridge().notifications.list({ unreadOnly: false, limit: 200 });
  if (!result.ok) return null;
  useAlerts.setState({ unread: result.value.unread });
  return result.value.items;
}

/** Marks one alert read; resolves with the list as it is now, or null when main refused. */
export async function markAlertRead(notificationId: string): Promise<Notification[] | null> {
  const result = await getBridge().notifications.markRead({ notificationId });
  if (!result.ok) return null;
  useAlerts.setState({ unread: result.value.unread });
  return result.value.items;
}

export async function refreshUnreadAlerts(): Promise<void> {
  if (useSession.getState().session?.status !== 'signed-in') return;
  const result = await getBridge().notifications.list({ unreadOnly: true, limit: 1 });
  if (result.ok) useAlerts.setState({ unread: result.value.unread });
}

/** Keeps the unread count current (sign-in, new alerts synced). Resolves with the unsubscribe. */
export async function connectAlerts(): Promise<() => void> {
  const bridge = getBridge();
  const offs = [
    bridge.on('session.changed', () => void refreshUnreadAlerts()),
    bridge.on('cache.changed', ({ entities }) => {
      if (entities.includes('notifications')) void refreshUnreadAlerts();
    }),
  ];
  await refreshUnreadAlerts();
  return () => {
    for (const off of offs) off();
  };
}
