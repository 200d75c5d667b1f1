import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Disposition, Location } from '../../../shared/cloud';
import type { WrapupView } from '../../../shared/ipc/views';
import { dispositionIndexForKey } from '../../../shared/disposition-keys';
import { usePractice } from '../../state/practice';
import { useVoiceStore } from '../../voice';
import { installFakeBridge } from '../../testing/fake-bridge';
import { usePhone } from './phone-store';
import { WrapUpPicker } from './WrapUpPicker';

const UNDO_MS = 5_000;

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
  usePractice.setState({
    dispositions: { active: [disposition('d_booked', 'Booked', 0), disposition('d_follow', 'Follow Up', 1), disposition('d_spam', 'Spam call', 2)], all: [] },
  });
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  fake.calls.length = 0;
  // Main's answers: a choice opens the undo window, undo closes it.
  fake.handlers['wrapups.choose'] = (input) => {
    const { twilioCallSid, dispositionId } = input as { twilioCallSid: string; dispositionId: string };
    return { items: [{ ...wrapup(), ...(input as object), state: 'chosen' }], undo: { twilioCallSid, dispositionId, commitAt: Date.now() + UNDO_MS }, error: null };
  };
  fake.handlers['wrapups.undo'] = () => ({ items: [wrapup()], undo: null, error: null });
  fake.handlers['wrapups.dismiss'] = () => ({ items: [], undo: null, error: null });
  usePhone.setState({ wrapUps: { items: [], undo: null, error: null }, selectedLocationId: 'loc_bh', message: null });
  usePractice.setState({ directory: { account: null, me: null, locations: [location('loc_bh', 'Beverly Hills'), location('loc_sm', 'Santa Monica')], teams: [], users: [], phoneNumbers: [] } });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const flush = () => act(async () => {});

describe('WrapUpPicker', () => {
  it('maps keys 1…9, 0 to dispositions 1…10', () => {
    expect(['1', '2', '9', '0', 'a'].map(dispositionIndexForKey)).toEqual([0, 1, 8, 9, -1]);
  });

  it('picks by number key and shows main’s undo window counting down (main commits when it ends)', async () => {
    render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: '2' });
    await flush();
    expect(fake.callsTo('wrapups.choose')).toEqual([{ twilioCallSid: 'CA1', dispositionId: 'd_follow', note: null }]);
    expect(screen.getByRole('status').textContent).toMatch(/Logged Follow Up — saving in 5 s/);
    await act(async () => {
      vi.advanceTimersByTime(UNDO_MS - 1_900);
    });
    expect(screen.getByRole('status').textContent).toMatch(/saving in 2 s/);
    // The renderer never commits: the only wrap-up intents it sent are the choice.
    expect(fake.calls.filter((c) => c.channel.startsWith('wrapups.')).map((c) => c.channel)).toEqual(['wrapups.choose']);
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
    expect(fake.callsTo('wrapups.undo')).toEqual([{ twilioCallSid: 'CA1' }]);
    expect(usePhone.getState().wrapUps.undo).toBeNull();
    expect(screen.getByRole('list', { name: 'Dispositions' })).toBeTruthy();
  });

  it('a number key pressed right after Undo, before main has answered it, picks once the undo is through', async () => {
    let answerUndo = () => {};
    fake.handlers['wrapups.undo'] = () => new Promise((resolve) => (answerUndo = () => resolve({ items: [wrapup()], undo: null, error: null })));
    render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: '1' });
    await flush();
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: 'u' });
    // The picker is back at once, focused, while main has not answered yet.
    expect(screen.getByRole('list', { name: 'Dispositions' })).toBeTruthy();
    expect(document.activeElement?.textContent).toMatch(/Booked/);
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: '2' });
    await flush();
    expect(fake.callsTo('wrapups.choose')).toHaveLength(1);
    await act(async () => answerUndo());
    await flush();
    expect(fake.calls.filter((c) => c.channel.startsWith('wrapups.')).map((c) => c.channel)).toEqual(['wrapups.choose', 'wrapups.undo', 'wrapups.choose']);
    expect(fake.callsTo('wrapups.choose')[1]).toMatchObject({ dispositionId: 'd_follow' });
    expect(screen.getByRole('status').textContent).toMatch(/Logged Follow Up — saving in/);
  });

  it('once the undo window has ended Undo is gone and U sends nothing: main has saved the choice (UX review 41 #2)', async () => {
    render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: '1' });
    await flush();
    expect(screen.getByRole('button', { name: /Undo/ })).toBeTruthy();
    // Main commits now; its new state has not reached the picker yet.
    await act(async () => {
      vi.advanceTimersByTime(UNDO_MS);
    });
    expect(screen.queryByRole('button', { name: /Undo/ })).toBeNull();
    expect(screen.getByRole('status').textContent).toMatch(/Logged Booked — saving…/);
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: 'u' });
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: 'Escape' });
    await flush();
    expect(fake.callsTo('wrapups.undo')).toEqual([]);
  });

  it('an Undo that main refuses anyway (its window ended first) says so, and a number key pressed after it picks nothing', async () => {
    fake.handlers['wrapups.undo'] = () => {
      throw Object.assign(new Error('Too late to undo: “Booked” was already saved.'), { code: 'TOO_LATE' });
    };
    render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: '1' });
    await flush();
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: 'u' });
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: '2' });
    await flush();
    await flush();
    expect(fake.callsTo('wrapups.undo')).toEqual([{ twilioCallSid: 'CA1' }]);
    expect(usePhone.getState().message).toEqual({ level: 'error', text: 'Too late to undo: “Booked” was already saved.', loggedFor: 'CA1' });
    expect(fake.callsTo('wrapups.choose')).toEqual([{ twilioCallSid: 'CA1', dispositionId: 'd_booked', note: null }]);
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
    expect(usePhone.getState().wrapUps.undo).toBeNull();
  });
});

