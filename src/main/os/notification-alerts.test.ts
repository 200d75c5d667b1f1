import { describe, expect, it } from 'vitest';
import type { Notification } from '../../shared/cloud';
import { NotificationAlerts } from './notification-alerts';

const note = (id: string, createdAt: string): Notification =>
  ({ id, accountId: 'acc_1', userId: 'usr_1', title: 'Missed call', message: 'x', redirect: null, readAt: null, createdAt, seq: 1 }) as Notification;

describe('NotificationAlerts', () => {
  it('after a pull alerts the unread ones from this session (a minute of slack), and counts the unread', () => {
    const shown: string[] = [];
    const counts: number[] = [];
    const unread = [note('old', '2026-11-21T08:00:00Z'), note('recent', '2026-11-21T08:59:30Z'), note('new', '2026-11-21T09:05:00Z')];
    const alerts = new NotificationAlerts({
      cache: { notifications: { list: () => unread, unreadCount: () => unread.length } } as never,
      alerts: { notify: (n) => (shown.push(n.id), true) },
      sessionStartedAt: Date.parse('2026-11-21T09:00:00Z'),
      onUnread: (count) => counts.push(count),
    });
    alerts.afterPull(['calls']);
    expect(shown).toEqual([]);
    alerts.afterPull(['calls', 'notifications']);
    expect(shown).toEqual(['recent', 'new']);
    expect(counts).toEqual([3]);
    alerts.fromRealtime(note('live', '2026-11-21T09:06:00Z'));
    expect(shown.at(-1)).toBe('live');
  });
});
