import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Notification, User } from '../../../shared/cloud';
import { useNavigation } from '../../state/navigation';
import { useSession } from '../../state/session';
import { installFakeBridge } from '../../testing/fake-bridge';
import { connectAlerts, markAlertRead, markAllAlertsRead, openAlert } from './alerts-actions';
import { useAlerts } from './alerts-store';

const fake = installFakeBridge();
const user = { id: 'u1', role: 'user' } as User;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const alert = (id: string, over: Partial<Notification> = {}): Notification => ({
  id,
  accountId: 'a1',
  userId: 'u1',
  title: 'Missed call',
  message: 'Missed call from +13105552007 on Main line',
  redirect: `call:c-${id}`,
  readAt: null,
  createdAt: new Date().toISOString(),
  seq: 1,
  ...over,
});

let off: () => void = () => undefined;
let unread: Notification[] = [];
beforeEach(() => {
  fake.calls.length = 0;
  unread = [];
  useAlerts.setState({ unread: 0, toasts: [], names: {} });
  useNavigation.setState({ view: 'settings', focusTarget: null });
  useSession.setState({ session: { status: 'signed-in', user, sessionId: 's' } });
  fake.handlers['notifications.list'] = (input) => {
    const { limit } = input as { limit: number };
    return { items: unread.slice(0, limit), unread: unread.length };
  };
  fake.handlers['contacts.lookup'] = () => ({ contact: { name: 'Jane Doe' }, assignedUser: null, lastCall: null });
});
afterEach(() => off());

describe('alerts actions', () => {
  it('keep the unread badge current: at connect, on new notifications, on a new session', async () => {
    unread = [alert('n1'), alert('n2'), alert('n3')];
    off = await connectAlerts();
    expect(useAlerts.getState().unread).toBe(3);
    unread = [alert('n4'), ...unread];
    fake.emit('cache.changed', { entities: ['contacts'] });
    await settle();
    expect(useAlerts.getState().unread).toBe(3);
    fake.emit('cache.changed', { entities: ['notifications'] });
    await settle();
    expect(useAlerts.getState().unread).toBe(4);
  });

  it('pop in only what is new: not what was there at sign-in, not old alerts arriving with a first sync, never twice', async () => {
    unread = [alert('old')];
    off = await connectAlerts();
    expect(useAlerts.getState().toasts).toEqual([]);
    unread = [alert('new'), alert('synced-late', { createdAt: '2024-01-01T10:00:00Z' }), ...unread];
    fake.emit('cache.changed', { entities: ['notifications'] });
    await settle();
    expect(useAlerts.getState().toasts.map((t) => t.id)).toEqual(['new']);
    fake.emit('cache.changed', { entities: ['notifications'] });
    await settle();
    expect(useAlerts.getState().toasts.map((t) => t.id)).toEqual(['new']);
    // The number it mentions is looked up once in the contacts cache.
    await settle();
    expect(useAlerts.getState().names).toEqual({ '+13105552007': 'Jane Doe' });
    expect(fake.callsTo('contacts.lookup')).toEqual([{ number: '+13105552007' }]);
  });

  it('a new user starts clean: the last user’s toasts go, and nothing pops while signed out', async () => {
    off = await connectAlerts();
    unread = [alert('n1')];
    fake.emit('cache.changed', { entities: ['notifications'] });
    await settle();
    expect(useAlerts.getState().toasts).toHaveLength(1);
    useSession.setState({ session: { status: 'signed-out' } });
    await settle();
    expect(useAlerts.getState()).toMatchObject({ toasts: [], unread: 0, names: {} });
    const listed = fake.callsTo('notifications.list').length;
    fake.emit('cache.changed', { entities: ['notifications'] });
    await settle();
    expect(fake.callsTo('notifications.list')).toHaveLength(listed);
  });

  it('ask nothing while signed out', async () => {
    useSession.setState({ session: { status: 'signed-out' } });
    off = await connectAlerts();
    expect(fake.callsTo('notifications.list')).toEqual([]);
  });

  it('marking one read updates the badge and takes its toast away; a refusal changes nothing', async () => {
    useAlerts.setState({ toasts: [alert('n1'), alert('n9')] });
    fake.handlers['notifications.markRead'] = () => ({ items: [], unread: 1 });
    expect(await markAlertRead('n1')).toEqual([]);
    expect(useAlerts.getState().unread).toBe(1);
    expect(useAlerts.getState().toasts.map((t) => t.id)).toEqual(['n9']);
    delete fake.handlers['notifications.markRead'];
    expect(await markAlertRead('n2')).toBeNull();
    expect(useAlerts.getState().unread).toBe(1);
  });

  it('mark all read: one call to main, the badge and the toasts cleared', async () => {
    useAlerts.setState({ unread: 4, toasts: [alert('n1')] });
    fake.handlers['notifications.markAllRead'] = () => ({ items: [alert('n1', { readAt: '2025-01-01T00:00:00Z' })], unread: 0 });
    expect(await markAllAlertsRead()).toHaveLength(1);
    expect(useAlerts.getState()).toMatchObject({ unread: 0, toasts: [] });
    delete fake.handlers['notifications.markAllRead'];
    useAlerts.setState({ unread: 2 });
    expect(await markAllAlertsRead()).toBeNull();
    expect(useAlerts.getState().unread).toBe(2);
  });

  it('opening an alert goes to its target and marks it read', async () => {
    fake.handlers['notifications.markRead'] = () => ({ items: [], unread: 0 });
    await openAlert(alert('n1', { redirect: 'call:c42' }));
    expect(useNavigation.getState()).toMatchObject({ view: 'history', focusTarget: 'call:c42' });
    expect(fake.callsTo('notifications.markRead')).toEqual([{ notificationId: 'n1' }]);
    await openAlert(alert('n2', { redirect: 'contact:k1', readAt: '2025-01-01T00:00:00Z' }));
    expect(useNavigation.getState()).toMatchObject({ view: 'contacts', focusTarget: 'contact:k1' });
    expect(fake.callsTo('notifications.markRead')).toHaveLength(1);
  });
});
