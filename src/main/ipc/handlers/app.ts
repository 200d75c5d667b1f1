import type { AppInfo } from '../../../shared/ipc';
import type { HostPort } from '../../hosts/host-port';
import type { NoticeBoard } from '../notice-board';
import type { NamespaceHandlers } from '../router';

export function appHandlers(deps: { host: HostPort; notices: NoticeBoard; appInfo: () => AppInfo }): NamespaceHandlers<'app'> {
  return {
    'app.getInfo': () => deps.appInfo(),
    'app.openExternal': async (url) => ({ opened: await deps.host.openExternal(url) }),
    'app.listNotices': () => deps.notices.list(),
    'app.dismissNotice': (id) => ({ dismissed: deps.notices.dismiss(id) }),
  };
}
