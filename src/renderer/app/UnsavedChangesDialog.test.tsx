import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallPolicyView } from '../../shared/cloud/call-policy';
import { defaultSettings } from '../../shared/settings';
import { guardKeptCallPolicyEdits, useCallPolicy } from '../features/settings/call-policy-store';
import { useNavigation } from '../state/navigation';
import { connectQuitGuard } from '../state/quit-actions';
import { useSession } from '../state/session';
import { useUnsavedChanges } from '../state/unsaved-changes';
import { installFakeBridge } from '../testing/fake-bridge';
import { SettingsScreen } from './SettingsScreen';
import { UnsavedChangesDialog } from './UnsavedChangesDialog';

const fake = installFakeBridge();
let stored: CallPolicyView;
const signIn = (id = 'admin-1') => useSession.setState({ session: { status: 'signed-in', user: { id, role: 'admin' } as never, sessionId: 's' } });

beforeEach(() => {
  fake.calls.length = 0;
  stored = { country: 'US', allowedCountries: ['US'], usingDefault: true, outboundCallsPerUserHour: 60 };
  fake.handlers['callPolicy.get'] = () => stored;
  fake.handlers['callPolicy.update'] = (input) => {
    stored = { ...stored, outboundCallsPerUserHour: (input as { outboundCallsPerUserHour?: number }).outboundCallsPerUserHour ?? stored.outboundCallsPerUserHour };
    return stored;
  };
  fake.handlers['settings.get'] = () => ({ settings: defaultSettings(), hotkeys: [] });
  fake.handlers['app.reportUnsaved'] = () => ({ accepted: true });
  signIn();
  useNavigation.setState({ view: 'settings' });
});
afterEach(() => {
  cleanup();
  useUnsavedChanges.setState({ edits: null, leaving: null, saving: false, problem: null });
  useCallPolicy.setState({ owner: null, policy: null, draft: { allowed: null, cap: '' } });
});

/** Settings as the shell shows it: the tab's screen (while it is the open section) and the shell's warning. */
function Shell() {
  const view = useNavigation((s) => s.view);
  return (
    <>
      {view === 'settings' ? <SettingsScreen /> : <p>{view} screen</p>}
      <UnsavedChangesDialog />
    </>
  );
}

const CAP = 'Outbound calls per person per hour';
/** Closing or reloading the window: whether the page asks first (the browser's own prompt). */
const closingAsks = () => {
  const event = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(event);
  return event.defaultPrevented;
};
const dialog = () => screen.queryByRole('dialog', { hidden: true });

/** An admin on Settings → Call policy who typed a new hourly cap and has not saved it. */
async function editCallPolicy(user: ReturnType<typeof userEvent.setup>) {
  render(<Shell />);
  await user.click(screen.getByRole('button', { name: 'Call policy' }));
  const cap = await screen.findByLabelText(CAP);
  await user.clear(cap);
  await user.type(cap, '25');
  return cap as HTMLInputElement;
}

