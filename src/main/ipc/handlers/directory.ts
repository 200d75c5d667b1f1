import type { CallCache } from '../../cache/cache';
import type { NamespaceHandlers } from '../router';

/** Read from the local cache: works offline. */
export function directoryHandlers(deps: { cache: CallCache }): NamespaceHandlers<'directory'> {
  const { cache } = deps;
  return {
    'directory.get': () => ({
      account: cache.directory.account(),
      me: cache.session.user(),
      locations: cache.directory.locations(),
      teams: cache.directory.teams(),
      users: cache.directory.users(),
      phoneNumbers: cache.directory.phoneNumbers(),
    }),
  };
}
