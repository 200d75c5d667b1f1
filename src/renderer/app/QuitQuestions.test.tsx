import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallPolicyView } from '../../shared/cloud/call-policy';
import { defaultSettings } from '../../shared/settings';
import { guardKeptCallPolicyEdits, useCallPolicy } from '../features/settings/call-policy-store';
import { useNavigation } from '../state/navigation';
import { connectQuitQuestions } from '../state/quit-actions';
import { useSession } from '../state/session';
import { useUnsavedChanges } from '../state/unsaved-changes';
import { installFakeBridge } from '../testing/fake-bridge';
import { SettingsScreen } from './SettingsScreen';
import { UnsavedChangesDialog } from './UnsavedChangesDialog';

/** The renderer's side of main's quit dialog (hosts/quit-guard.ts): what it answers, and Keep editing. */
const fake = installFakeBridge();
const REQUEST = '6f1c1d52-3f2b-4c8e-9d7a-1b2c3d4e5f60';
const CAP = 'Outbound calls per person per hour';
const signIn = (id = 'admin-1') => useSession.setState({ session: { status: 'signed-in', user: { id, role: 'admin' } as never, sessionId: 's' } });
let offs: Array<() => void> = [];

beforeAll(() => {
  offs = [guardKeptCallPolicyEdits(), connectQuitQuestions()];
});
afterAll(() => {
  for (const off of offs) off();
});
beforeEach(() => {
  fake.calls.length = 0;
  let stored: CallPolicyView = { country: 'US', allowedCountries: ['US'], usingDefault: true, outboundCallsPerUserHour: 60 };
  fake.handlers['callPolicy.get'] = () => stored;
  fake.handlers['callPolicy.update'] = (input) => (stored = { ...stored, outboundCallsPerUserHour: (input as { outboundCallsPerUserHour: number }).outboundCallsPerUserHour });
  fake.handlers['settings.get'] = () => ({ settings: defaultSettings(), hotkeys: [] });
  fake.handlers['app.answerQuit'] = () => ({ accepted: true });
  signIn();
  useNavigation.setState({ view: 'settings' });
});
afterEach(() => {
  cleanup();
  useUnsavedChanges.setState({ edits: null, leaving: null, saving: false, problem: null });
  useCallPolicy.setState({ owner: null, policy: null, draft: { allowed: null, cap: '' } });
});

function Shell() {
  const view = useNavigation((s) => s.view);
  return (
    <>
      {view === 'settings' ? <SettingsScreen /> : <p>{view} screen</p>}
      <UnsavedChangesDialog />
    </>
  );
}

async function editCallPolicy(user: ReturnType<typeof userEvent.setup>) {
  render(<Shell />);
  await user.click(screen.getByRole('button', { name: 'Call policy' }));
  const cap = await screen.findByLabelText(CAP);
  await user.clear(cap);
  await user.type(cap, '25');
}

/** Main asks; the window's answer, as sent. */
async function mainAsks(): Promise<unknown> {
  fake.calls.length = 0;
  act(() => fake.emit('app.quitAsked', { requestId: REQUEST }));
  await act(async () => undefined);
  return fake.callsTo('app.answerQuit').at(-1);
}

const closingAsks = () => {
  const event = new Event('beforeunload', { cancelable: true });
  window.dispatchEvent(event);
  return event.defaultPrevented;
};

describe('quitting: the window tells main what is unsaved', () => {
  it('nothing edited: answers at once with nothing, and the in-app warning stays shut', async () => {
    render(<Shell />);
    expect(await mainAsks()).toEqual({ requestId: REQUEST, unsaved: [] });
    expect(screen.queryByRole('dialog', { hidden: true })).toBeNull();
  });

  it('Call policy edited on screen: names it; once saved, nothing', async () => {
    const user = userEvent.setup();
    await editCallPolicy(user);
    expect(await mainAsks()).toEqual({ requestId: REQUEST, unsaved: ['Call policy'] });
    // Main's own dialog asks: the window opens no warning of its own over it.
    expect(screen.queryByRole('dialog', { hidden: true })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Save call policy' }));
    expect(await mainAsks()).toEqual({ requestId: REQUEST, unsaved: [] });
  });

  it('edits kept while a call took the screen still count (quit and closing the window); Keep editing brings them back', async () => {
    const user = userEvent.setup();
    await editCallPolicy(user);
    act(() => useNavigation.getState().showPhone());
    expect(screen.getByText('phone screen')).toBeTruthy();
    expect(await mainAsks()).toEqual({ requestId: REQUEST, unsaved: ['Call policy'] });
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

  it('edits kept for another person are not theirs to be asked about', async () => {
    const user = userEvent.setup();
    await editCallPolicy(user);
    act(() => useNavigation.getState().showPhone());
    signIn('admin-2');
    expect(await mainAsks()).toEqual({ requestId: REQUEST, unsaved: [] });
    expect(closingAsks()).toBe(false);
  });
});
