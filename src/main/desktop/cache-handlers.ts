import { randomUUID } from 'node:crypto';
import { MAX_DISPOSITIONS, type Mutation } from '../../shared/cloud';
import { IpcFailure } from '../../shared/ipc';
import type { DispositionAdminInput } from '../../shared/views';
import type { CallCache } from '../cache/cache';
import type { CacheQueryWorker } from '../cache/query-worker-client';
import type { IpcHandlers } from '../ipc/router';
import type { SessionService } from '../session/session-service';
import type { SyncEngine } from '../sync/sync-engine';

type CacheChannels =
  | 'directory.get'
  | 'contacts.lookup'
  | 'search.query'
  | 'history.list'
  | 'dispositions.list'
  | 'dispositions.admin'
  | 'notifications.list'
  | 'notifications.markRead'
  | 'wrapups.list'
  | 'wrapups.start'
  | 'wrapups.choose'
  | 'wrapups.commit'
  | 'wrapups.dismiss';

export interface CacheHandlerDeps {
  cache: CallCache;
  /** Long queries (full-text search, history pages) run here, off the main event loop (ARCHITECTURE principle 5). */
  queries: Pick<CacheQueryWorker, 'search' | 'history'>;
  session: SessionService;
  sync: SyncEngine;
  /** The cache changed locally: views refresh at once, before any round trip. */
  onLocalChange: (entities: string[]) => void;
}

/** The sync-meta key marking a wrap-up whose commit waits for its call to arrive from the cloud. */
export const commitMarker = (twilioCallSid: string) => `commit.${twilioCallSid}`;

/** A client-generated idempotency key: the cloud applies each at most once. */
const newKey = (prefix: string) => `${prefix}-${randomUUID()}`;

/**
 * Handlers that read the local cache (they work offline) and user actions that go through the
 * durable outbox: dispositions, wrap-ups, notifications.
 */
export function createCacheHandlers(deps: CacheHandlerDeps): Pick<IpcHandlers, CacheChannels> & {
  /** After each pull: commit wrap-ups that were waiting for their call to be known. */
  commitWaitingWrapups(): number;
} {
  const { cache } = deps;
  const dispositionsView = () => ({ active: cache.dispositions.active(), all: cache.dispositions.all() });

  const enqueue = (mutation: Mutation, entities: string[]) => {
    cache.outbox.enqueue(mutation);
    deps.onLocalChange(entities);
    deps.sync.kick();
  };

  /** Commits a wrap-up if its call is known locally; otherwise marks it to be committed when it is. */
  const commit = (twilioCallSid: string): boolean => {
    const wrapup = cache.wrapups.get(twilioCallSid);
    if (!wrapup) return false;
    if (wrapup.dispositionId === null) throw new IpcFailure('NO_DISPOSITION', 'Choose a disposition first.');
    const callId = wrapup.callId ?? cache.calls.getBySid(twilioCallSid)?.call.id ?? null;
    if (!callId) {
      cache.syncMeta.set(commitMarker(twilioCallSid), Date.now());
      deps.sync.kick();
      return false;
    }
    cache.calls.setDispositionLocally({
      callId,
      dispositionId: wrapup.dispositionId,
      note: wrapup.note,
      idempotencyKey: newKey('disposition'),
      twilioCallSid,
    });
    cache.syncMeta.set(commitMarker(twilioCallSid), null);
    deps.onLocalChange(['calls']);
    deps.sync.kick();
    return true;
  };

  const requireAdmin = () => {
    if (deps.session.user?.role !== 'admin') throw new IpcFailure('FORBIDDEN', 'Only account admins can change dispositions.');
  };

  const adminMutation = (input: DispositionAdminInput): Mutation => {
    switch (input.action) {
      case 'create':
        if (cache.dispositions.active().length >= MAX_DISPOSITIONS) {
          throw new IpcFailure('DISPOSITION_LIMIT_REACHED', `You already have ${MAX_DISPOSITIONS} dispositions, the most an account can have. Delete one first.`);
        }
        return { type: 'disposition.create', idempotencyKey: newKey('disposition-create'), payload: { label: input.label } };
      case 'rename':
        return { type: 'disposition.rename', idempotencyKey: newKey('disposition-rename'), payload: { dispositionId: input.dispositionId, label: input.label } };
      case 'delete':
        return { type: 'disposition.delete', idempotencyKey: newKey('disposition-delete'), payload: { dispositionId: input.dispositionId } };
      case 'reorder':
        return { type: 'disposition.reorder', idempotencyKey: newKey('disposition-reorder'), payload: { orderedIds: input.orderedIds } };
    }
  };

  return {
    'directory.get': () => ({
      account: cache.directory.account(),
      me: cache.session.user(),
      locations: cache.directory.locations(),
      teams: cache.directory.teams(),
      users: cache.directory.users(),
      phoneNumbers: cache.directory.phoneNumbers(),
    }),
    'contacts.lookup': ({ number }) => cache.contacts.findByPhone(number),
    'search.query': (input) => deps.queries.search(input),
    'history.list': (filters) => deps.queries.history(filters),
    'dispositions.list': () => dispositionsView(),
    'dispositions.admin': (input) => {
      requireAdmin();
      enqueue(adminMutation(input), ['dispositions']);
      return dispositionsView();
    },
    'notifications.list': (input) => ({ items: cache.notifications.list(input ?? {}), unread: cache.notifications.unreadCount() }),
    'notifications.markRead': ({ notificationId }) => {
      cache.notifications.markReadLocally(notificationId, newKey('notification-read'));
      deps.onLocalChange(['notifications']);
      deps.sync.kick();
      return { items: cache.notifications.list({}), unread: cache.notifications.unreadCount() };
    },
    // Wrap-ups whose choice is committed but waiting for the call to arrive are done for the user.
    'wrapups.list': () => cache.wrapups.list().filter((w) => cache.syncMeta.get(commitMarker(w.twilioCallSid)) === null),
    'wrapups.start': (input) => {
      const existing = cache.wrapups.get(input.twilioCallSid);
      return cache.wrapups.upsert({
        ...input,
        callId: input.callId ?? existing?.callId ?? null,
        dispositionId: existing?.dispositionId ?? null,
        note: existing?.note ?? null,
      });
    },
    'wrapups.choose': ({ twilioCallSid, dispositionId, note }) => {
      const existing = cache.wrapups.get(twilioCallSid);
      if (!existing) throw new IpcFailure('NOT_FOUND', 'That call is no longer waiting for a disposition.');
      if (dispositionId !== null && !cache.dispositions.active().some((d) => d.id === dispositionId)) {
        throw new IpcFailure('NOT_FOUND', 'That disposition no longer exists. Pick another.');
      }
      return cache.wrapups.upsert({ ...existing, dispositionId, note });
    },
    'wrapups.commit': ({ twilioCallSid }) => ({ committed: commit(twilioCallSid) }),
    'wrapups.dismiss': ({ twilioCallSid }) => {
      cache.syncMeta.set(commitMarker(twilioCallSid), null);
      return { dismissed: cache.wrapups.resolve(twilioCallSid) };
    },
    commitWaitingWrapups() {
      let committed = 0;
      for (const wrapup of cache.wrapups.list()) {
        if (cache.syncMeta.get(commitMarker(wrapup.twilioCallSid)) !== null && commit(wrapup.twilioCallSid)) committed++;
      }
      return committed;
    },
  };
}
