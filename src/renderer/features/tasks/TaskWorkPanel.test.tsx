import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CachedTask, TaskAct } from '../../../shared/ipc/contract-tasks';
import { installFakeBridge } from '../../testing/fake-bridge';
import { TaskWorkPanel } from './TaskWorkPanel';

installFakeBridge();
afterEach(cleanup);

const task = (i: number, over: Partial<CachedTask> = {}): CachedTask => ({
  id: `task_${String(i).padStart(3, '0')}`, accountId: 'acc', type: 'call', contactId: `con_${i}`, title: 'Follow up', message: null,
  fromNumberId: null, assignedUserId: 'u1', workflowId: 'wf_1', workflowName: 'New lead', runId: `run_${i}`, status: 'in_progress', reason: null,
  createdAt: new Date(Date.UTC(2026, 10, 1, 9, i)).toISOString(), updatedAt: '', startedAt: null, startedBy: null, finishedAt: null, finishedBy: null,
  callId: null, callOutcome: null, dispositionId: null, note: null, seq: i, contactName: `Client ${i}`, contactPhone: `+1626555${String(1000 + i)}`,
  assignedUserName: 'Jordan Lee', blockedReason: null, pending: false, sending: false, messageId: null, messageStatus: null, messageError: null,
  expiresAt: null, ...over,
});
const text = (i: number, message: string) => task(i, { type: 'sms', message });

describe('TaskWorkPanel: what is typed belongs to one task', () => {
  const noop = () => undefined;

  it('the next task’s Skip does not come pre-filled with the reason typed for the one before', () => {
    const onAct = async () => null;
    const { rerender } = render(<TaskWorkPanel task={task(1)} onAct={onAct} onStop={noop} />);
    fireEvent.click(screen.getByRole('button', { name: 'Skip…' }));
    fireEvent.change(screen.getByLabelText('Why skip it?'), { target: { value: 'Patient moved away' } });
    // The receptionist goes Back, and the task is finished another way: the next one comes up.
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    rerender(<TaskWorkPanel task={task(2)} onAct={onAct} onStop={noop} />);
    fireEvent.click(screen.getByRole('button', { name: 'Skip…' }));
    expect((screen.getByLabelText('Why skip it?') as HTMLInputElement).value).toBe('');
  });

  it('nor with the note, the open Skip form or the error of the one before', async () => {
    const onAct = async () => 'The task could not be finished.';
    const { rerender } = render(<TaskWorkPanel task={task(1)} onAct={onAct} onStop={noop} />);
    fireEvent.change(screen.getByLabelText('Note'), { target: { value: 'Wants Tuesday' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: /No answer/ })));
    expect(screen.getByRole('alert').textContent).toBe('The task could not be finished.');
    fireEvent.click(screen.getByRole('button', { name: 'Skip…' }));

    rerender(<TaskWorkPanel task={task(2)} onAct={onAct} onStop={noop} />);
    expect((screen.getByLabelText('Note') as HTMLTextAreaElement).value).toBe('');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByLabelText('Why skip it?')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('region', { name: 'Working: Follow up' }));
  });

  it('a text: the next task shows its own message; the same task shows its text as synced', () => {
    const onAct = async (_input: TaskAct) => null;
    const { rerender } = render(<TaskWorkPanel task={text(1, 'Hi Ana')} onAct={onAct} onStop={noop} />);
    const field = () => screen.getByLabelText(/Message to/) as HTMLTextAreaElement;
    fireEvent.change(field(), { target: { value: 'Hi Ana, edited' } });
    rerender(<TaskWorkPanel task={text(2, 'Hi Ben')} onAct={onAct} onStop={noop} />);
    expect(field().value).toBe('Hi Ben');
    rerender(<TaskWorkPanel task={text(2, 'Hi Ben, from the workflow')} onAct={onAct} onStop={noop} />);
    expect(field().value).toBe('Hi Ben, from the workflow');
  });
});
