import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallListItemView } from '../../../shared/ipc/views';
import { usePractice } from '../../state/practice';
import { CallDetails } from './CallDetails';

afterEach(cleanup);

const item: CallListItemView = {
  call: {
    id: 'c1',
    accountId: 'a',
    locationId: 'loc_bh',
    twilioCallSid: 'CA1',
    direction: 'inbound',
    source: 'softphone',
    from: '+13105550142',
    to: '+13105550100',
    phoneNumberId: 'num_bh',
    userId: 'u1',
    contactId: 'ct1',
    rangUserIds: [],
    status: 'completed',
    startedAt: '2026-12-01T18:00:00Z',
    answeredAt: '2026-12-01T18:00:07Z',
    endedAt: '2026-12-01T18:03:07Z',
    durationSeconds: 187,
    recordings: [{ sid: 'RE1', url: null, durationSeconds: 180, status: 'completed', kind: 'call' }],
    dispositionId: 'd1',
    note: 'Wants a 3 pm slot',
    seq: 1,
  },
  contactName: 'Ana Ruiz',
  userName: 'Jordan Lee',
  disposition: { id: 'd1', label: 'Booked', deleted: false },
  pendingSync: false,
};

describe('CallDetails', () => {
  it('marks a call logged from an outside dialer as external', () => {
    render(<CallDetails item={{ ...item, call: { ...item.call, source: 'external', recordings: [] } }} onClose={() => {}} onCallBack={vi.fn()} />);
    expect(screen.getByRole('dialog', { name: 'Ana Ruiz' }).textContent).toContain('Incoming · Answered · External');
  });

  it('shows how the call went, its disposition and saved note, who took it, the line and the recording', () => {
    usePractice.setState({
      directory: {
        account: null,
        me: null,
        locations: [{ id: 'loc_bh', accountId: 'a', name: 'Beverly Hills', timezone: 'America/Los_Angeles', seq: 1, deletedAt: null }],
        teams: [],
        users: [],
        phoneNumbers: [{ id: 'num_bh', number: '+13105550100', name: 'Beverly Hills main line' } as never],
      },
    });
    const onCallBack = vi.fn();
    render(<CallDetails item={item} onClose={() => {}} onCallBack={onCallBack} />);
    const dialog = screen.getByRole('dialog', { name: 'Ana Ruiz' });
    expect(dialog.textContent).toContain('Incoming · Answered');
    expect(dialog.textContent).toMatch(/Dec 1(, 2026)?, 10:00/); // the practice's time zone (Los Angeles); the year once 2026 is over
    expect(dialog.textContent).toMatch(/Rang0:07/);
    expect(dialog.textContent).toMatch(/Talked3:00/);
    expect(dialog.textContent).toContain('Jordan Lee');
    expect(dialog.textContent).toContain('Beverly Hills main line');
    expect(dialog.textContent).toContain('Booked');
    expect(screen.getByTestId('call-note').textContent).toBe('Wants a 3 pm slot');
    expect(dialog.textContent).toContain('Call recording, 3:00');
    fireEvent.click(screen.getByRole('button', { name: 'Call back' }));
    expect(onCallBack).toHaveBeenCalledWith('+13105550142');
    expect(screen.queryByTestId('agent-record')).toBeNull();
  });

  it('shows what the AI agent left on a call it answered: summary, what it did, the transcript', () => {
    const agent = {
      summary: 'Ana Ruiz called to book a facial. Booked facial for Tuesday 10:00 AM (60 min).',
      transcript: [
        { role: 'agent' as const, text: 'Thanks for calling Glow Med Spa. How can I help?', at: '2026-12-01T18:00:01Z' },
        { role: 'caller' as const, text: 'I would like to book a facial', at: '2026-12-01T18:00:04Z' },
      ],
      actions: [{ type: 'book_appointment', name: 'Book', status: 'done' as const, detail: 'Booked facial for Tuesday 10:00 AM (60 min)', at: '2026-12-01T18:00:09Z' }],
    };
    render(<CallDetails item={{ ...item, call: { ...item.call, agent } }} onClose={() => {}} onCallBack={() => {}} />);
    const record = screen.getByRole('region', { name: 'Answered by the AI agent' });
    expect(record.textContent).toContain(agent.summary);
    expect(record.textContent).toContain('Done: Booked facial for Tuesday 10:00 AM (60 min)');
    expect(screen.getByText('Transcript (2 lines)')).toBeTruthy();
    expect(record.textContent).toContain('Caller: I would like to book a facial');
  });
});

describe('CallDetails of a call placed from the Tasks queue', () => {
  it('shows the task’s outcome when it was not a disposition (No answer)', () => {
    const fromTask: CallListItemView = { ...item, call: { ...item.call, direction: 'outbound', dispositionId: null, note: null, taskId: 'tsk_1', taskOutcome: 'no_answer' }, disposition: null };
    render(<CallDetails item={fromTask} onClose={() => {}} onCallBack={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Ana Ruiz' });
    expect(dialog.textContent).toContain('DispositionNone logged');
    expect(dialog.textContent).toContain('Follow-up taskNo answer');
  });

  it('names the disposition that completed the task, and says nothing of tasks for other calls', () => {
    render(<CallDetails item={{ ...item, call: { ...item.call, taskId: 'tsk_2', taskOutcome: 'disposition' } }} onClose={() => {}} onCallBack={() => {}} />);
    expect(screen.getByRole('dialog').textContent).toContain('Follow-up taskCompleted: Booked');
    cleanup();
    render(<CallDetails item={item} onClose={() => {}} onCallBack={() => {}} />);
    expect(screen.getByRole('dialog').textContent).not.toContain('Follow-up task');
  });
});
