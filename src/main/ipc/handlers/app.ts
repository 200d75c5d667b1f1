import { IpcFailure, type AppInfo } from '../../../shared/ipc';
import type { ExternalLinks } from '../../os/external-links';
import type { NoticeBoard } from '../notice-board';
import type { QuitQuestion } from '../quit-question';
import type { NamespaceHandlers } from '../router';

export function appHandlers(deps: { links: ExternalLinks; notices: NoticeBoard; appInfo: () => AppInfo; quitQuestion: Pick<QuitQuestion, 'answer'> }): NamespaceHandlers<'app'> {
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
    'app.answerQuit': ({ requestId, unsaved }) => ({ accepted: deps.quitQuestion.answer(requestId, unsaved) }),
  };
}
