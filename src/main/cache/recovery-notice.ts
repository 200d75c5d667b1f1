import type { Notice } from '../../shared/ipc';
import type { CacheRecovery } from './open-or-rebuild';

/** What the receptionist reads after a start that rebuilt the cache, in plain words. */
export function cacheRecoveryNotice(recovery: CacheRecovery): Notice {
  const n = recovery.recoveredChanges;
  const recovered =
    n === 0 ? 'No unsent changes were waiting.' : `${n} unsent ${n === 1 ? 'change was' : 'changes were'} recovered and will be sent when you are signed in.`;
  return {
    id: 'cache-recovered',
    level: 'warning',
    message:
      `The local copy of your practice's data could not be used (${recovery.reason}), so it is being downloaded again. ${recovered}` +
      (recovery.movedTo ? ` The damaged file was kept at ${recovery.movedTo}.` : ''),
  };
}
