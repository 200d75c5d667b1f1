import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type * as PhoneActions from './phone-actions';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { usePractice } from '../../state/practice';
import { useSession } from '../../state/session';
import { installFakeBridge } from '../../testing/fake-bridge';
import type { CallState } from '../../voice';
import { TransferForm } from './InCallPanel';

const transfers = vi.hoisted(() => [] as Array<{ to: unknown; label: string }>);
vi.mock('./phone-actions', async (original) => ({
  ...(await original<typeof PhoneActions>()),
  transferCall: async (_call: unknown, to: unknown, label: string) => {
    transfers.push({ to, label });
  },
}));

installFakeBridge();
const user = (id: string, name: string) => ({ id, name, role: 'user', deletedAt: null }) as never;
const call = { id: 'c1', customParameters: {}, callSid: 'CA1' } as unknown as CallState;

beforeEach(() => {
  transfers.length = 0;
  usePractice.setState({
    directory: { account: null, me: null, locations: [], teams: [], users: [user('u_me', 'Jordan Lee'), user('u_avery', 'Avery Patel'), user('u_ava', 'Ava Stone')], phoneNumbers: [] },
  });
  useSession.setState({ session: { status: 'signed-in', user: { id: 'u_me' } } as never });
});
afterEach(cleanup);

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 100)));

describe('TransferForm (B5)', { timeout: 30_000 }, () => {
  it('a colleague’s name and Enter transfers to her, never "That number is too short"', async () => {
    render(<TransferForm call={call} onDone={() => {}} />);
    const input = screen.getByRole('combobox', { name: 'Transfer to' });
    fireEvent.change(input, { target: { value: 'Avery' } });
    await settle();
    fireEvent.keyDown(input, { key: 'Enter' });
    await settle();
    expect(transfers).toEqual([{ to: { toUserId: 'u_avery' }, label: 'Avery Patel' }]);
  });

  it('arrow keys pick among colleagues by name (not their ids); an ambiguous name asks to pick', async () => {
    render(<TransferForm call={call} onDone={() => {}} />);
    const input = screen.getByRole('combobox', { name: 'Transfer to' });
    fireEvent.change(input, { target: { value: 'Av' } });
    await settle();
    fireEvent.keyDown(input, { key: 'Enter' });
    await settle();
    expect(transfers).toEqual([]);
    expect(screen.getByText(/Several colleagues match/)).toBeTruthy();
    expect(screen.queryByText('Jordan Lee')).toBeNull(); // not oneself
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    await settle();
    const focused = screen.getAllByRole('option').find((o) => o.hasAttribute('data-focused'));
    expect(focused?.textContent).toContain('Avery Patel');
    fireEvent.keyDown(input, { key: 'Enter' });
    await settle();
    expect(transfers).toEqual([{ to: { toUserId: 'u_avery' }, label: 'Avery Patel' }]);
  });

  it('a number typed as people type it transfers to that number', async () => {
    render(<TransferForm call={call} onDone={() => {}} />);
    const input = screen.getByRole('combobox', { name: 'Transfer to' });
    fireEvent.change(input, { target: { value: '(310) 555-0177' } });
    await settle();
    fireEvent.keyDown(input, { key: 'Enter' });
    await settle();
    expect(transfers).toEqual([{ to: { toNumber: '+13105550177' }, label: '(310) 555-0177' }]);
  });
});