describe('Settings → Call policy warns before unsaved edits are left', () => {
  it('leaving the tab asks first; Keep editing (and Escape) stays with the edits; Discard drops them and leaves', async () => {
    const user = userEvent.setup();
    await editCallPolicy(user);
    act(() => useNavigation.getState().setView('history'));
    expect(useNavigation.getState().view).toBe('settings');
    const warning = within(dialog()!);
    expect(warning.getByRole('heading').textContent).toBe('Call policy: changes not saved');
    // Keyboard: Save is first and has focus; Keep editing is reached by Tab.
    expect(document.activeElement).toBe(warning.getByRole('button', { name: 'Save and continue', hidden: true }));
    await user.tab();
    await user.tab();
    expect(document.activeElement).toBe(warning.getByRole('button', { name: 'Keep editing', hidden: true }));
    await user.keyboard('{Enter}');
    expect(dialog()).toBeNull();
    expect(useNavigation.getState().view).toBe('settings');
    expect((screen.getByLabelText(CAP) as HTMLInputElement).value).toBe('25');

    act(() => useNavigation.getState().setView('history'));
    fireEvent(dialog()!, new Event('cancel'));
    expect(dialog()).toBeNull();
    expect(useNavigation.getState().view).toBe('settings');

    act(() => useNavigation.getState().setView('history'));
    await user.click(within(dialog()!).getByRole('button', { name: 'Discard changes', hidden: true }));
    expect(useNavigation.getState().view).toBe('history');
    expect(fake.callsTo('callPolicy.update')).toEqual([]);
    act(() => useNavigation.getState().setView('settings'));
    await user.click(screen.getByRole('button', { name: 'Call policy' }));
    expect(((await screen.findByLabelText(CAP)) as HTMLInputElement).value).toBe('60');
  });

  it('another Settings page asks too; Save and continue saves, then goes there', async () => {
    const user = userEvent.setup();
    await editCallPolicy(user);
    await user.click(screen.getByRole('button', { name: 'This computer' }));
    expect(screen.getByRole('heading', { level: 2, name: 'Call policy' })).toBeTruthy();
    await user.click(within(dialog()!).getByRole('button', { name: 'Save and continue', hidden: true }));
    expect(fake.callsTo('callPolicy.update')).toEqual([{ outboundCallsPerUserHour: 25 }]);
    expect(dialog()).toBeNull();
    expect(screen.getByRole('button', { name: 'This computer' }).getAttribute('aria-current')).toBe('page');
    // Saved: leaving asks nothing now.
    act(() => useNavigation.getState().setView('history'));
    expect(useNavigation.getState().view).toBe('history');
  });

  it('a save the cloud refuses keeps the warning open with the reason, and the edits', async () => {
    fake.handlers['callPolicy.update'] = () => {
      throw Object.assign(new Error('The cloud cannot be reached.'), { code: 'NETWORK' });
    };
    const user = userEvent.setup();
    await editCallPolicy(user);
    act(() => useNavigation.getState().setView('history'));
    await user.click(within(dialog()!).getByRole('button', { name: 'Save and continue', hidden: true }));
    expect(within(dialog()!).getByRole('alert', { hidden: true }).textContent).toBe('The cloud cannot be reached.');
    expect(useNavigation.getState().view).toBe('settings');
    expect((screen.getByLabelText(CAP) as HTMLInputElement).value).toBe('25');
  });

  it('nothing edited, or edits undone by hand: leaving asks nothing', async () => {
    const user = userEvent.setup();
    const cap = await editCallPolicy(user);
    await user.clear(cap);
    await user.type(cap, '60');
    act(() => useNavigation.getState().setView('history'));
    expect(dialog()).toBeNull();
    expect(useNavigation.getState().view).toBe('history');
  });

  it('closing the window asks (beforeunload) while edits are unsaved, not once they are saved', async () => {
    const user = userEvent.setup();
    await editCallPolicy(user);
    expect(closingAsks()).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Save call policy' }));
    expect(closingAsks()).toBe(false);
  });

  it('signing out from the header asks first', async () => {
    const user = userEvent.setup();
    await editCallPolicy(user);
    fake.handlers['sync.now'] = () => ({ state: 'online', pending: 0, lastError: null, lastSyncedAt: null, failing: false, diskFull: false });
    fake.handlers['session.signOut'] = () => ({ status: 'signed-out' });
    const { SignOutButton } = await import('../features/settings/SignOut');
    render(<SignOutButton />);
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(fake.callsTo('session.signOut')).toEqual([]);
    await user.click(within(dialog()!).getByRole('button', { name: 'Discard changes', hidden: true }));
    expect(fake.callsTo('session.signOut')).toHaveLength(1);
  });

  it('an answered call shows the phone at once, no warning in its way; the edits wait on Settings → Call policy', async () => {
    const user = userEvent.setup();
    await editCallPolicy(user);
    act(() => useNavigation.getState().showPhone());
    expect(useNavigation.getState().view).toBe('phone');
    expect(dialog()).toBeNull();
    act(() => useNavigation.getState().setView('settings'));
    expect(screen.getByRole('heading', { level: 2, name: 'Call policy' })).toBeTruthy();
    expect(((await screen.findByLabelText(CAP)) as HTMLInputElement).value).toBe('25');
    // …and are still guarded.
    act(() => useNavigation.getState().setView('history'));
    expect(dialog()).not.toBeNull();
  });

  it('edits kept for one admin are never shown to another person signing in here', async () => {
    const user = userEvent.setup();
    await editCallPolicy(user);
    act(() => useNavigation.getState().showPhone());
    cleanup();
    signIn('admin-2');
    useNavigation.setState({ view: 'settings' });
    render(<Shell />);
    expect(screen.getByRole('button', { name: 'This computer' }).getAttribute('aria-current')).toBe('page');
    await user.click(screen.getByRole('button', { name: 'Call policy' }));
    expect(((await screen.findByLabelText(CAP)) as HTMLInputElement).value).toBe('60');
  });
});

