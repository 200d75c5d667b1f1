import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Disposition } from '../../../shared/cloud';
import type { CachedTask, TaskAct, TaskListFilter } from '../../../shared/ipc/contract-tasks';
import { useCacheVersions } from '../../state/cache-versions';
import { useNavigation } from '../../state/navigation';
import { usePractice } from '../../state/practice';
import { useSession } from '../../state/session';
import { useVoiceStore } from '../../voice';
import { installFakeBridge } from '../../testing/fake-bridge';
import { connectTasks, isOverdue, nextTask, textDelivery } from './tasks-actions';
import { useTasks } from './tasks-store';
import { TasksView } from './TasksView';

const fake = installFakeBridge();
const disposition = (id: string, label: string, position: number): Disposition => ({ id, accountId: 'acc', label, position, seq: 1, deletedAt: null });

const task = (i: number, over: Partial<CachedTask> = {}): CachedTask => ({
  id: `task_${String(i).padStart(3, '0')}`, accountId: 'acc', type: i % 3 === 2 ? 'sms' : 'call', contactId: `con_${i}`, title: 'Follow up',
  message: i % 3 === 2 ? `Hi client ${i}` : null, fromNumberId: null, assignedUserId: 'u1', workflowId: 'wf_1', workflowName: 'New lead', runId: `run_${i}`,
  status: 'queued', reason: null, createdAt: new Date(Date.UTC(2026, 10, 1, 9, i)).toISOString(), updatedAt: '', startedAt: null, startedBy: null,
  finishedAt: null, finishedBy: null, callId: null, callOutcome: null, dispositionId: null, note: null, seq: i, contactName: `Client ${i}`,
  contactPhone: `+1626555${String(1000 + i)}`, assignedUserName: 'Jordan Lee', blockedReason: null, pending: false, sending: false,
  messageId: null, messageStatus: null, messageError: null, expiresAt: null, ...over,
});

/** Main, as far as the queue sees it: the cache's tasks and the outbox's effect on them. */
function fakeMain(tasks: CachedTask[]) {
  const acts: TaskAct[] = [];
  fake.handlers['tasks.list'] = (input) => {
    const f = (input ?? {}) as TaskListFilter;
    const open = (f.status ?? 'open') === 'open';
    const items = tasks.filter((t) => (t.status === 'queued' || t.status === 'in_progress') === open && (f.scope === 'unassigned' ? t.assignedUserId === null : f.scope === 'all' || t.assignedUserId === 'u1'));
    return { items, openCount: tasks.filter((t) => t.assignedUserId === 'u1' && (t.status === 'queued' || t.status === 'in_progress')).length, workflows: [{ id: 'wf_1', name: 'New lead' }] };
  };
  fake.handlers['tasks.act'] = (input) => {
    const a = input as TaskAct;
    acts.push(a);
    const i = tasks.findIndex((t) => t.id === a.taskId);
    const t = tasks[i]!;
    if (a.action === 'start') tasks[i] = { ...t, status: 'in_progress', startedBy: 'u1' };
    if (a.action === 'claim') tasks[i] = { ...t, assignedUserId: 'u1', assignedUserName: 'Jordan Lee' };
    if (a.action === 'finish') tasks[i] = { ...t, status: a.outcome, callOutcome: a.callOutcome ?? null, dispositionId: a.dispositionId ?? null };
    if (a.action === 'sendText') tasks[i] = { ...t, status: 'completed', message: a.message };
    setTimeout(() => useCacheVersions.getState().bump(['tasks']), 0);
    return { task: tasks[i] };
  };
  return acts;
}

beforeEach(() => {
  fake.calls.length = 0;
  useTasks.setState({ openCount: 0, working: false, workingId: null, command: null });
  useVoiceStore.setState({ calls: [] });
  useSession.setState({ session: { status: 'signed-in', user: { id: 'u1', role: 'user' } as never, sessionId: 's' } });
  usePractice.setState({ dispositions: { active: [disposition('d_booked', 'Booked', 0), disposition('d_follow', 'Follow Up', 1)], all: [] } });
});
afterEach(cleanup);

