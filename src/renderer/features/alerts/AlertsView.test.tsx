import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Notification } from '../../../shared/cloud';
import { useCacheVersions } from '../../state/cache-versions';
import { installFakeBridge } from '../../testing/fake-bridge';
import { AlertsView } from './AlertsView';

const fake = installFakeBridge();
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));
const INTERNAL = 'Something went wrong in the softphone (reference 7). Try again; if it keeps happening, restart the app.';
const failing = () => {
  throw Object.assign(new Error(INTERNAL), { code: 'INTERNAL' });
};
const alert: Notification = {
  id: 'n1',
  accountId: 'a1',
  userId: 'u1',
  title: 'Missed call',
  message: 'Missed call on Main line',
  redirect: null,
  readAt: null,
  createdAt: '2026-03-10T18:00:00Z',
  seq: 1,
};

beforeEach(() => {
  fake.handlers['contacts.lookup'] = () => null;
});
afterEach(cleanup);

describe('AlertsView when the alerts cannot be read', () => {
  it('says so with Try again instead of "Loading alerts…" for ever; Try again shows them once they can be read', async () => {
    fake.handlers['notifications.list'] = failing;
    render(<AlertsView />);
    await settle();
    expect(screen.queryByText('Loading alerts…')).toBeNull();
    expect(screen.getByRole('alert').textContent).toBe(`The alerts could not be shown. ${INTERNAL}`);

    fake.handlers['notifications.list'] = () => ({ items: [alert], unread: 1 });
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await settle();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByTestId('alert-list').textContent).toContain('Missed call on Main line');
  });

  it('a refresh that fails keeps the alerts shown and says they could not be refreshed', async () => {
    fake.handlers['notifications.list'] = () => ({ items: [alert], unread: 1 });
    render(<AlertsView />);
    await settle();
    fake.handlers['notifications.list'] = failing;
    act(() => useCacheVersions.getState().bump(['notifications']));
    await settle();
    expect(screen.getByRole('alert').textContent).toBe(`The alerts could not be refreshed. ${INTERNAL}`);
    expect(screen.getByTestId('alert-list').textContent).toContain('Missed call on Main line');
  });
});
