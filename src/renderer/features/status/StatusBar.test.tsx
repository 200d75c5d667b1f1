import { cleanup, render, screen } from '@testing-library/react';
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { useSession } from '../../state/session';
import { useVoiceStore } from '../../voice';
import { StatusBar } from './StatusBar';

const phoneStatus = () => screen.queryByTestId('phone-status')?.textContent ?? null;

afterEach(() => {
  cleanup();
  useSession.setState({ session: null });
  useVoiceStore.setState({ device: { status: 'unregistered' } });
});

describe('StatusBar: the phone pill', () => {
  it('shows the phone that registered on main’s token before the session state arrived, and hides it once signed out', () => {
    useSession.setState({ session: null });
    useVoiceStore.setState({ device: { status: 'unregistered' } });
    render(<StatusBar />);
    expect(phoneStatus()).toBeNull();

    act(() => useVoiceStore.setState({ device: { status: 'registering', attempt: 1, since: 0 } }));
    expect(phoneStatus()).toBe('Connecting the phone…');
    act(() => useVoiceStore.setState({ device: { status: 'registered', since: 1 } }));
    expect(phoneStatus()).toBe('Ready for calls');

    act(() => useSession.setState({ session: { status: 'signed-in', user: { id: 'u1', role: 'receptionist' } as never, sessionId: 's' } }));
    expect(phoneStatus()).toBe('Ready for calls');

    // Signed out: no phone status, whatever the engine last said.
    act(() => useSession.setState({ session: { status: 'signed-out' } as never }));
    expect(phoneStatus()).toBeNull();
  });
});
