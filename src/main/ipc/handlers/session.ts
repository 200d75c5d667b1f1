import type { SessionService } from '../../session/session-service';
import type { SyncEngine } from '../../sync/sync-engine';
import type { NamespaceHandlers } from '../router';
import { viaCloud } from '../via-cloud';

export function sessionHandlers(deps: { session: SessionService; sync: SyncEngine }): NamespaceHandlers<'session'> {
  return {
    'session.getState': () => deps.session.state,
    'session.signIn': async ({ email, password }) => {
      await viaCloud(() => deps.session.signIn(email, password));
      return deps.session.state;
    },
    'session.signOut': async () => {
      // Give the outbox one chance to drain so a last disposition is not lost with the session.
      await deps.sync.syncNow().catch(() => undefined);
      await deps.session.signOut();
      return deps.session.state;
    },
  };
}
