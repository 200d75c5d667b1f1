import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PhoneNumber, User } from '../../../shared/cloud';
import type { DeletedNumber, ManagedNumber, NumberSearchResult } from '../../../shared/cloud/numbers';
import type { NumbersOverview } from '../../../shared/ipc/contract-numbers';
import { useSession } from '../../state/session';
import { installFakeBridge } from '../../testing/fake-bridge';
import { useNumbers } from './numbers-store';
import { NumbersView } from './NumbersView';

const fake = installFakeBridge();
const usd = (micros: number) => ({ micros, currency: 'USD' });
const me = (role: User['role']): User => ({
  id: 'usr_admin', accountId: 'acc', email: 'a@spa.example', name: 'Adam', role, phone: null, locationIds: [], teamIds: [], inboundNumberId: null, twilioIdentity: 'x', seq: 1, deletedAt: null,
});
const phone = (id: string, number: string, name: string, over: Partial<PhoneNumber> = {}): PhoneNumber => ({
  id, accountId: 'acc', locationId: null, number, name, forwardingNumber: null, callerIdMode: 'caller', callConnect: false, whisperMessage: null, recordCalls: false,
  ringTimeoutSeconds: 20, inboundRouting: 'ring_all', assignedUserId: null, ringAllUserIds: [], seq: 1, deletedAt: null, ...over,
});
const managed = (id: string, number: string, name: string, over: Partial<ManagedNumber> = {}): ManagedNumber => ({
  ...phone(id, number, name), country: 'US', numberType: 'local', capabilities: { voice: true, sms: true, mms: false, fax: false }, status: 'active',
  assignedUserName: null, monthlyFee: usd(1_150_000), billingSince: '2026-01-01T00:00:00Z', ...over,
});
const overview = (): NumbersOverview => ({
  numbers: [managed('num_front', '+13105550100', 'Front desk', { assignedUserId: 'usr_rita', assignedUserName: 'Rita' }), managed('num_web', '+18885550123', 'Website line', { numberType: 'toll-free' })],
  members: [
    { id: 'usr_rita', name: 'Rita', role: 'user', inboundNumberId: 'num_front', locationIds: [] },
    { id: 'usr_admin', name: 'Adam', role: 'admin', inboundNumberId: null, locationIds: [] },
  ],
  locations: [{ id: 'loc_1', name: 'Beverly Hills' }],
  prices: [],
  homeCountry: 'US',
  unconfirmed: [],
});
const price = { country: 'US', numberType: 'local' as const, monthlyFee: usd(1_150_000), inboundPerMinute: usd(8_500), outboundPerMinute: usd(14_000) };
const available = (phoneNumber: string) => ({
  phoneNumber, friendlyName: phoneNumber, country: 'US', numberType: 'local' as const, locality: 'Los Angeles', region: 'CA', capabilities: { voice: true, sms: true, mms: true, fax: false }, addressRequirements: 'none',
});

const signIn = (role: User['role']) => useSession.setState({ session: { status: 'signed-in', user: me(role), sessionId: 's' } });
const click = async (el: HTMLElement) => act(async () => void fireEvent.click(el));
const flush = () => act(async () => {});

beforeEach(() => {
  fake.calls.length = 0;
  for (const key of Object.keys(fake.handlers)) delete fake.handlers[key as keyof typeof fake.handlers];
  useNumbers.setState({ overview: null, deleted: null, requests: null, loadError: null, screen: { kind: 'list' } });
  fake.handlers['numbers.overview'] = () => overview();
  fake.handlers['numbers.mine'] = () => ({ number: null });
});
afterEach(cleanup);

