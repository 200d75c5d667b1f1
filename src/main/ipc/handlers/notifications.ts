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
  };
}
