import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../../shared/cloud';
import { defaultSettings } from '../../../shared/settings';
import { useNavigation } from '../../state/navigation';
import { usePractice } from '../../state/practice';
import { useSession } from '../../state/session';
import { installFakeBridge } from '../../testing/fake-bridge';
import { useVoiceStore } from '../../voice';
import { AudioSettings } from './AudioSettings';
import { IdentityMenu } from './IdentityMenu';
import { SettingsView } from './SettingsView';

const fake = installFakeBridge();
const jordan = { id: 'u1', name: 'Jordan Lee', email: 'jordan@glow.example', role: 'user' } as User;

beforeEach(() => {
  fake.calls.length = 0;
  useSession.setState({ session: { status: 'signed-in', user: jordan, sessionId: 's' } });
  usePractice.setState({ directory: { account: { id: 'a', name: 'Glow Med Spa', timezone: 'America/Los_Angeles', seq: 1 }, me: null, locations: [], teams: [], users: [], phoneNumbers: [] } });
  useNavigation.setState({ view: 'phone' });
});
afterEach(cleanup);

describe('IdentityMenu', () => {
  it('shows who is signed in — name, role, practice — and opens a panel with the e-mail, My profile and Sign out', () => {
    render(<IdentityMenu />);
    const button = screen.getByTestId('identity-button');
    expect(button.textContent).toBe('Jordan LeeReceptionist · Glow Med Spa');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByTestId('identity-panel').textContent).toContain('jordan@glow.example');
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'My profile' }));
    expect(useNavigation.getState().view).toBe('profile');
    expect(screen.queryByTestId('identity-panel')).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it('Escape closes the panel and gives focus back; nothing shows while signed out', () => {
    const { unmount } = render(<IdentityMenu />);
    fireEvent.click(screen.getByTestId('identity-button'));
    fireEvent.keyDown(screen.getByRole('button', { name: 'My profile' }), { key: 'Escape' });
    expect(screen.queryByTestId('identity-panel')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('identity-button'));
    unmount();
    useSession.setState({ session: { status: 'signed-out' } });
    render(<IdentityMenu />);
    expect(screen.queryByTestId('identity-button')).toBeNull();
  });
});

describe('Settings on first start', () => {
  it('global shortcuts the host cannot have are shown disabled, with the reason', async () => {
    const settings = defaultSettings();
    const hotkeys = ['answer', 'hangUp', 'mute', 'showWindow'].map((id) => ({ id, label: id, accelerator: null, state: 'unavailable' as const, message: null }));
    fake.handlers['settings.get'] = () => ({ settings, hotkeys });
    await act(async () => {
      render(<SettingsView />);
    });
    const reason = screen.getByTestId('hotkeys-unavailable');
    expect(reason.textContent).toMatch(/only in the desktop app/);
    const answer = screen.getByRole('button', { name: /^Answer a ringing call:/ }) as HTMLButtonElement;
    expect(answer.disabled).toBe(true);
    expect(answer.getAttribute('aria-describedby')).toBe(reason.id);
    expect((screen.getByRole('button', { name: 'Clear: Answer a ringing call' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('the default output is ticked as the ringer when none was chosen, and the last ticked one cannot be unticked', () => {
    useVoiceStore.setState({
      audio: {
        inputs: [],
        outputs: [
          { id: 'default', label: 'Default' },
          { id: 'headset', label: 'Headset' },
        ],
        microphone: null,
        speakers: [],
        ringers: [],
        outputSelectionSupported: true,
      },
    } as never);
    render(<AudioSettings />);
    const byDefault = screen.getByRole('checkbox', { name: 'Default' }) as HTMLInputElement;
    expect(byDefault.checked).toBe(true);
    expect(byDefault.disabled).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'Headset' }) as HTMLInputElement).checked).toBe(false);
    expect(screen.getByText(/always rings on at least one output/)).toBeTruthy();
  });
});
