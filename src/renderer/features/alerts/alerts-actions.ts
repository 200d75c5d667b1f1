import type { Notification } from '../../../shared/cloud';
import type { SessionStateView } from '../../../shared/ipc';
import { getBridge } from '../../bridge';
import { useNavigation, viewForRedirect } from '../../state/navigation';
import { useSession } from '../../state/session';
import { numbersIn } from './alert-text';
import { MAX_TOASTS, useAlerts } from './alerts-store';

/** How many of the newest unread alerts are checked for new ones on each change. */
const POP_WINDOW = 10;
/** An alert created this long before the window connected still pops in (clock skew, a slow sync). */
const POP_SLACK_MS = 2 * 60_000;

/** Alerts already known in this session (there at sign-in, or already popped): they never pop in again. */
let known = new Set<string>();
/** Alerts created before this (ms) are history, not news: a first sync on a new computer pops nothing. */
let popSince = Number.POSITIVE_INFINITY;
/** Whose alerts these are (the signed-in user's id), or null while nobody is signed in. */
let signedInAs: string | null = null;

/** The newest alerts (up to 200), or why main could not list them; the unread count follows. */
export async function loadAlerts(): Promise<Notification[] | { error: string }> {
  const result = await getBridge().notifications.list({ unreadOnly: false, limit: 200 });
  if (!result.ok) return { error: result.error.message };
  useAlerts.setState({ unread: result.value.unread });
  void learnNames(result.value.items);
  return result.value.items;
}

/** Marks one alert read; resolves with the list as it is now, or null when main refused. */
export async function markAlertRead(notificationId: string): Promise<Notification[] | null> {
  const result = await getBridge().notifications.markRead({ notificationId });
  if (!result.ok) return null;
  useAlerts.setState((s) => ({ unread: result.value.unread, toasts: s.toasts.filter((t) => t.id !== notificationId) }));
  return result.value.items;
}

/** Marks every alert read; resolves with the list as it is now, or null when main refused. */
export async function markAllAlertsRead(): Promise<Notification[] | null> {
  const result = await getBridge().notifications.markAllRead();
  if (!result.ok) return null;
  useAlerts.setState({ unread: result.value.unread, toasts: [] });
  return result.value.items;
}

/** Opens what an alert is about (its call in History, its contact, …) and marks it read. */
export async function openAlert(notification: Notification): Promise<void> {
  const navigation = useNavigation.getState();
  navigation.setView(viewForRedirect(notification.redirect));
  navigation.focus(notification.redirect ?? `alert:${notification.id}`);
  if (!notification.readAt) await markAlertRead(notification.id);
  else dismissToast(notification.id);
}

/** Takes a toast away; the alert stays in the list, unread. */
export function dismissToast(notificationId: string): void {
  useAlerts.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== notificationId) }));
}

/** Looks up the names of the numbers alerts mention, in the local contacts cache (once per number). */
async function learnNames(items: readonly Notification[]): Promise<void> {
  const names = useAlerts.getState().names;
  const wanted = [...new Set(items.flatMap((n) => numbersIn(n.message)))].filter((n) => !(n in names)).slice(0, 50);
  if (wanted.length === 0) return;
  const bridge = getBridge();
  const found = await Promise.all(
    wanted.map(async (number) => {
      const result = await bridge.contacts.lookup({ number });
      return [number, result.ok ? (result.value?.contact?.name ?? null) : null] as const;
    }),
  );
  useAlerts.setState((s) => ({ names: { ...s.names, ...Object.fromEntries(found) } }));
}

/** The unread count, and the alerts new since the last look popped in as toasts. */
export async function refreshUnreadAlerts(): Promise<void> {
  if (signedInAs === null) return;
  const result = await getBridge().notifications.list({ unreadOnly: true, limit: POP_WINDOW });
  if (!result.ok) return;
  const fresh = result.value.items.filter((n) => !known.has(n.id) && Date.parse(n.createdAt) >= popSince - POP_SLACK_MS);
  for (const n of result.value.items) known.add(n.id);
  useAlerts.setState((s) => ({
    unread: result.value.unread,
    toasts: [...fresh, ...s.toasts.filter((t) => !fresh.some((f) => f.id === t.id))].slice(0, MAX_TOASTS),
  }));
  if (fresh.length) void learnNames(fresh);
}

/** A new session: what is there now is not news; toasts and names of the last user go. */
async function startSession(userId: string | null): Promise<void> {
  signedInAs = userId;
  known = new Set();
  popSince = Date.now();
  useAlerts.setState({ unread: 0, toasts: [], names: {} });
  if (userId === null) return;
  // Everything unread at sign-in is known already (the badge says how many).
  const result = await getBridge().notifications.list({ unreadOnly: true, limit: 500 });
  if (result.ok) {
    for (const n of result.value.items) known.add(n.id);
    useAlerts.setState({ unread: result.value.unread });
  }
}

/**
 * Keeps the unread count current and pops new alerts in (sign-in, new alerts synced). Follows the
 * shared session store, which learns the session at start and from every change. Resolves with the unsubscribe.
 */
export async function connectAlerts(): Promise<() => void> {
  const bridge = getBridge();
  const onSession = async (session: SessionStateView | null) => {
    const who = session?.status === 'signed-in' ? session.user.id : null;
    if (who === signedInAs) return;
    await startSession(who);
    await refreshUnreadAlerts();
  };
  const offs = [
    useSession.subscribe((state) => void onSession(state.session)),
    bridge.on('cache.changed', ({ entities }) => {
      if (entities.includes('notifications')) void refreshUnreadAlerts();
    }),
  ];
  signedInAs = null;
  await onSession(useSession.getState().session);
  return () => {
    for (const off of offs) off();
  };
}
