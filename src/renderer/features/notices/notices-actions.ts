import { getBridge } from '../../bridge';
import { useNotices } from './notices-store';

/** Loads main's notices and follows new ones. Resolves with the unsubscribe. */
export async function connectNotices(): Promise<() => void> {
  const bridge = getBridge();
  const off = bridge.on('app.notice', (notice) => useNotices.getState().add(notice));
  const notices = await bridge.app.listNotices();
  if (notices.ok) useNotices.getState().setAll(notices.value);
  return off;
}

export function dismissNotice(id: string): void {
  useNotices.getState().remove(id);
  void getBridge().app.dismissNotice(id);
}
