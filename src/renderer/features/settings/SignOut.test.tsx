import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../shared/ipc/sync-status';
import { installFakeBridge } from '../../testing/fake-bridge';
import { SignOutButton } from './SignOut';
import { UnsentChanges } from './UnsentChanges';

const fake = installFakeBridge();
const status = (pending: number, lastError: string | null = null): SyncStatus => ({ state: lastError ? 'offline' : 'online', pending, lastError, lastSyncedAt: null, failing: lastError !== null, diskFull: false });
const signedOut = { status: 'signed-out' };

beforeEach(() => {
  fake.calls.length = 0;
  fake.handlers['session.signOut'] = () => signedOut;
});
afterEach(cleanup);

const click = async (name: string | RegExp) => {
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name }));
  });
};

describe('Sign out with changes that have not reached the cloud', () => {
  it('signs out at once when everything could be sent', async () => {
    fake.handlers['sync.now'] = () => status(0);
    render(<SignOutButton />);
    await click('Sign out');
    expect(fake.callsTo('sync.now')).toHaveLength(1);
    expect(fake.callsTo('session.signOut')).toHaveLength(1);
  });

  it('says how many wait and does not sign out until the person chooses to keep them here', async () => {
    fake.handlers['sync.now'] = () => status(3, 'fetch failed');
    render(<SignOutButton />);
    await click('Sign out');
    expect(screen.getByRole('heading').textContent).toBe('3 changes have not reached the cloud yet');
    expect(screen.getByText(/stay on this computer, kept for you/)).toBeTruthy();
    expect(screen.getByText(/Could not reach the cloud: fetch failed/)).toBeTruthy();
    expect(fake.callsTo('session.signOut')).toHaveLength(0);

    await click('Sign out and keep them here');
    expect(fake.callsTo('session.signOut')).toHaveLength(1);
  });

  it('"Try sending again" signs out by itself once everything went; "Stay signed in" closes', async () => {
    let pending = 1;
    fake.handlers['sync.now'] = () => status(pending, pending ? 'offline' : null);
    render(<SignOutButton />);
    await click('Sign out');
    expect(screen.getByRole('heading').textContent).toBe('1 change has not reached the cloud yet');
    await click('Stay signed in');
    expect(screen.queryByRole('heading')).toBeNull();
    await click('Sign out');
    pending = 0;
    await click('Try sending again');
    expect(fake.callsTo('session.signOut')).toHaveLength(1);
  });
});

describe('UnsentChanges', () => {
  it('lists what waits, whose it is, and reloads when the waiting count changes', async () => {
    let changes = [
      { idempotencyKey: 'k1', type: 'call.setNote', summary: 'Note on a call: “hi”', createdAt: '2026-12-01T10:00:00.000Z', attempts: 2, lastError: 'fetch failed', state: 'waiting', ownerUserId: 'u1', ownerCloud: 'embedded', mine: true },
      { idempotencyKey: 'k2', type: 'contact.create', summary: 'New contact Ada', createdAt: '2026-12-01T10:01:00.000Z', attempts: 0, lastError: null, state: 'waiting', ownerUserId: 'u2', ownerCloud: 'embedded', mine: false },
    ];
    fake.handlers['outbox.listUnsent'] = () => ({ scope: 'all', changes });
    render(<UnsentChanges />);
    await act(async () => undefined);
    expect(screen.getByTestId('unsent-changes').textContent).toMatch(/2 changes on this computer have not reached the cloud yet \(1 by other people/);
    expect(screen.getByText(/by u2 on embedded/)).toBeTruthy();
    expect(screen.getByRole('button', { name: /Save a copy of all unsent changes/ })).toBeTruthy();

    changes = [];
    await act(async () => fake.emit('sync.status', status(0)));
    expect(screen.getByTestId('unsent-changes').textContent).toBe('Every change made on this computer has reached the cloud.');
  });
});
