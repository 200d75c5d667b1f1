import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useSession } from '../../state/session';
import { installFakeBridge } from '../../testing/fake-bridge';
import { PhoneView } from './PhoneView';

installFakeBridge();

describe('the phone before anyone is signed in', () => {
  afterEach(() => {
    cleanup();
    useSession.setState({ session: null });
  });

  it('says it is starting while main has not said who is signed in (not "Sign in", wrong for most starts)', () => {
    useSession.setState({ session: null });
    render(<PhoneView />);
    expect(screen.getByRole('status').textContent).toBe('Starting…');
    expect(screen.queryByText('Sign in to use the phone.')).toBeNull();
  });

  it('asks to sign in once main says nobody is', () => {
    useSession.setState({ session: { status: 'signed-out' } });
    render(<PhoneView />);
    expect(screen.getByText('Sign in to use the phone.')).toBeTruthy();
    expect(screen.queryByText('Starting…')).toBeNull();
  });
});