describe('NumbersView', () => {
  it('a receptionist sees only their own inbound number, read-only', async () => {
    signIn('user');
    fake.handlers['numbers.mine'] = () => ({ number: phone('num_front', '+13105550100', 'Front desk') });
    render(<NumbersView />);
    await flush();
    expect(screen.getByTestId('my-inbound-number').textContent).toMatch(/\(310\) 555-0100.*Front desk/);
    expect(screen.queryByRole('navigation', { name: 'Phone numbers' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Delete/ })).toBeNull();
    expect(fake.callsTo('numbers.overview')).toEqual([]);
  });

  it('lists the numbers with type, capabilities, member and monthly cost; search narrows them', async () => {
    signIn('admin');
    render(<NumbersView />);
    await flush();
    const row = screen.getByTestId('number-row-+13105550100');
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(['(310) 555-0100', 'Local', 'Voice, SMS', 'Rita', 'Active', '$1.15', expect.anything()]);
    fireEvent.change(screen.getByLabelText('Search numbers'), { target: { value: '888' } });
    expect(screen.queryByTestId('number-row-+13105550100')).toBeNull();
    expect(screen.getByTestId('number-row-+18885550123')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Search numbers'), { target: { value: 'rita' } });
    expect(screen.getByTestId('number-row-+13105550100')).toBeTruthy();
  });

  it('delete: "Delete" typed, then NO keeps the number (held, restorable)', async () => {
    signIn('admin');
    fake.handlers['numbers.delete'] = () => ({ id: 'num_web' });
    fake.handlers['numbers.deleted'] = () => [];
    render(<NumbersView />);
    await flush();
    await click(screen.getByRole('button', { name: 'Delete Website line, (888) 555-0123' }));
    const dialog = screen.getByRole('dialog');
    const next = within(dialog).getByRole('button', { name: 'Delete' }) as HTMLButtonElement;
    fireEvent.change(within(dialog).getByLabelText('Type Delete'), { target: { value: 'delete' } });
    expect(next.disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText('Type Delete'), { target: { value: 'Delete' } });
    await click(next);
    // What NO does, exactly: kept with its settings, restorable as it was for 10 days, then released by itself.
    expect(within(screen.getByRole('dialog')).getByText(/keeps the number and its settings for 10 days/).textContent).toMatch(
      /comes back as it was \(billing restarts\)\. After 10 days it is released automatically\./,
    );
    fake.handlers['numbers.delete'] = () => ({
      id: 'num_web', number: '+18885550123', name: 'Website line', country: 'US', numberType: 'toll-free', status: 'held', deletedAt: '2026-01-01T00:00:00Z',
      deletedByName: 'Adam', releaseDueAt: '2026-01-11T00:00:00Z', releasedAt: null, daysLeft: 10, canRestore: true,
    });
    await click(within(screen.getByRole('dialog')).getByRole('button', { name: 'NO, keep the number' }));
    expect(fake.callsTo('numbers.delete')).toEqual([{ numberId: 'num_web', request: { confirmation: 'Delete', release: false } }]);
    await flush();
    expect(screen.getByRole('status').textContent).toMatch(/held for 10 days/);
  });

  it('delete and release needs "Release" typed', async () => {
    signIn('admin');
    fake.handlers['numbers.delete'] = () => ({
      id: 'num_web', number: '+18885550123', name: 'Website line', country: 'US', numberType: 'toll-free', status: 'released', deletedAt: '2026-01-01T00:00:00Z',
      deletedByName: 'Adam', releaseDueAt: null, releasedAt: '2026-01-01T00:00:00Z', daysLeft: null, canRestore: false,
    });
    fake.handlers['numbers.deleted'] = () => [];
    render(<NumbersView />);
    await flush();
    await click(screen.getByRole('button', { name: 'Delete Website line, (888) 555-0123' }));
    fireEvent.change(screen.getByLabelText('Type Delete'), { target: { value: 'Delete' } });
    await click(screen.getByRole('button', { name: 'Delete' }));
    await click(screen.getByRole('button', { name: 'Release…' }));
    const confirm = screen.getByRole('button', { name: 'Confirm Release' }) as HTMLButtonElement;
    fireEvent.change(screen.getByLabelText('Type Release'), { target: { value: 'release' } });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Type Release'), { target: { value: 'Release' } });
    await click(confirm);
    expect(fake.callsTo('numbers.delete')).toEqual([{ numberId: 'num_web', request: { confirmation: 'Delete', release: true, releaseConfirmation: 'Release' } }]);
  });

  it('buy: filters reach the search, the price shows before buying, each number gets its outcome', async () => {
    signIn('admin');
    useNumbers.setState({ screen: { kind: 'buy' } });
    const result: NumberSearchResult = { numbers: [available('+14245550101'), available('+14245550102')], price, international: false, suggestions: [] };
    fake.handlers['numbers.search'] = () => result;
    render(<NumbersView />);
    await flush();
    fireEvent.change(screen.getByLabelText('Digits or phrase'), { target: { value: 'GLOW' } });
    fireEvent.click(screen.getByLabelText('Last part'));
    fireEvent.click(screen.getByLabelText('SMS'));
    await click(screen.getByRole('button', { name: 'Search' }));
    expect(fake.callsTo('numbers.search')).toEqual([{ country: 'US', type: 'local', matchAt: 'last', match: 'GLOW', voice: true, sms: true }]);
    expect(screen.getByTestId('number-price').textContent).toMatch(/\$1\.15\/month · \$0\.0085\/min in/);
    fireEvent.click(screen.getByLabelText(/\(424\) 555-0101/));
    fireEvent.click(screen.getByLabelText(/\(424\) 555-0102/));
    fake.handlers['numbers.buy'] = () => ({
      results: [
        { phoneNumber: '+14245550101', status: 'bought', number: phone('num_new', '+14245550101', '(424) 555-0101'), charged: usd(1_150_000) },
        { phoneNumber: '+14245550102', status: 'taken', message: 'Someone else bought this number a moment ago.' },
      ],
    });
    await click(screen.getByRole('button', { name: 'Proceed to Buy (2)' }));
    expect(fake.callsTo('numbers.buy')).toEqual([{ country: 'US', numberType: 'local', phoneNumbers: ['+14245550101', '+14245550102'], locationId: null }]);
    const outcomes = screen.getByRole('list', { name: 'Purchase results' });
    // Named after itself (no name given): not said twice.
    expect(outcomes.textContent).toMatch(/\(424\) 555-0101: Bought(?! — \(424\))/);
    expect(outcomes.textContent).toMatch(/\(424\) 555-0102: Taken by someone else — Someone else bought/);
  });

  it('a purchase Twilio did not answer is "Not confirmed yet", not "Not bought"; the list then shows it being checked, and later what became of it', async () => {
    signIn('admin');
    useNumbers.setState({ screen: { kind: 'buy' } });
    fake.handlers['numbers.search'] = (): NumberSearchResult => ({ numbers: [available('+14245550103')], price, international: false, suggestions: [] });
    render(<NumbersView />);
    await flush();
    await click(screen.getByRole('button', { name: 'Search' }));
    fireEvent.click(screen.getByLabelText(/\(424\) 555-0103/));
    const message = 'Twilio did not answer, so it is not known yet whether this number was bought.';
    fake.handlers['numbers.buy'] = () => ({ results: [{ phoneNumber: '+14245550103', status: 'failed', message, twilioCode: null, unconfirmed: true }] });
    const checking = { id: 'npi_1', phoneNumber: '+14245550103', requestedAt: '2026-01-01T10:00:00.000Z', state: 'checking' as const, settledAt: null };
    fake.handlers['numbers.overview'] = () => ({ ...overview(), unconfirmed: [checking] });
    const loads = fake.callsTo('numbers.overview').length;
    await click(screen.getByRole('button', { name: 'Proceed to Buy (1)' }));
    expect(screen.getByRole('list', { name: 'Purchase results' }).textContent).toBe(`(424) 555-0103: Not confirmed yet — ${message}`);
    expect(fake.callsTo('numbers.overview')).toHaveLength(loads + 1); // listed under Numbers meanwhile

    await click(screen.getByRole('button', { name: 'Numbers' }));
    const section = screen.getByRole('region', { name: 'Purchases Twilio did not confirm' });
    expect(section.textContent).toMatch(/\(424\) 555-0103 \(bought .+\): Twilio did not answer when it was bought\. Aesthetix is asking Twilio again/);
    // Settled by the cloud meanwhile: Refresh shows what became of it.
    fake.handlers['numbers.overview'] = () => ({ ...overview(), unconfirmed: [{ ...checking, state: 'not_bought' as const, settledAt: '2026-01-01T10:05:00.000Z' }] });
    await click(within(section).getByRole('button', { name: 'Refresh' }));
    const settled = screen.getByRole('region', { name: 'Purchases Twilio did not confirm' });
    expect(settled.textContent).toMatch(/Not bought: Twilio does not have it\. Nothing was charged\./);
    expect(within(settled).queryByRole('button', { name: 'Refresh' })).toBeNull();
  });

  it('a purchase Twilio completed after it was reported not bought says it was given back, nothing charged', async () => {
    signIn('admin');
    const landed = { id: 'npi_2', phoneNumber: '+14245550104', requestedAt: '2026-01-01T10:00:00.000Z', state: 'not_added' as const, settledAt: '2026-01-01T11:00:00.000Z', landedLate: true };
    fake.handlers['numbers.overview'] = () => ({ ...overview(), unconfirmed: [landed] });
    render(<NumbersView />);
    await flush();
    const section = screen.getByRole('region', { name: 'Purchases Twilio did not confirm' });
    expect(section.textContent).toMatch(
      /\(424\) 555-0104 \(bought .+\): Twilio completed this purchase after it had been reported as not bought\. It was not added to your numbers and was given back to Twilio, so nothing was charged\./,
    );
    expect(section.textContent).not.toMatch(/could not be added/);
    expect(within(section).queryByRole('button', { name: 'Refresh' })).toBeNull();
  });

  it('buys what was searched: the searched type is sent and priced; another type or country clears the list and what was ticked', async () => {
    signIn('admin');
    useNumbers.setState({ screen: { kind: 'buy' } });
    const tollFree = { ...available('+18885550199'), numberType: 'toll-free' as const, locality: null, region: null };
    fake.handlers['numbers.search'] = () => ({ numbers: [tollFree], price: { ...price, numberType: 'toll-free' as const, monthlyFee: usd(2_500_000) }, international: false, suggestions: [] });
    render(<NumbersView />);
    await flush();
    fireEvent.click(screen.getByLabelText('Toll-Free'));
    await click(screen.getByRole('button', { name: 'Search' }));
    expect(screen.getByTestId('number-price').textContent).toMatch(/^Toll-Free numbers in US: \$2\.50\/month/);
    fireEvent.click(screen.getByLabelText(/\(888\) 555-0199/));
    fake.handlers['numbers.buy'] = () => ({ results: [] });
    await click(screen.getByRole('button', { name: 'Proceed to Buy (1)' }));
    expect(fake.callsTo('numbers.buy')).toEqual([{ country: 'US', numberType: 'toll-free', phoneNumbers: ['+18885550199'], locationId: null }]);

    // Touching the Local radio without searching again: the toll-free list is gone, nothing stays ticked, nothing can be bought as local.
    fireEvent.click(screen.getByLabelText(/\(888\) 555-0199/));
    fireEvent.click(screen.getByLabelText('Local'));
    expect(screen.queryByLabelText(/\(888\) 555-0199/)).toBeNull();
    expect(screen.queryByTestId('number-price')).toBeNull();
    expect(screen.queryByRole('button', { name: /Proceed to Buy/ })).toBeNull();
    // Searching again lists local numbers, none ticked; a country change clears them the same way.
    fake.handlers['numbers.search'] = () => ({ numbers: [available('+14245550101')], price, international: false, suggestions: [] });
    await click(screen.getByRole('button', { name: 'Search' }));
    expect(screen.getByTestId('number-price').textContent).toMatch(/^Local numbers in US/);
    expect((screen.getByRole('button', { name: 'Proceed to Buy' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Country'), { target: { value: 'CA' } });
    expect(screen.queryByLabelText(/\(424\) 555-0101/)).toBeNull();
    expect(fake.callsTo('numbers.buy')).toHaveLength(1);
  });

  it('nothing matches: the suggestions run their own search; international is a request to support', async () => {
    signIn('admin');
    useNumbers.setState({ screen: { kind: 'buy' } });
    fake.handlers['numbers.search'] = () => ({
      numbers: [], price, international: false,
      suggestions: [
        { kind: 'overlay', label: 'Overlay area code 424 (same area as 310)', query: { country: 'US', type: 'local', match: '424', matchAt: 'first' }, available: 12 },
        { kind: 'refresh', label: 'Refresh results' },
      ],
    });
    render(<NumbersView />);
    await flush();
    fireEvent.change(screen.getByLabelText('Digits or phrase'), { target: { value: '310' } });
    await click(screen.getByRole('button', { name: 'Search' }));
    await click(screen.getByRole('button', { name: /Overlay area code 424.*12 available/ }));
    expect(fake.callsTo('numbers.search').at(-1)).toEqual({ country: 'US', type: 'local', matchAt: 'first', match: '424' });

    fake.handlers['numbers.search'] = () => ({ numbers: [available('+442071838750')], price: null, international: true, suggestions: [] });
    fake.handlers['numbers.createRequest'] = (input) => ({ id: 'req_1', ...(input as object), status: 'open', requestedByName: 'Adam', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', numberType: 'local', note: '' });
    fake.handlers['numbers.requests'] = () => [];
    fireEvent.change(screen.getByLabelText('Country'), { target: { value: 'GB' } });
    await click(screen.getByRole('button', { name: 'Search' }));
    expect(screen.queryByRole('button', { name: /Proceed to Buy/ })).toBeNull();
    await click(screen.getByRole('button', { name: /Request from support/ }));
    expect(fake.callsTo('numbers.createRequest')).toEqual([expect.objectContaining({ kind: 'international', country: 'GB' })]);
    expect(useNumbers.getState().screen).toEqual({ kind: 'requests' });
  });

  it('deleted numbers show the days left and restore: back with its settings and its member, or says whose it was', async () => {
    signIn('admin');
    useNumbers.setState({ screen: { kind: 'deleted' } });
    const held: DeletedNumber = {
      id: 'num_web', number: '+18885550123', name: 'Website line', country: 'US', numberType: 'toll-free', status: 'held', deletedAt: '2026-01-01T00:00:00Z',
      deletedByName: 'Adam', releaseDueAt: '2026-01-11T00:00:00Z', releasedAt: null, daysLeft: 2, canRestore: true,
    };
    fake.handlers['numbers.deleted'] = () => [held];
    fake.handlers['numbers.restore'] = () => ({
      number: managed('num_web', '+18885550123', 'Website line', { assignedUserId: 'usr_rita', assignedUserName: 'Rita' }), charged: usd(2_000_000), memberNotRestored: null,
    });
    render(<NumbersView />);
    await flush();
    expect(screen.getByText(/kept for 10 days with its settings/).textContent).toMatch(/released automatically.*Aesthetix support may be able to get it back, without its settings/);
    expect(screen.getByTestId('deleted-+18885550123').textContent).toMatch(/2 days left to restore/);
    await click(screen.getByRole('button', { name: 'Restore (888) 555-0123' }));
    expect(fake.callsTo('numbers.restore')).toEqual([{ numberId: 'num_web' }]);
    await flush();
    expect(screen.getByRole('status').textContent).toBe(
      '(888) 555-0123 is back on the practice’s list with its settings as they were. It is Rita’s Inbound Number again. Billing restarted: $2.00 charged.',
    );

    fake.handlers['numbers.restore'] = () => ({ number: managed('num_web', '+18885550123', 'Website line'), charged: usd(2_000_000), memberNotRestored: 'Rita' });
    await click(screen.getByRole('button', { name: 'Restore (888) 555-0123' }));
    await flush();
    expect(screen.getByRole('status').textContent).toMatch(/It was Rita’s Inbound Number; they have another one now or left the team/);
  });

  it('a member’s Inbound Number: a number someone else holds is refused with their name', async () => {
    signIn('admin');
    useNumbers.setState({ screen: { kind: 'staff' } });
    fake.handlers['numbers.setInboundNumber'] = () => {
      throw Object.assign(new Error('(310) 555-0100 is already Rita’s Inbound Number.'), { code: 'INBOUND_NUMBER_TAKEN' });
    };
    render(<NumbersView />);
    await flush();
    await act(async () => void fireEvent.change(screen.getByLabelText('Inbound Number of Adam'), { target: { value: 'num_front' } }));
    expect(fake.callsTo('numbers.setInboundNumber')).toEqual([{ userId: 'usr_admin', phoneNumberId: 'num_front' }]);
    expect(screen.getByRole('alert').textContent).toBe('Adam: (310) 555-0100 is already Rita’s Inbound Number.');
  });

  it('says why the list is missing when the cloud cannot be reached', async () => {
    signIn('admin');
    fake.handlers['numbers.overview'] = () => {
      throw Object.assign(new Error('The cloud cannot be reached: phone numbers are managed online.'), { code: 'NETWORK' });
    };
    render(<NumbersView />);
    await flush();
    expect(screen.getByRole('alert').textContent).toMatch(/cannot be reached/);
  });
});
