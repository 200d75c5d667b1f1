import type { SoftphoneBridge } from '../../shared/ipc';
import { useShell, type View } from './store';

/** Refreshes what several screens share from main's cache: the directory, dispositions, unread alerts. */
export async function refreshShared(bridge: SoftphoneBridge): Promise<void> {
  const store = useShell.getState();
  if (store.session?.status !== 'signed-in') return;
  const [directory, dispositions, notifications] = await Promise.all([
    bridge.directory.get(),
    bridge.dispositions.list(),
    bridge.notifications.list({ unreadOnly: true, limit: 1 }),
  ]);
  if (directory.ok) store.setDirectory(directory.value);
  if (dispositions.ok) store.setDispositions(dispositions.value);
  if (notifications.ok) store.setUnreadAlerts(notifications.value.unread);
}

const REDIRECT_VIEWS: Record<string, View> = { call: 'history', contact: 'contacts', alerts: 'alerts' };

/** Loads what the shell shows at start and subscribes to main's events. Returns the unsubscribe. */
export async function connectShell(bridge: SoftphoneBridge): Promise<() => void> {
  const store = useShell.getState();
  const offs = [
    bridge.on('app.notice', (notice) => useShell.getState().addNotice(notice)),
    bridge.on('dialer.prefill', ({ number }) => useShell.getState().prefillDialer(number)),
    bridge.on('session.changed', (session) => {
      useShell.getState().setSession(session);
      void refreshShared(bridge);
    }),
    bridge.on('sync.status', (sync) => useShell.getState().setSync(sync)),
    bridge.on('cache.changed', ({ entities }) => {
      useShell.getState().bumpCache(entities);
      if (entities.some((e) => ['users', 'teams', 'locations', 'phoneNumbers', 'accounts', 'dispositions', 'notifications'].includes(e))) {
        void refreshShared(bridge);
      }
    }),
    bridge.on('navigate.to', ({ redirect }) => {
      const kind = redirect?.split(':')[0] ?? 'alerts';
      useShell.getState().setView(REDIRECT_VIEWS[kind] ?? 'alerts');
      useShell.getState().focus(redirect);
    }),
  ];

  const [info, notices, session, sync] = await Promise.all([
    bridge.app.getInfo(),
    bridge.app.listNotices(),
    bridge.session.getState(),
    bridge.sync.getStatus(),
  ]);
  if (info.ok) store.setAppInfo(info.value);
  else store.setBridgeError(info.error.message);
  if (notices.ok) store.setNotices(notices.value);
  if (session.ok) store.setSession(session.value);
  if (sync.ok) store.setSync(sync.value);
  await refreshShared(bridge);

  return () => {
    for (const off of offs) off();
  };
}
