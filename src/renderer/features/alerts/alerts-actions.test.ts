import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../../shared/cloud';
import { useSession } from '../../state/session';
import { installFakeBridge } from '../../testing/fake-bridge';
import { connectAlerts, markAlertRead } from './alerts-actions';
import { useAlerts } from './alerts-store';

const fake = installFakeBridge();
const user = { id: 'u1', role: 'user' } as User;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

let off: () => void = () => undefined;
beforeEach(() => {
  fake.calls.length = 0;
  useAlerts.setState({ unread: 0 });
  useSession.setState({ session: { status: 'signed-in', user, sessionId: 's' } });
  fake.handlers['notifications.list'] = () => ({ items: [], unread: 3 });
});
afterEach(() => off());

describe('alerts actions', () => {
  it('keep the unread badge current: at connect, on new notifications, on a new session', async () => {
    off = await connectAlerts();
    expect(useAlerts.getState().unread).toBe(3);
    fake.handlers['notifications.list'] = () => ({ items: [], unread: 4 });
    fake.emit('cache.changed', { entities: ['contacts'] });
    await settle();
    expect(useAlerts.getState().unread).toBe(3);
    fake.emit('cache.changed', { entities: ['notifications'] });
    await settle();
    expect(useAlerts.getState().unread).toBe(4);
    expect(fake.callsTo('notifications.list')).toEqual([
      { unreadOnly: true, limit: 1 },
      { unreadOnly: true, limit: 1 },
    ]);
  });

  it('ask nothing while signed out', async () => {
    useSession.setState({ session: { status: 'signed-out' } });
    off = await connectAlerts();
    expect(fake.callsTo('notifications.list')).toEqual([]);
  });

  it('marking one read updates the badge; a refusal changes nothing', async () => {
    fake.handlers['notifications.markRead'] = () => ({ items: [], unread: 1 });
    expect(await markAlertRead('n1')).toEqual([]);
    expect(useAlerts.getState().unread).toBe(1);
    delete fake.handlers['notifications.markRead'];
    expect(await markAlertRead('n2')).toBeNull();
    expect(useAlerts.getState().unread).toBe(1);
  });
});
