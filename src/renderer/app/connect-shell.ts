import type { SoftphoneBridge } from '../../shared/ipc';
import { useShell } from './store';

/** Loads what the shell shows at start and subscribes to main's events. Returns the unsubscribe. */
export async function connectShell(bridge: SoftphoneBridge): Promise<() => void> {
  const store = useShell.getState();
  const offNotice = bridge.on('app.notice', (notice) => useShell.getState().addNotice(notice));
  const offPrefill = bridge.on('dialer.prefill', ({ number }) => useShell.getState().prefillDialer(number));

  const [info, notices] = await Promise.all([bridge.app.getInfo(), bridge.app.listNotices()]);
  if (info.ok) store.setAppInfo(info.value);
  else store.setBridgeError(info.error.message);
  if (notices.ok) store.setNotices(notices.value);

  return () => {
    offNotice();
    offPrefill();
  };
}
