import type { AppInfo } from '../../shared/ipc';
import type { IpcHandlers } from '../ipc/router';
import type { NoticeBoard } from './notice-board';

/** What the host (Electron or the browser host) provides to the app-level handlers. */
export interface HostPort {
  readonly kind: AppInfo['host'];
  /** Brings the phone window to the front; false when the host has no window to show. */
  showWindow(): boolean;
  /** Opens an http(s) link in the OS browser (already validated by the contract). */
  openExternal(url: string): Promise<boolean>;
  /** Whether the receptionist can see the phone window right now (alerts only when they cannot). */
  isWindowVisible(): boolean;
  quit(): void;
}

export interface AppHandlerDeps {
  host: HostPort;
  notices: NoticeBoard;
  appInfo: () => AppInfo;
}

type AppChannels = 'app.getInfo' | 'app.openExternal' | 'app.listNotices' | 'app.dismissNotice' | 'window.show';

export function createAppHandlers(deps: AppHandlerDeps): Pick<IpcHandlers, AppChannels> {
  return {
    'app.getInfo': () => deps.appInfo(),
    'app.openExternal': async (url) => ({ opened: await deps.host.openExternal(url) }),
    'app.listNotices': () => deps.notices.list(),
    'app.dismissNotice': (id) => ({ dismissed: deps.notices.dismiss(id) }),
    'window.show': () => ({ shown: deps.host.showWindow() }),
  };
}