describe('WrapUpPicker and main', () => {
  it('keeps the note typed so far in main when the field loses focus (a global hotkey may choose later)', async () => {
    fake.handlers['wrapups.setNote'] = (input) => ({ items: [{ ...wrapup(), ...(input as object) }], undo: null, error: null });
    render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
    const field = screen.getByRole('textbox');
    fireEvent.change(field, { target: { value: ' call back Friday ' } });
    fireEvent.blur(field);
    await flush();
    expect(fake.callsTo('wrapups.setNote')).toEqual([{ twilioCallSid: 'CA1', note: 'call back Friday' }]);
  });

  it('shows why main could not commit the choice', async () => {
    usePhone.setState({ wrapUps: { items: [wrapup()], undo: null, error: { twilioCallSid: 'CA1', message: 'The cache is read-only.' } } });
    render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
    expect(screen.getByRole('alert').textContent).toBe('The cache is read-only.');
  });

  it('after Undo the picker has focus again, so the number keys work at once (B3)', async () => {
    render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: '1' });
    await flush();
    fireEvent.click(screen.getByRole('button', { name: /Undo/ }));
    await flush();
    expect(document.activeElement?.textContent).toMatch(/Booked/);
  });

  it('takes focus when the call ends, but leaves it where the receptionist moved it before main answered the choice', async () => {
    // Main answers the choice later (a busy machine): meanwhile the receptionist goes to the Tasks tab.
    let answerChoice = () => {};
    fake.handlers['wrapups.choose'] = (input) =>
      new Promise((resolve) => {
        const { twilioCallSid, dispositionId } = input as { twilioCallSid: string; dispositionId: string };
        answerChoice = () => resolve({ items: [{ ...wrapup(), dispositionId, state: 'chosen' }], undo: { twilioCallSid, dispositionId, commitAt: Date.now() + UNDO_MS }, error: null });
      });
    render(
      <>
        <button type="button">Tasks</button>
        <WrapUpPicker wrapup={wrapup()} waiting={1} />
      </>,
    );
    expect(document.activeElement?.textContent).toMatch(/Booked/);
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: '1' });
    await flush(); // the choice is on its way to main
    screen.getByRole('button', { name: 'Tasks' }).focus();
    await act(async () => answerChoice());
    await flush();
    expect(screen.getByRole('status').textContent).toMatch(/Logged Booked — saving in/);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Tasks' }));
  });

  it('the choice’s Undo takes focus when the key was pressed in the picker', async () => {
    render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: '1' });
    await flush();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: /Undo/ }));
  });

  it('a call that ends while the receptionist types elsewhere does not pull focus into the picker', () => {
    render(<input aria-label="Search contacts" />);
    const search = screen.getByRole('textbox', { name: 'Search contacts' });
    search.focus();
    render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
    expect(document.activeElement).toBe(search);
  });

  it('a digit typed in the note is text; the note stays editable in the undo window and reaches main as it is typed', async () => {
    fake.handlers['wrapups.setNote'] = (input) => ({
      items: [{ ...wrapup({ dispositionId: 'd_booked', state: 'chosen' }), note: (input as { note: string | null }).note }],
      undo: { twilioCallSid: 'CA1', dispositionId: 'd_booked', commitAt: Date.now() + UNDO_MS },
      error: null,
    });
    render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
    const note = screen.getByRole('textbox', { name: /Note/ });
    fireEvent.keyDown(note, { key: '3' });
    fireEvent.change(note, { target: { value: 'call back at 3' } });
    await flush();
    expect(fake.callsTo('wrapups.choose')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: /Booked/ }));
    await flush();
    expect(fake.callsTo('wrapups.choose')).toEqual([{ twilioCallSid: 'CA1', dispositionId: 'd_booked', note: 'call back at 3' }]);
    expect((note as HTMLTextAreaElement).disabled).toBe(false);
    fireEvent.change(note, { target: { value: 'call back at 3pm' } });
    await flush();
    expect(fake.callsTo('wrapups.setNote')).toEqual([{ twilioCallSid: 'CA1', note: 'call back at 3pm' }]);
  });
});