describe('the queue (pure parts)', () => {
  it('Let’s Start takes the task in progress first, then the oldest open one that is not blocked', () => {
    const items = [task(1, { blockedReason: 'DND' }), task(2), task(3, { status: 'in_progress' })];
    expect(nextTask(items)?.id).toBe('task_003');
    expect(nextTask(items.slice(0, 2))?.id).toBe('task_002');
    expect(nextTask([task(1, { blockedReason: 'DND' })])).toBeNull();
    // The task on screen stays while it is open, even when an older one is in progress again.
    expect(nextTask(items, 'task_002')?.id).toBe('task_002');
    expect(nextTask(items, 'task_009')?.id).toBe('task_003');
  });
  it('overdue: open and older than a day', () => {
    const now = Date.parse('2026-11-03T09:00:00Z');
    expect(isOverdue(task(1), now)).toBe(true);
    expect(isOverdue(task(1, { status: 'completed' }), now)).toBe(false);
    expect(isOverdue(task(1, { createdAt: '2026-11-03T08:00:00Z' }), now)).toBe(false);
  });
});

describe('a text task’s delivery (Twilio’s later status, synced)', () => {
  it('is shown in words, with the reason when it did not arrive; nothing while it is still being sent or for a call', () => {
    expect(textDelivery(task(2, { messageStatus: 'delivered' }))).toBe('Text delivered');
    expect(textDelivery(task(2, { messageStatus: 'undelivered', messageError: 'Unreachable destination handset' }))).toBe('Text not delivered: Unreachable destination handset');
    expect(textDelivery(task(2, { messageStatus: 'failed', messageError: null }))).toBe('Text failed');
    expect(textDelivery(task(2, { messageStatus: 'delivered', sending: true }))).toBeNull();
    expect(textDelivery(task(1, { messageStatus: 'delivered' }))).toBeNull();
  });

  it('appears in the finished list’s Status column', async () => {
    fakeMain([task(2, { status: 'completed', messageStatus: 'undelivered', messageError: 'Unreachable destination handset' })]);
    const user = userEvent.setup();
    render(<TasksView />);
    await screen.findByText(/No tasks here/);
    await user.selectOptions(screen.getByLabelText('Status'), 'finished');
    expect((await screen.findByText(/Text not delivered/)).textContent).toBe(' · Text not delivered: Unreachable destination handset');
  });
});

