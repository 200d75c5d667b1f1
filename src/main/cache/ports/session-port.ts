import { z } from 'zod';
import { userSchema } from '../../../shared/cloud';
import type { CallCache } from '../cache-port';
import { validate } from '../errors';
import { clearSession, sessionOwner, sessionUser, setSessionUser } from '../session';
import { getSyncMeta, setSyncMeta, syncKeySchema, syncValueSchema } from '../sync-meta';
import { isoDateSchema } from '../types';
import type { PortContext } from './context';

/** Who is signed in (and so whose outbox rows are new), and the sync engine's small keyed values. */
export function createSessionPorts({ db, now, writes }: PortContext): Pick<CallCache, 'session' | 'syncMeta'> {
  return {
    session: {
      setUser: (user, options = {}) => {
        const u = validate(userSchema, 'user', user);
        const at = validate(isoDateSchema, 'signedInAt', options.signedInAt ?? new Date(now()).toISOString());
        const cloud = validate(z.string().min(1).max(300).nullable(), 'cloud', options.cloud ?? null);
        writes.write(() => setSessionUser(db, u, at, cloud));
      },
      user: () => sessionUser(db),
      owner: () => sessionOwner(db),
      clear: () => writes.write(() => clearSession(db)),
    },
    syncMeta: {
      get: (key) => getSyncMeta(db, validate(z.string().max(64), 'key', key)),
      set: (key, value) => {
        const k = validate(syncKeySchema, 'sync metadata key', key);
        const v = validate(syncValueSchema, 'sync metadata value', value);
        writes.write(() => setSyncMeta(db, k, v));
      },
    },
  };
}
