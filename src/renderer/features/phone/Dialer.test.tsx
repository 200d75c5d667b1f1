import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type * as PhoneActions from './phone-actions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Contact } from '../../../shared/cloud';
import { useNavigation } from '../../state/navigation';
import { usePractice } from '../../state/practice';
import { useSession } from '../../state/session';
import { installFakeBridge } from '../../testing/fake-bridge';
import { useVoiceStore } from '../../voice';
import { Dialer } from './Dialer';

const placed = vi.hoisted(() => [] as Array<{ to: string; callerId: string; taskId?: string }>);
vi.mock('./phone-actions', async (original) => ({
  ...(await original<typeof PhoneActions>()),
  placeCall: async (to: string, callerId: string, taskId?: string) => {
    placed.push({ to, callerId, ...(taskId ? { taskId } : {}) });
  },
}));

const fake = installFakeBridge();
const contact = (id: string, name: string, phone: string) => ({ id, name, phone }) as Contact;

beforeEach(() => {
  placed.length = 0;
  fake.handlers['search.query'] = (input) => {
    const q = (input as { query: string }).query.toLowerCase();
    const all = [contact('c1', 'Ana Ruiz', '+13105550142'), contact('c2', 'Anabel Cho', '+13105550199')];
    return { contacts: all.filter((c) => c.name.toLowerCase().includes(q)), calls: [] };
  };
  usePractice.setState({
    directory: { account: null, me: null, locations: [], teams: [], users: [], phoneNumbers: [{ id: 'n1', number: '+13105550100', name: 'Main line', deletedAt: null } as never] },
  });
  useVoiceStore.setState({ device: { status: 'registered' } as never });
});
afterEach(cleanup);

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 250)));

describe('Dialer (B7)', { timeout: 30_000 }, () => {
  it('a typed name and Enter calls the contact it matches, not "That number is too short"', async () => {
    render(<Dialer />);
    const input = screen.getByRole('combobox', { name: 'Number or name to call' });
    fireEvent.change(input, { target: { value: 'Ana Ruiz' } });
    await settle();
    fireEvent.keyDown(input, { key: 'Enter' });
    await settle();
    expect(placed).toEqual([{ to: '+13105550142', callerId: '+13105550100' }]);
    expect(screen.queryByText(/too short/)).toBeNull();
  });

  it('Enter right after the last keystroke calls the match of the whole name, not the top of the list an earlier keystroke left', async () => {
    const user = userEvent.setup();
    render(<Dialer />);
    const input = screen.getByRole('combobox', { name: 'Number or name to call' });
    await user.type(input, 'Ana');
    await settle();
    const list = () => screen.getByRole('listbox', { name: 'Matching contacts' });
    expect(within(list()).getAllByRole('option').map((o) => o.textContent)).toEqual([expect.stringContaining('Ana Ruiz'), expect.stringContaining('Anabel Cho')]);
    expect(list().hasAttribute('data-refreshing')).toBe(false);
    // "bel" and Enter before the 100 ms search for "Anabel" has run: the list still shows Ana Ruiz first, and is marked as refreshing.
    // One change event (not three typed keys), so a slow machine cannot let the search run between keys before these checks.
    fireEvent.change(input, { target: { value: 'Anabel' } });
    expect(list().hasAttribute('data-refreshing')).toBe(true);
    expect(within(list()).getAllByRole('option')[0]!.textContent).toContain('Ana Ruiz');
    await user.keyboard('{Enter}');
    await settle();
    expect(placed).toEqual([{ to: '+13105550199', callerId: '+13105550100' }]);
  });

  it('the arrow keys reach the suggestions, and Enter calls the one highlighted', async () => {
    render(<Dialer />);
    const input = screen.getByRole('combobox', { name: 'Number or name to call' });
    fireEvent.change(input, { target: { value: 'Ana' } });
    await settle();
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    await settle();
    const focused = screen.getAllByRole('option').find((o) => o.hasAttribute('data-focused'));
    expect(focused?.textContent).toContain('Anabel Cho');
    expect(input.getAttribute('aria-activedescendant')).toBe(focused?.id);
    fireEvent.keyDown(input, { key: 'Enter' });
    await settle();
    expect(placed).toEqual([{ to: '+13105550199', callerId: '+13105550100' }]);
  });

  it('a call placed before the practice\'s numbers have arrived from main waits for them and goes out from the default line', async () => {
    const directory = usePractice.getState().directory!;
    usePractice.setState({ directory: null });
    useSession.setState({ session: { status: 'signed-in', user: { id: 'u1', role: 'receptionist' } as never, sessionId: 's' } });
    fake.handlers['directory.get'] = () => directory;
    fake.handlers['dispositions.list'] = () => [];
    render(<Dialer />);
    fireEvent.change(screen.getByRole('combobox', { name: 'Number or name to call' }), { target: { value: '(310) 555-0142' } });
    fireEvent.click(screen.getByRole('button', { name: 'Call' }));
    await settle();
    expect(placed).toEqual([{ to: '+13105550142', callerId: '+13105550100' }]);
    expect(screen.queryByText('Choose the number to call from.')).toBeNull();
  });

  it('a name nobody has is said plainly', async () => {
    render(<Dialer />);
    const input = screen.getByRole('combobox', { name: 'Number or name to call' });
    fireEvent.change(input, { target: { value: 'Zed' } });
    await settle();
    fireEvent.keyDown(input, { key: 'Enter' });
    await settle();
    expect(placed).toEqual([]);
    expect(screen.getByRole('alert').textContent).toContain('No contact with a phone number matches “Zed”');
  });
});

