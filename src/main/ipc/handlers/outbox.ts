import { IpcFailure } from '../../../shared/ipc';
import type { CallCache } from '../../cache/cache';
import type { SessionService } from '../../session/session-service';
import { exportUnsentChanges, listUnsentChanges, type UnsentViewer } from '../../sync/unsent-changes';
import type { NamespaceHandlers } from '../router';

/** The unsent changes on this computer: seen and exported; only a refused one can be dismissed, by explicit choice. */
export function outboxHandlers(deps: {
  cache: Pick<CallCache, 'outbox'>;
  session: Pick<SessionService, 'user'>;
  /** 'embedded' or the cloud's origin this run is signed in to. */
  cloud: () => string;
  /** The export's time stamp (tests pass a fixed clock). */
  now?: () => Date;
}): NamespaceHandlers<'outbox'> {
  const now = deps.now ?? (() => new Date());
  const viewer = (): UnsentViewer => {
    const user = deps.session.user;
    if (!user) throw new IpcFailure('UNAUTHENTICATED', 'Sign in to see the changes waiting on this computer.');
    return { user, cloud: deps.cloud() };
  };
  return {
    'outbox.listUnsent': () => listUnsentChanges(deps.cache.outbox.unsent(), viewer()),
    'outbox.dismissRefused': ({ keys }) => {
      const who = viewer();
      const refused = new Set(listUnsentChanges(deps.cache.outbox.unsent(), who).changes.filter((c) => c.state === 'refused').map((c) => c.idempotencyKey));
      const allowed = keys.filter((key) => refused.has(key));
      if (allowed.length !== keys.length) throw new IpcFailure('NOT_FOUND', 'Only changes the cloud refused, and that you can see, can be dismissed.');
      deps.cache.outbox.dropRejected(allowed);
      return listUnsentChanges(deps.cache.outbox.unsent(), who);
    },
    'outbox.exportUnsent': () => exportUnsentChanges(deps.cache.outbox.unsent(), viewer(), now()),
  };
}
