import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Disposition, Location } from '../../../shared/cloud';
import type { WrapupView } from '../../../shared/ipc/views';
import { useShell } from '../../app/store';
import { installFakeBridge } from '../../testing/fake-bridge';
import { usePhone } from './phone-store';
import { indexForKey, UNDO_MS, WrapUpPicker } from './WrapUpPicker';

const fake = installFakeBridge();
const disposition = (id: string, label: string, position: number): Disposition => ({ id, accountId: 'acc', label, position, seq: 1, deletedAt: null });
const location = (id: string, name: string): Location => ({ id, accountId: 'acc', name, timezone: 'America/Los_Angeles', seq: 1, deletedAt: null });
const wrapup = (over: Partial<WrapupView> = {}): WrapupView => ({
  twilioCallSid: 'CA1',
  callId: 'call_1',
  endedAt: '2026-11-21T09:00:00Z',
  locationId: 'loc_bh',
  dispositionId: null,
  note: null,
  state: 'pending',
  updatedAt: 0,
  ...over,
});

beforeAll(() => {
  useShell.setState({
    dispositions: { active: [disposition('d_booked', 'Booked', 0), disposition('d_follow', 'Follow Up', 1), disposition('d_spam', 'Spam call', 2)], all: [] },
  });
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  fake.calls.length = 0;
  fake.handlers['wrapups.choose'] = (input) => ({ ...wrapup(), ...(input as object), state: 'chosen' });
  fake.handlers['wrapups.commit'] = () => ({ committed: true });
  fake.handlers['wrapups.list'] = () => [];
  fake.handlers['wrapups.dismiss'] = () => ({ dismissed: true });
  usePhone.setState({ pendingChoice: null, selectedLocationId: 'loc_bh', message: null, wrapups: [] });
  useShell.setState({ directory: { account: null, me: null, locations: [location('loc_bh', 'Beverly Hills'), location('loc_sm', 'Santa Monica')], teams: [], users: [], phoneNumbers: [] } });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const flush = () => act(async () => {});

describe('WrapUpPicker', () => {
  it('maps keys 1…9, 0 to dispositions 1…10', () => {
    expect(['1', '2', '9', '0', 'a'].map(indexForKey)).toEqual([0, 1, 8, 9, -1]);
  });

  it('picks by number key, shows the undo window, then commits after 5 seconds', async () => {
    render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: '2' });
    await flush();
    expect(fake.callsTo('wrapups.choose')).toEqual([{ twilioCallSid: 'CA1', dispositionId: 'd_follow', note: null }]);
    expect(screen.getByRole('status').textContent).toMatch(/Logged Follow Up — saving in 5 s/);
    await act(async () => {
      vi.advanceTimersByTime(UNDO_MS - 100);
    });
    expect(fake.callsTo('wrapups.commit')).toEqual([]);
    await act(async () => {
      vi.advanceTimersByTime(200);
    });
    await flush();
    expect(fake.callsTo('wrapups.commit')).toEqual([{ twilioCallSid: 'CA1' }]);
  });

  it('undo within the window clears the choice and commits nothing', async () => {
    render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: '1' });
    await flush();
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: 'u' });
    await flush();
    await act(async () => {
      vi.advanceTimersByTime(UNDO_MS * 2);
    });
    expect(fake.callsTo('wrapups.choose').at(-1)).toEqual({ twilioCallSid: 'CA1', dispositionId: null, note: null });
    expect(fake.callsTo('wrapups.commit')).toEqual([]);
    expect(screen.getByRole('list', { name: 'Dispositions' })).toBeTruthy();
  });

  it('keys typed in the note are text, not choices', async () => {
    render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
    fireEvent.keyDown(screen.getByRole('textbox'), { key: '3' });
    await flush();
    expect(fake.callsTo('wrapups.choose')).toEqual([]);
  });

  it('applies only in the call’s location and offers the switch', async () => {
    render(<WrapUpPicker wrapup={wrapup({ locationId: 'loc_sm' })} waiting={1} />);
    expect(screen.getByRole('alert').textContent).toContain('This call belongs to Santa Monica');
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: '1' });
    await flush();
    expect(fake.callsTo('wrapups.choose')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Switch to Santa Monica' }));
    expect(usePhone.getState().selectedLocationId).toBe('loc_sm');
  });

  it('shows a refusal from main instead of pretending it worked', async () => {
    fake.handlers['wrapups.choose'] = () => {
      throw Object.assign(new Error('That disposition no longer exists. Pick another.'), { code: 'NOT_FOUND' });
    };
    render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: '1' });
    await flush();
    expect(screen.getByRole('alert').textContent).toBe('That disposition no longer exists. Pick another.');
    expect(usePhone.getState().pendingChoice).toBeNull();
  });
});
