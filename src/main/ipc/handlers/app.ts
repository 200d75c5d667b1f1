import { IpcFailure, type AppInfo } from '../../../shared/ipc';
import type { ExternalLinks } from '../../os/external-links';
import type { NoticeBoard } from '../notice-board';
import type { NamespaceHandlers } from '../router';
import type { UnsavedWork } from '../unsaved-work';

export function appHandlers(deps: { links: ExternalLinks; notices: NoticeBoard; appInfo: () => AppInfo; unsavedWork: Pick<UnsavedWork, 'report'> }): NamespaceHandlers<'app'> {
  return {
    'app.getInfo': () => deps.appInfo(),
    // Only links the app itself makes (help pages, the cloud's own pages), never any URL the page passes.
    'app.openExternal': async (url) => {
      const link = deps.links.check(url);
      if (!link.allowed) throw new IpcFailure('LINK_NOT_ALLOWED', link.reason);
      return { opened: await deps.links.open(link.href) };
    },
    'app.listNotices': () => deps.notices.list(),
    'app.dismissNotice': (id) => ({ dismissed: deps.notices.dismiss(id) }),
    // Kept per sender: a page reports only its own edits, and its reload or crash forgets them alone.
    'app.reportUnsaved': ({ unsaved }, sender) => {
      deps.unsavedWork.report(sender.id, unsaved);
      return { accepted: true };
    },
  };
}