/** The window's side of main's quit dialog (src/main/hosts/quit-guard.ts): what it tells main, and Keep editing. */
describe('quitting the app: the window keeps main told what is unsaved', () => {
  let offs: Array<() => void> = [];
  beforeEach(() => {
    offs = [guardKeptCallPolicyEdits(), connectQuitGuard()];
  });
  afterEach(() => {
    for (const off of offs) off();
  });

  /** Each set main was told, in order. */
  const told = () => fake.callsTo('app.reportUnsaved');

  it('tells main at once that nothing is unsaved, and opens no warning of the window’s own', () => {
    render(<Shell />);
    expect(told()).toEqual([{ unsaved: [] }]);
    expect(dialog()).toBeNull();
  });

  it('Call policy edited on screen: tells main once (not on each keystroke), and again once saved', async () => {
    const user = userEvent.setup();
    await editCallPolicy(user);
    expect(told()).toEqual([{ unsaved: [] }, { unsaved: ['Call policy'] }]);
    expect(dialog()).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Save call policy' }));
    expect(told().at(-1)).toEqual({ unsaved: [] });
  });

  it('edits kept while a call took the screen still count (quitting and closing the window); Keep editing brings them back', async () => {
    const user = userEvent.setup();
    await editCallPolicy(user);
    act(() => useNavigation.getState().showPhone());
    expect(screen.getByText('phone screen')).toBeTruthy();
    // Off screen, still unsaved: main's set does not change.
    expect(told().at(-1)).toEqual({ unsaved: ['Call policy'] });
    expect(closingAsks()).toBe(true);
    act(() => fake.emit('app.keepEditing', {}));
    expect(useNavigation.getState().view).toBe('settings');
    expect(((await screen.findByLabelText(CAP)) as HTMLInputElement).value).toBe('25');
  });

  it('Keep editing with the editor on screen stays there', async () => {
    const user = userEvent.setup();
    await editCallPolicy(user);
    act(() => fake.emit('app.keepEditing', {}));
    expect(useNavigation.getState().view).toBe('settings');
    expect((screen.getByLabelText(CAP) as HTMLInputElement).value).toBe('25');
  });

  it('edits kept for another person do not count: main is told nothing is unsaved once someone else signs in', async () => {
    const user = userEvent.setup();
    await editCallPolicy(user);
    act(() => useNavigation.getState().showPhone());
    act(() => signIn('admin-2'));
    expect(told().at(-1)).toEqual({ unsaved: [] });
    expect(closingAsks()).toBe(false);
  });

  it('once disconnected, main is told nothing more', async () => {
    for (const off of offs) off();
    offs = [];
    const user = userEvent.setup();
    await editCallPolicy(user);
    expect(told()).toEqual([{ unsaved: [] }]);
  });
});