describe('Tasks tab', () => {
  it('shows the columns, a blocked task with its reason, and claims an Unassigned one', async () => {
    const acts = fakeMain([task(1), task(2, { blockedReason: 'The contact turned on Do Not Disturb for calls' }), task(3, { assignedUserId: null, assignedUserName: null })]);
    const user = userEvent.setup();
    render(<TasksView />);
    await screen.findByText('Client 1', { exact: false });
    for (const name of ['Contact', 'Workflow', 'Assigned To', 'Type', 'Status', 'Date Added']) expect(screen.getByRole('columnheader', { name })).toBeTruthy();
    expect(screen.getByText(/Blocked: The contact turned on Do Not Disturb for calls/)).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Assigned to'), 'unassigned');
    await user.click(await screen.findByRole('button', { name: /Claim/ }));
    expect(acts).toEqual([{ action: 'claim', taskId: 'task_003' }]);
  });

  it('works a queue of 50 tasks with the keyboard alone: each call by one key, each text sent by C, until the queue is empty', async () => {
    const tasks = Array.from({ length: 50 }, (_, i) => task(i + 1));
    const acts = fakeMain(tasks);
    const user = userEvent.setup();
    render(<TasksView />);
    const start = await screen.findByRole('button', { name: 'Let’s Start' });
    start.focus();
    await user.keyboard('{Enter}');
    let calls = 0;
    for (let n = 0; n < 50; n += 1) {
      const current = tasks.find((t) => t.status === 'queued' || t.status === 'in_progress')!;
      const panel = await screen.findByRole('region', { name: `Working: ${current.title}` });
      await waitFor(() => expect(panel.textContent).toContain(current.contactName!));
      await waitFor(() => expect(document.activeElement).toBe(panel));
      // Calls: 1 = Booked, N = no answer, V = left voicemail; texts: C.
      await user.keyboard(current.type === 'sms' ? 'c' : ['1', 'n', 'v'][calls++ % 3]!);
      await waitFor(() => expect(tasks.find((t) => t.id === current.id)!.status).toBe('completed'));
    }
    await waitFor(() => expect(screen.queryByRole('region', { name: /Working:/ })).toBeNull());
    expect(tasks.every((t) => t.status === 'completed')).toBe(true);
    const finishes = acts.filter((a) => a.action === 'finish');
    expect(finishes.length + acts.filter((a) => a.action === 'sendText').length).toBe(50);
    expect(acts.filter((a) => a.action === 'start')).toHaveLength(50);
    expect(finishes.filter((a) => a.action === 'finish' && a.callOutcome === 'disposition').every((a) => a.action === 'finish' && a.dispositionId === 'd_booked')).toBe(true);
    expect(new Set(finishes.map((a) => a.action === 'finish' && a.callOutcome))).toEqual(new Set(['disposition', 'no_answer', 'left_voicemail']));
    expect(acts.filter((a) => a.action === 'sendText')).toHaveLength(tasks.filter((t) => t.type === 'sms').length);
    expect(screen.getByText(/No tasks here/)).toBeTruthy();
  }, 120_000);

  it('coming back to the tab mid-queue keeps working it, even when the list answers before the queue’s own read', async () => {
    const tasks = [task(1, { status: 'completed' }), task(2)];
    fakeMain(tasks);
    const list = fake.handlers['tasks.list']!;
    // The view reads the list on screen first, then the queue's own list ("mine", open); the queue's
    // answers last here, the order a busy main may answer in.
    let reads = 0;
    fake.handlers['tasks.list'] = async (input) => {
      if (++reads === 2) await new Promise((resolve) => setTimeout(resolve, 50));
      return list(input);
    };
    useTasks.setState({ working: true });
    render(<TasksView />);
    expect(await screen.findByRole('region', { name: 'Working: Follow up' })).toBeTruthy();
    expect(useTasks.getState().working).toBe(true);
  });

  it('a text Twilio refused comes back after the call being worked, not in its place', async () => {
    const tasks = [task(2, { status: 'in_progress', startedBy: 'u1', sending: true }), task(4)];
    const acts = fakeMain(tasks);
    const user = userEvent.setup();
    render(<TasksView />);
    (await screen.findByRole('button', { name: 'Let’s Start' })).focus();
    await user.keyboard('{Enter}');
    const panel = await screen.findByRole('region', { name: 'Working: Follow up' });
    await waitFor(() => expect(panel.textContent).toContain('Call Client 4'));
    // The text was refused: it is in progress again, older than the call, and no longer sending.
    tasks[0] = { ...tasks[0]!, sending: false, messageStatus: 'failed', messageError: 'Twilio did not send the text: The number is unreachable' };
    act(() => useCacheVersions.getState().bump(['tasks']));
    await waitFor(() => expect(screen.getAllByText('In progress')).toHaveLength(2));
    expect(screen.getByRole('region', { name: /Working:/ }).textContent).toContain('Call Client 4');
    // The call's outcome (key 1: Booked) finishes it; then the refused text is next.
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('Working: Follow up'));
    await user.keyboard('1');
    await waitFor(() => expect(screen.getByRole('region', { name: /Working:/ }).textContent).toContain('Text Client 2'));
    expect(acts.filter((a) => a.action === 'finish')).toEqual([{ action: 'finish', taskId: 'task_004', outcome: 'completed', callOutcome: 'disposition', dispositionId: 'd_booked' }]);
  });

  it('S asks why, then skips; Escape stops working the queue', async () => {
    const tasks = [task(1), task(2)];
    const acts = fakeMain(tasks);
    const user = userEvent.setup();
    render(<TasksView />);
    (await screen.findByRole('button', { name: 'Let’s Start' })).focus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('Working: Follow up'));
    await user.keyboard('s');
    await user.keyboard('Wrong person');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(tasks[0]!.status).toBe('skipped'));
    expect(acts.find((a) => a.action === 'finish')).toEqual({ action: 'finish', taskId: 'task_001', outcome: 'skipped', reason: 'Wrong person' });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('Working: Follow up'));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('region', { name: /Working:/ })).toBeNull());
    expect(tasks[1]!.status).toBe('in_progress');
  });
  it('a text task: the message is edited and sent (Ctrl+Enter); a text Twilio refused says so plainly and can be sent again', async () => {
    const tasks = [task(2, { status: 'in_progress', startedBy: 'u1', messageId: 'msg_1', messageStatus: 'failed', messageError: 'Twilio did not send the text: The number is unreachable' })];
    const acts = fakeMain(tasks);
    const user = userEvent.setup();
    render(<TasksView />);
    (await screen.findByRole('button', { name: 'Let’s Start' })).focus();
    await user.keyboard('{Enter}');
    expect((await screen.findByRole('alert')).textContent).toContain('The text was not sent: Twilio did not send the text: The number is unreachable');
    const box = screen.getByRole('textbox', { name: /Message to/ });
    await user.clear(box);
    await user.type(box, 'Hi Client 2, your results are in');
    expect(screen.getByRole('button', { name: 'Send again' })).toBeTruthy();
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(tasks[0]!.status).toBe('completed'));
    expect(acts.filter((a) => a.action === 'sendText')).toEqual([{ action: 'sendText', taskId: 'task_002', message: 'Hi Client 2, your results are in' }]);
  });
  it('a call that comes in pauses the queue; it resumes on the same task after that call’s wrap-up', async () => {
    const tasks = [task(1), task(4)];
    fakeMain(tasks);
    const user = userEvent.setup();
    render(<TasksView />);
    (await screen.findByRole('button', { name: 'Let’s Start' })).focus();
    await user.keyboard('{Enter}');
    await screen.findByRole('region', { name: 'Working: Follow up' });
    const incoming = (phase: string) => ({ id: 'c1', direction: 'incoming', callSid: 'CA1', from: '+14155550123', to: '+13105550100', phase: { name: phase } }) as never;
    act(() => useVoiceStore.setState({ calls: [incoming('ringing')] }));
    expect((await screen.findByRole('status')).textContent).toContain('Paused: a call came in');
    expect(screen.queryByRole('region', { name: /Working:/ })).toBeNull();
    act(() => useVoiceStore.setState({ calls: [incoming('wrap-up')] }));
    expect(screen.getByText(/Paused: a call came in/)).toBeTruthy();
    act(() => useVoiceStore.setState({ calls: [] }));
    const panel = await screen.findByRole('region', { name: 'Working: Follow up' });
    expect(panel.textContent).toContain('Client 1');
    expect(useTasks.getState().working).toBe(true);
  });
});