describe('WrapUpPicker for a call placed from a Manual Call task', () => {
  // The call the dialer placed for task_7 (its TaskId went with the call), now in its wrap-up.
  const taskCall = (params: Record<string, string>, direction = 'outgoing') =>
    ({ id: 'c1', direction, callSid: 'CA1', from: '+13105550100', to: '+14155550611', customParameters: params, phase: { name: 'wrap-up', connectedAt: null, endedAt: 0 } }) as never;
  beforeEach(() => {
    fake.handlers['tasks.act'] = (input) => ({ task: { id: (input as { taskId: string }).taskId } });
  });
  afterEach(() => useVoiceStore.setState({ calls: [] }));

  it('offers No answer / Left voicemail / Wrong number on N / V / W: one key completes the task as the Tasks tab does, and the wrap-up ends', async () => {
    useVoiceStore.setState({ calls: [taskCall({ To: '+14155550611', CallerId: '+13105550100', TaskId: 'task_7' })] });
    usePhone.setState({ wrapUps: { items: [wrapup()], undo: null, error: null } });
    render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
    expect(screen.getByText(/This call is for a follow-up task/)).toBeTruthy();
    const list = screen.getByRole('list', { name: 'Dispositions' });
    expect([...list.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['1 Booked', '2 Follow Up', '3 Spam call', 'N No answer', 'V Left voicemail', 'W Wrong number']);
    fireEvent.change(screen.getByRole('textbox'), { target: { value: ' rang out ' } });
    fireEvent.keyDown(screen.getByTestId('wrap-up'), { key: 'n' });
    await flush();
    expect(fake.callsTo('tasks.act')).toEqual([{ action: 'finish', taskId: 'task_7', outcome: 'completed', callOutcome: 'no_answer', note: 'rang out' }]);
    expect(fake.callsTo('wrapups.dismiss')).toEqual([{ twilioCallSid: 'CA1' }]);
    expect(fake.callsTo('wrapups.choose')).toEqual([]);
  });

  it('a refusal (e.g. a colleague took the task) is shown and the wrap-up stays', async () => {
    fake.handlers['tasks.act'] = () => {
      throw Object.assign(new Error('Avery Patel is working on this task'), { code: 'INVALID_INPUT' });
    };
    useVoiceStore.setState({ calls: [taskCall({ TaskId: 'task_7' })] });
    usePhone.setState({ wrapUps: { items: [wrapup()], undo: null, error: null } });
    render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
    fireEvent.click(screen.getByRole('button', { name: /Wrong number/ }));
    await flush();
    expect(screen.getByRole('alert').textContent).toBe('Avery Patel is working on this task');
    expect(fake.callsTo('wrapups.dismiss')).toEqual([]);
  });

  it('a call not placed for a task (or an incoming one) has only the dispositions; N, V and W do nothing', async () => {
    for (const call of [taskCall({ To: '+14155550611' }), taskCall({ TaskId: 'task_7' }, 'incoming')]) {
      useVoiceStore.setState({ calls: [call] });
      render(<WrapUpPicker wrapup={wrapup()} waiting={1} />);
      expect(screen.queryByRole('button', { name: /No answer/ })).toBeNull();
      for (const key of ['n', 'v', 'w']) fireEvent.keyDown(screen.getByTestId('wrap-up'), { key });
      await flush();
      cleanup();
    }
    expect(fake.callsTo('tasks.act')).toEqual([]);
  });
});
