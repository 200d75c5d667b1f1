import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SoftphoneBridge } from '../../../shared/ipc';
import { useSession } from '../../state/session';
import { connectPhone } from './phone-runtime';

const bridge = {} as SoftphoneBridge;
const signedIn = (id = 'u1') => useSession.setState({ session: { status: 'signed-in', user: { id, role: 'receptionist' } as never, sessionId: 's' } });
const signedOut = () => useSession.setState({ session: { status: 'signed-out' } as never });

describe('connectPhone', () => {
  afterEach(() => useSession.setState({ session: null }));

  it('starts the phone the moment the store says someone is signed in, before any render, and stops it at sign-out', () => {
    signedOut();
    const phone = { start: vi.fn(), stop: vi.fn() };
    const off = connectPhone(bridge, phone);
    expect(phone.start).not.toHaveBeenCalled();

    signedIn();
    expect(phone.start).toHaveBeenCalledTimes(1);
    expect(phone.start).toHaveBeenCalledWith(bridge);

    // Another session change while still signed in (a refreshed user) does not restart it.
    signedIn('u1');
    expect(phone.start).toHaveBeenCalledTimes(1);

    signedOut();
    expect(phone.stop).toHaveBeenCalledTimes(1);
    off();
    signedIn();
    expect(phone.start).toHaveBeenCalledTimes(1);
  });

  it('starts at once when someone is already signed in, and stops when disconnected', () => {
    signedIn();
    const phone = { start: vi.fn(), stop: vi.fn() };
    const off = connectPhone(bridge, phone);
    expect(phone.start).toHaveBeenCalledTimes(1);
    off();
    expect(phone.stop).toHaveBeenCalledTimes(1);
  });
});