describe('Tasks tab: the queue’s global hotkeys (main shows the window and sends tasks.command)', () => {
  const press = (kind: 'nextTask' | 'skipTask' | 'completeTask') => act(() => fake.emit('tasks.command', { kind }));

  it('next task opens the Tasks tab and starts the queue; skip asks why; complete sends a text as edited or puts focus on a call’s outcomes', async () => {
    const tasks = [task(1), task(2)]; // a call, then a text
    const acts = fakeMain(tasks);
    const stop = await connectTasks();
    useNavigation.setState({ view: 'phone' });
    render(<TasksView />);
    await screen.findByText('Client 1', { exact: false });
    // Skip / complete with nothing being worked: said plainly, nothing done.
    press('skipTask');
    expect((await screen.findByRole('alert')).textContent).toMatch(/No task is being worked, so there is nothing to skip/);
    press('nextTask');
    expect(useNavigation.getState().view).toBe('tasks');
    const panel = await screen.findByRole('region', { name: 'Working: Follow up' });
    await waitFor(() => expect(acts).toEqual([{ action: 'start', taskId: 'task_001' }]));
    // Complete on a call task: its outcome is one key, so focus goes to the outcomes.
    press('completeTask');
    await waitFor(() => expect(document.activeElement?.textContent).toMatch(/Booked/));
    expect(panel.contains(document.activeElement)).toBe(true);
    press('skipTask');
    const reason = await screen.findByRole('textbox', { name: 'Why skip it?' });
    const user = userEvent.setup();
    await user.type(reason, 'Duplicate lead{Enter}');
    await waitFor(() => expect(acts).toContainEqual({ action: 'finish', taskId: 'task_001', outcome: 'skipped', reason: 'Duplicate lead' }));
    // The text opens next; complete sends it as it stands.
    await waitFor(() => expect(screen.getByRole('region', { name: /Working:/ }).textContent).toContain('Client 2'));
    press('completeTask');
    await waitFor(() => expect(acts).toContainEqual({ action: 'sendText', taskId: 'task_002', message: 'Hi client 2' }));
    expect(acts.filter((a) => a.action === 'sendText')).toHaveLength(1);
    stop();
  });
});
