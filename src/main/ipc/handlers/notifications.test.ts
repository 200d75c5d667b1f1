import { describe, expect, it, vi } from 'vitest';
import { notification, page } from '../../../../test/support/cache-fixtures';
import { useTempCache } from '../../../../test/support/temp-cache';
import { notificationsHandlers } from './notifications';

describe('notifications handlers', () => {
  const t = useTempCache({ now: () => 1_000_000 });

  it('mark all read: every unread alert read through its own outbox row, the list and count returned', async () => {
    t.cache.applyPull(page({ notifications: [notification('n1'), notification('n2', { createdAt: '2025-03-01T11:00:00Z' }), notification('n3', { readAt: '2025-03-01T12:00:00Z' })] }, 12));
    const onLocalChange = vi.fn();
    const kickSync = vi.fn();
    const handlers = notificationsHandlers({ cache: t.cache, kickSync, onLocalChange });
    expect(t.cache.notifications.unreadCount()).toBe(2);
    const view = await handlers['notifications.markAllRead'](undefined, {} as never);
    expect(view.unread).toBe(0);
    expect(view.items.map((n) => n.id).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(t.cache.outbox.pendingCount()).toBe(2);
    expect(onLocalChange).toHaveBeenCalledWith(['notifications']);
    expect(kickSync).toHaveBeenCalledTimes(1);
  });

  it('mark all read with nothing unread changes nothing', async () => {
    const handlers = notificationsHandlers({ cache: t.cache, kickSync: vi.fn(), onLocalChange: vi.fn() });
    const view = await handlers['notifications.markAllRead'](undefined, {} as never);
    expect(view).toEqual({ items: [], unread: 0 });
    expect(t.cache.outbox.pendingCount()).toBe(0);
  });
});
