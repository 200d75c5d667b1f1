import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallListItemView, DirectoryView } from '../../../shared/ipc/views';
import { usePractice } from '../../state/practice';
import { installFakeBridge } from '../../testing/fake-bridge';
import { ROW_HEIGHT } from './HistoryRow';
import { HistoryView } from './HistoryView';

// The desk computer is in Los Angeles (west of UTC) whatever zone the test machine is in (Node
// applies a change of TZ at once); a test may move it east. Nothing is formatted before this runs.
const DESK_ZONE = 'America/Los_Angeles';
vi.stubEnv('TZ', DESK_ZONE);
afterAll(() => {
  vi.unstubAllEnvs();
});

/** The list's view is 10 rows tall (happy-dom lays nothing out, so its height is given here). */
const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.testid === 'history-list' ? 10 * ROW_HEIGHT : 0;
    },
  });
});
afterAll(() => {
  if (clientHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', clientHeight);
  else delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
});

const fake = installFakeBridge();
afterEach(() => {
  cleanup();
  fake.calls.length = 0;
  vi.stubEnv('TZ', DESK_ZONE);
  usePractice.setState({ directory: null });
});

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 300)));
const NO_TOTALS = { calls: 0, answered: 0, missed: 0, talkSeconds: 0 };
const page = (items: CallListItemView[], nextCursor: string | null = null) => ({
  items,
  nextCursor,
  totals: { calls: items.length + (nextCursor ? 1 : 0), answered: items.length, missed: 0, talkSeconds: 0 },
});
const call = (id: string, name: string, overrides: Partial<CallListItemView['call']> = {}): CallListItemView => ({
  call: {
    id,
    accountId: 'a',
    locationId: null,
    twilioCallSid: null,
    direction: 'inbound',
    source: 'softphone',
    from: '+13105550142',
    to: '+13105550100',
    phoneNumberId: null,
    userId: 'u1',
    contactId: 'ct1',
    rangUserIds: [],
    status: 'completed',
    startedAt: '2026-03-10T18:00:00Z',
    answeredAt: '2026-03-10T18:00:05Z',
    endedAt: '2026-03-10T18:02:05Z',
    durationSeconds: 125,
    recordings: [],
    dispositionId: null,
    note: null,
    seq: 1,
    ...overrides,
  },
  contactName: name,
  userName: 'Jordan Lee',
  disposition: null,
  pendingSync: false,
});
const INTERNAL = 'Something went wrong in the softphone (reference 12). Try again; if it keeps happening, restart the app.';
const failing = () => {
  throw Object.assign(new Error(INTERNAL), { code: 'INTERNAL' });
};

describe('HistoryView search during a first sync', () => {
  let indexing = true;
  beforeEach(() => {
    indexing = true;
    fake.handlers['history.list'] = (input) => {
      const searching = Boolean((input as { query?: string }).query);
      return { items: [], nextCursor: null, totals: NO_TOTALS, ...(searching && indexing ? { searchIndexing: true } : {}) };
    };
  });

  it('says plainly that some calls are not found yet, and stops saying it once they are indexed', async () => {
    render(<HistoryView />);
    await settle();
    expect(screen.queryByTestId('search-indexing')).toBeNull();
    const search = screen.getByRole('searchbox', { name: 'Search calls by name or number' });
    fireEvent.change(search, { target: { value: 'garcia' } });
    await settle();
    expect(screen.getByTestId('search-indexing').textContent).toMatch(/still indexing calls for search, so some calls are not found yet/);
    // The sync ends: the next answer is whole.
    indexing = false;
    fireEvent.change(search, { target: { value: 'garci' } });
    await settle();
    expect(screen.queryByTestId('search-indexing')).toBeNull();
  });
});

describe('HistoryView date range', () => {
  beforeEach(() => {
    fake.handlers['history.list'] = () => page([]);
  });
  const dateFields = () => {
    const [from, to] = Array.from(document.querySelectorAll<HTMLInputElement>('input[type=date]'));
    return { from: from!, to: to! };
  };
  const lastQuery = () => fake.callsTo('history.list').at(-1) as { from?: string; to?: string };

  it('shows the days picked, and asks for whole local days, however long (Mar 8 is 23 hours in Los Angeles)', async () => {
    render(<HistoryView />);
    await settle();
    const { from, to } = dateFields();
    fireEvent.change(from, { target: { value: '2026-03-08' } });
    fireEvent.change(to, { target: { value: '2026-03-08' } });
    await settle();
    expect(from.value).toBe('2026-03-08');
    expect(to.value).toBe('2026-03-08');
    expect(lastQuery()).toMatchObject({ from: '2026-03-08T08:00:00.000Z', to: '2026-03-09T07:00:00.000Z' });

    fireEvent.change(to, { target: { value: '2026-03-10' } });
    await settle();
    expect(to.value).toBe('2026-03-10');
    expect(lastQuery().to).toBe('2026-03-11T07:00:00.000Z');

    fireEvent.change(from, { target: { value: '' } });
    await settle();
    expect(from.value).toBe('');
    expect(lastQuery().from).toBeUndefined();
  });

  it('east of UTC too: the From day stays the day picked', async () => {
    vi.stubEnv('TZ', 'Europe/Berlin');
    render(<HistoryView />);
    await settle();
    const { from } = dateFields();
    fireEvent.change(from, { target: { value: '2026-03-10' } });
    await settle();
    expect(from.value).toBe('2026-03-10');
    expect(lastQuery().from).toBe('2026-03-09T23:00:00.000Z');
  });
});

