import type { CallCache } from '../../cache/cache';
import { newIdempotencyKey } from '../../cache/idempotency-key';
import type { NamespaceHandlers } from '../router';

export interface NotificationHandlerDeps {
  cache: CallCache;
  kickSync: () => void;
  onLocalChange: (entities: string[]) => void;
}

/** Internal alerts from the cache; marking one read goes through the outbox. */
export function notificationsHandlers(deps: NotificationHandlerDeps): NamespaceHandlers<'notifications'> {
  const { cache } = deps;
  return {
    'notifications.list': (input) => ({ items: cache.notifications.list(input ?? {}), unread: cache.notifications.unreadCount() }),
    'notifications.markRead': ({ notificationId }) => {
      cache.notifications.markReadLocally(notificationId, newIdempotencyKey('notification-read'));
      deps.onLocalChange(['notifications']);
      deps.kickSync();
      return { items: cache.notifications.list({}), unread: cache.notifications.unreadCount() };
    },
    'notifications.markAllRead': () => {
      // Pages of 500 (the list's cap) until none is unread; each is one outbox change, as markRead.
      // Bounded, so a row that stays unread can never spin the main process.
      for (let round = 0; round < 20; round++) {
        const page = cache.notifications.list({ unreadOnly: true, limit: 500 });
        if (page.length === 0) break;
        for (const n of page) cache.notifications.markReadLocally(n.id, newIdempotencyKey('notification-read'));
      }
      deps.onLocalChange(['notifications']);
      deps.kickSync();
      return { items: cache.notifications.list({}), unread: cache.notifications.unreadCount() };
    },
  };
}