describe('Dialer prefilled by a Manual Call task', { timeout: 30_000 }, () => {
  it('dials from the number the task’s workflow step chose; a plain prefill keeps the receptionist’s line', async () => {
    usePractice.setState({
      directory: {
        account: null, me: null, locations: [], teams: [], users: [],
        phoneNumbers: [{ id: 'n1', number: '+13105550100', name: 'Main line', deletedAt: null } as never, { id: 'n2', number: '+14245550123', name: 'Santa Monica', deletedAt: null } as never],
      },
    });
    render(<Dialer />);
    await settle();
    act(() => useNavigation.getState().prefillDialer('+13105550142', 'n2', 'task_7'));
    await settle();
    fireEvent.submit(screen.getByRole('combobox', { name: 'Number or name to call' }).closest('form')!);
    await settle();
    act(() => useNavigation.getState().prefillDialer('+13105550199', 'not-mine'));
    await settle();
    fireEvent.submit(screen.getByRole('combobox', { name: 'Number or name to call' }).closest('form')!);
    await settle();
    expect(placed).toEqual([
      // The call carries the task it is placed for (the cloud links it as it starts).
      { to: '+13105550142', callerId: '+14245550123', taskId: 'task_7' },
      // A number this user may not use changes nothing: the last choice stays.
      { to: '+13105550199', callerId: '+14245550123' },
    ]);
  });
});

describe('Dialer: a prefill is shown once', { timeout: 30_000 }, () => {
  it('fills and focuses the dialer when it comes; mounted again (after a call, back on the Phone tab) the dialer neither refills it nor takes the focus', async () => {
    const first = render(<Dialer />);
    await settle();
    act(() => useNavigation.getState().prefillDialer('+13105550142'));
    await settle();
    const dial = () => screen.getByRole('combobox', { name: 'Number or name to call' }) as HTMLInputElement;
    expect(dial().value).toBe('(310) 555-0142');
    expect(document.activeElement).toBe(dial());
    first.unmount();

    // Elsewhere meanwhile: the receptionist moved on to another control.
    const elsewhere = document.body.appendChild(document.createElement('button'));
    elsewhere.focus();
    render(<Dialer />);
    await settle();
    expect(dial().value).toBe('');
    expect(document.activeElement).toBe(elsewhere);
    elsewhere.remove();

    // A new prefill, even of the same number, is shown.
    act(() => useNavigation.getState().prefillDialer('+13105550142'));
    await settle();
    expect(dial().value).toBe('(310) 555-0142');
  });
});

