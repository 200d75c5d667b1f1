import type { Notification } from '../../shared/cloud';
import type { CallCache } from '../cache/cache';
import type { AlertService } from './alerts';

/** Unread notifications older than this before the session started were seen elsewhere: no alert. */
const ALERT_BACKLOG_MS = 60_000;
const CHECKED_AFTER_PULL = 20;

/**
 * Internal notifications (missed calls, workflow alerts) → OS alerts: the realtime socket delivers
 * one at once; a pull delivers any the socket missed. Each is shown once (AlertService remembers),
 * and nothing from before this session started. Keeps the unread count up to date for the tray.
 */
export class NotificationAlerts {
  constructor(
    private readonly deps: {
      cache: Pick<CallCache, 'notifications'>;
      alerts: Pick<AlertService, 'notify'>;
      sessionStartedAt: number;
      onUnread: (count: number) => void;
    },
  ) {}

  fromRealtime(notification: Notification): void {
    this.deps.alerts.notify(notification);
  }

  afterPull(entities: readonly string[]): void {
    if (!entities.includes('notifications')) return;
    for (const notification of this.deps.cache.notifications.list({ unreadOnly: true, limit: CHECKED_AFTER_PULL })) {
      if (Date.parse(notification.createdAt) >= this.deps.sessionStartedAt - ALERT_BACKLOG_MS) this.deps.alerts.notify(notification);
    }
    this.refreshUnread();
  }

  refreshUnread(): void {
    this.deps.onUnread(this.deps.cache.notifications.unreadCount());
  }
}
