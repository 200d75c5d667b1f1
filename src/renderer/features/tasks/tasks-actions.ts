import type { CachedTask, TaskAct, TaskListFilter, TasksView } from '../../../shared/ipc/contract-tasks';
import { getBridge } from '../../bridge';
import { useNavigation } from '../../state/navigation';
import { useSession } from '../../state/session';
import { useTasks } from './tasks-store';

/** A task older than this is overdue (highlighted in the queue). */
export const OVERDUE_MS = 24 * 60 * 60 * 1000;
export const isOverdue = (task: Pick<CachedTask, 'createdAt' | 'status'>, now: number): boolean =>
  (task.status === 'queued' || task.status === 'in_progress') && now - Date.parse(task.createdAt) > OVERDUE_MS;

const TEXT_STATUS: Record<string, string> = {
  queued: 'Text sending', sent: 'Text sent', delivered: 'Text delivered', read: 'Text read',
  undelivered: 'Text not delivered', failed: 'Text failed', bounced: 'Text bounced', rejected: 'Text refused',
};

/** A text task's delivery as Twilio last reported it (its status callback reaches the desk by sync), with the reason when it failed. Pure. */
export function textDelivery(task: Pick<CachedTask, 'type' | 'messageStatus' | 'messageError' | 'sending'>): string | null {
  if (task.type !== 'sms' || task.sending || !task.messageStatus) return null;
  const label = TEXT_STATUS[task.messageStatus] ?? `Text ${task.messageStatus}`;
  const bad = task.messageStatus === 'undelivered' || task.messageStatus === 'failed' || task.messageStatus === 'bounced' || task.messageStatus === 'rejected';
  return bad && task.messageError ? `${label}: ${task.messageError}` : label;
}

/** The queue as filtered, or an error message; the badge follows. */
export async function loadTasks(filter: TaskListFilter): Promise<TasksView | string> {
  const result = await getBridge().tasks.list(filter);
  if (!result.ok) return result.error.message;
  useTasks.setState({ openCount: result.value.openCount });
  return result.value;
}

/** Claim / start / finish: resolves with the task as it is now, or the reason it was refused. */
export async function actOnTask(input: TaskAct): Promise<{ task: CachedTask | null } | { error: string }> {
  const result = await getBridge().tasks.act(input);
  if (!result.ok) return { error: result.error.message };
  return result.value;
}

/**
 * Let's Start: the next task to work — the one on screen (`shown`) while it is still open, so
 * nothing takes its place mid-work; otherwise the oldest open one of mine that is not blocked (the
 * one in progress first). A text on its way out is done for now (it comes back if Twilio refuses
 * it, after the task on screen). Pure.
 */
export function nextTask(items: readonly CachedTask[], shown: string | null = null): CachedTask | null {
  const open = items.filter((t) => !t.blockedReason && !t.sending && (t.status === 'queued' || t.status === 'in_progress'));
  return open.find((t) => t.id === shown) ?? open.find((t) => t.status === 'in_progress') ?? open[0] ?? null;
}

export async function refreshTaskCount(): Promise<void> {
  if (useSession.getState().session?.status !== 'signed-in') return;
  const result = await getBridge().tasks.list({ scope: 'mine', status: 'open', limit: 1 });
  if (result.ok) useTasks.setState({ openCount: result.value.openCount });
}

/** Keeps the badge current (sign-in, tasks synced or worked). Resolves with the unsubscribe. */
export async function connectTasks(): Promise<() => void> {
  const bridge = getBridge();
  const offs = [
    bridge.on('session.changed', () => void refreshTaskCount()),
    // A queue hotkey (next task, skip, complete): main showed the window; the Tasks tab acts on it.
    bridge.on('tasks.command', ({ kind }) => {
      if (useSession.getState().session?.status !== 'signed-in') return;
      useNavigation.getState().setView('tasks');
      useTasks.setState({ command: { kind, at: Date.now() } });
    }),
    bridge.on('cache.changed', ({ entities }) => {
      if (entities.includes('tasks')) void refreshTaskCount();
    }),
  ];
  await refreshTaskCount();
  return () => {
    for (const off of offs) off();
  };
}