describe('HistoryView when the call history cannot be read', () => {
  it('says so with Try again, not "No calls match."; Try again shows the calls once they can be read', async () => {
    fake.handlers['history.list'] = failing;
    render(<HistoryView />);
    await settle();
    expect(screen.getByRole('alert').textContent).toBe(`The call history could not be shown. ${INTERNAL}`);
    expect(screen.queryByText('No calls match.')).toBeNull();

    fake.handlers['history.list'] = () => page([call('c1', 'Ana Ruiz')]);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await settle();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(within(screen.getByTestId('history-list')).getByRole('button', { name: /Details of the call with Ana Ruiz/ })).toBeTruthy();
  });

  it('a filter change that fails does not leave the last filter’s calls under the new one', async () => {
    fake.handlers['history.list'] = () => page([call('c1', 'Ana Ruiz')]);
    render(<HistoryView />);
    await settle();
    expect(screen.getByTestId('history-totals').textContent).toMatch(/^1 call/);

    fake.handlers['history.list'] = failing;
    fireEvent.change(screen.getByRole('combobox', { name: 'Direction' }), { target: { value: 'outbound' } });
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('The call history could not be shown.');
    expect(screen.queryByText(/Ana Ruiz/)).toBeNull();
    expect(screen.queryByTestId('history-totals')).toBeNull();
    expect(screen.queryByText('No calls match.')).toBeNull();
  });

  it('a later page that fails keeps the calls shown, is not asked for again and again, and Try again asks for that page', async () => {
    fake.handlers['history.list'] = (input) => {
      if ((input as { cursor?: string | null }).cursor === 'page2') throw Object.assign(new Error(INTERNAL), { code: 'INTERNAL' });
      return page([call('c1', 'Ana Ruiz')], 'page2');
    };
    render(<HistoryView />);
    await settle();
    await settle();
    expect(fake.callsTo('history.list')).toEqual([expect.objectContaining({ cursor: null }), expect.objectContaining({ cursor: 'page2' })]);
    expect(screen.getByRole('alert').textContent).toBe(`More calls could not be loaded. ${INTERNAL}`);
    expect(screen.getByRole('button', { name: /Details of the call with Ana Ruiz/ })).toBeTruthy();

    fake.handlers['history.list'] = () => page([call('c2', 'Ben Ortiz')]);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await settle();
    expect((fake.callsTo('history.list').at(-1) as { cursor?: string }).cursor).toBe('page2');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('button', { name: /Details of the call with Ben Ortiz/ })).toBeTruthy();
  });
});

describe('HistoryView paging', () => {
  it('asks for each page once, however the list re-renders while one arrives', async () => {
    const pages: Record<string, CallListItemView[]> = {
      first: [call('c1', 'Ana Ruiz')],
      p2: [call('c2', 'Ben Ortiz')],
      p3: [call('c3', 'Cara Diaz')],
    };
    const next: Record<string, string | null> = { first: 'p2', p2: 'p3', p3: null };
    fake.handlers['history.list'] = (input) => {
      const cursor = (input as { cursor?: string | null }).cursor ?? 'first';
      return page(pages[cursor]!, next[cursor]!);
    };
    render(<HistoryView />);
    await settle();
    await settle();
    expect(fake.callsTo('history.list').map((input) => (input as { cursor: string | null }).cursor)).toEqual([null, 'p2', 'p3']);
    expect(screen.getAllByRole('listitem').map((row) => row.querySelector('.row-open')?.textContent)).toEqual(['Ana Ruiz', 'Ben Ortiz', 'Cara Diaz']);
  });
});

describe('HistoryView times', () => {
  const directory: DirectoryView = {
    account: { id: 'a', name: 'Glow Med Spa', timezone: 'America/Chicago' } as DirectoryView['account'],
    me: null,
    locations: [{ id: 'loc_ny', accountId: 'a', name: 'Manhattan', timezone: 'America/New_York', seq: 1, deletedAt: null }],
    teams: [],
    users: [],
    phoneNumbers: [],
  };
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-06-15T12:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a row shows the time its details show: in the call location’s zone (else the practice’s), with the year when not this year', async () => {
    usePractice.setState({ directory });
    fake.handlers['history.list'] = () =>
      page([
        call('c1', 'Ana Ruiz', { locationId: 'loc_ny', startedAt: '2025-12-01T18:00:00Z' }),
        call('c2', 'Ben Ortiz', { locationId: null, startedAt: '2026-03-10T18:00:00Z' }),
      ]);
    render(<HistoryView />);
    await settle();
    const details = (name: string) => screen.getByRole('button', { name: new RegExp(`Details of the call with ${name}`) });
    expect(details('Ana Ruiz').getAttribute('aria-label')).toMatch(/Ana Ruiz, Dec 1, 2025, 1:00\sPM$/);
    expect(details('Ben Ortiz').getAttribute('aria-label')).toMatch(/Ben Ortiz, Mar 10, 1:00\sPM$/);

    fireEvent.click(details('Ana Ruiz'));
    expect(screen.getByTestId('call-details').textContent).toMatch(/WhenDec 1, 2025, 1:00\sPM/);
  });
});
